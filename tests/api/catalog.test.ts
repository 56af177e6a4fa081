import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getGenres } from "@/app/api/genres/route";
import { GET as getMovie } from "@/app/api/movies/[id]/route";
import { GET as listMovies } from "@/app/api/movies/route";
import { GET as getPopular } from "@/app/api/popular/route";
import { seedCatalog } from "@/lib/catalog/seed";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
});
afterAll(() => tmp.cleanup());

describe("GET /api/movies", () => {
  it("searches titles with filters and paginates", async () => {
    const { status, json, headers } = await call(listMovies, "/api/movies?query=star&genre=Science%20Fiction&pageSize=5");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toMatch(/public/);
    expect(json.items.length).toBeLessThanOrEqual(5);
    expect(json.total).toBeGreaterThan(5);
    for (const m of json.items) {
      expect(m.title.toLowerCase()).toContain("star");
      expect(m.genres).toContain("Science Fiction");
    }
    const page2 = await call(listMovies, "/api/movies?query=star&genre=Science%20Fiction&pageSize=5&page=2");
    expect(page2.json.items[0].id).not.toBe(json.items[0].id);
  });

  it("finds a title typed without the spaces or hyphens between its words, as the search page does", async () => {
    // was: "spiderman" found nothing while "spider man" found the five Spider-Man films (QA)
    const titles = async (query: string) =>
      ((await call(listMovies, `/api/movies?${new URLSearchParams({ query })}`)).json.items as { title: string }[]).map((m) => m.title);
    const spiderMan = await titles("spider man");
    expect(spiderMan).toHaveLength(5);
    expect(spiderMan.every((t) => t.includes("Spider-Man"))).toBe(true);
    expect(await titles("spiderman")).toEqual(spiderMan);
    expect(await titles("Spider-Man")).toEqual(spiderMan);
    expect(await titles("xmen first class")).toEqual(["X-Men: First Class"]);
    expect(await titles("walle")).toEqual(["WALL·E"]);
  });

  it("lists the best title matches first by default, and by popularity alone when asked", async () => {
    const titles = async (search: string) => ((await call(listMovies, `/api/movies?${search}`)).json.items as { title: string }[]).map((m) => m.title);
    // was (popularity): Batman v Superman, Batman Begins, Batman Returns, Batman & Robin, Batman Forever, Batman
    expect(await titles("query=batman&pageSize=3")).toEqual(["Batman", "Batman", "Batman v Superman: Dawn of Justice"]);
    expect(await titles("query=batman&pageSize=3&sort=relevance")).toEqual(await titles("query=batman&pageSize=3"));
    expect((await titles("query=batman&sort=popularity"))[0]).toBe("Batman v Superman: Dawn of Justice");
    expect((await titles("query=up&pageSize=1"))[0]).toBe("Up");
    // without a title search: popularity
    expect(await titles("pageSize=10")).toEqual(await titles("pageSize=10&sort=popularity"));
  });

  it("filters by year and sorts by rating", async () => {
    const { json } = await call(listMovies, "/api/movies?year=1994&sort=rating&pageSize=3");
    expect(json.items.every((m: { year: number }) => m.year === 1994)).toBe(true);
    expect(json.items[0].voteAverage).toBeGreaterThanOrEqual(json.items[1].voteAverage);
  });

  it("ranks by rating weighted by votes: a film rated 10 by one voter does not top the list", async () => {
    const top = (await call(listMovies, "/api/movies?sort=rating&pageSize=20")).json.items as { voteAverage: number; voteCount: number }[];
    // the bundled catalog has films at 10.0 from one or two votes; none of them leads
    expect(top.every((m) => m.voteCount >= 1000 && m.voteAverage >= 7.5)).toBe(true);
  });

  it.each([
    "page=0",
    "page=-1",
    "pageSize=101",
    "pageSize=1.5",
    "pageSize=1e2",
    "pageSize=NaN",
    "year=abc",
    "sort=random",
    "page=99999999999999999999",
    "query=",
    "query=%00abc",
    "query=%E0%A4%A",
    // accent marks alone: they fold to nothing, which matched every title
    "query=%CC%81",
    "query=%EF%B8%8F",
    "query=%20%E2%83%A3%20",
    "genre=%3Cscript%3E",
    "page=1&page=2",
    "unknown=1",
  ])("rejects %s with 400 and the error shape", async (qs) => {
    const { status, json } = await call(listMovies, `/api/movies?${qs}`);
    expect(status).toBe(400);
    expect(expectErrorShape(json).code).toBe("bad_request");
  });
});

describe("GET /api/movies/[id]", () => {
  it("returns a movie with a poster fallback", async () => {
    const { status, json } = await call(getMovie, "/api/movies/13", { params: { id: "13" } });
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: 13, title: "Forrest Gump", year: 1994, posterFallbackUrl: "/api/posters/13" });
  });

  it("404s an unknown movie and 400s a malformed id", async () => {
    expect(expectErrorShape((await call(getMovie, "/api/movies/424242", { params: { id: "424242" } })).json).code).toBe("not_found");
    for (const id of ["0", "abc", "..%2F..%2Fetc", "12abc", "1.0", "2147483648"]) {
      const r = await call(getMovie, `/api/movies/${id}`, { params: { id } });
      expect(r.status).toBe(400);
    }
    // in the words of every id parameter (was: "must be a positive integer id" here alone)
    const message = async (id: string) => (await call(getMovie, `/api/movies/${id}`, { params: { id } })).json.error.details.fields.id;
    expect(await message("abc")).toEqual(["must be a whole number written in digits"]);
    expect(await message("0")).toEqual(["must be at least 1"]);
  });

  it("refuses query parameters, which it takes none of (each would be another copy in a shared cache)", async () => {
    for (const [qs, fields] of [
      ["x=1", { x: ["unknown field"] }],
      ["k=10", { k: ["unknown field"] }],
      ["x=1&x=2", { x: ["must be given at most once"] }],
    ] as const) {
      const r = await call(getMovie, `/api/movies/13?${qs}`, { params: { id: "13" } });
      expect(r.status, qs).toBe(400);
      expect(r.headers.get("cache-control")).toBe("no-store");
      expect(expectErrorShape(r.json).details).toEqual({ fields });
    }
  });
});

describe("GET /api/popular and /api/genres", () => {
  it("returns k popular movies, optionally by genre", async () => {
    const all = await call(getPopular, "/api/popular?k=10");
    expect(all.json.items).toHaveLength(10);
    const horror = await call(getPopular, "/api/popular?k=5&genre=Horror");
    expect(horror.json.items).toHaveLength(5);
    expect(horror.json.items.every((m: { genres: string[] }) => m.genres.includes("Horror"))).toBe(true);
    expect((await call(getPopular, "/api/popular?k=0")).status).toBe(400);
    expect((await call(getPopular, "/api/popular?k=101")).status).toBe(400);
  });

  it("lists genres with counts", async () => {
    const { json } = await call(getGenres, "/api/genres");
    const drama = json.items.find((g: { name: string }) => g.name === "Drama");
    expect(drama.movieCount).toBe(2297);
    const refused = await call(getGenres, "/api/genres?genre=Drama");
    expect(refused.status).toBe(400);
    expect(expectErrorShape(refused.json).details).toEqual({ fields: { genre: ["unknown field"] } });
  });
});
