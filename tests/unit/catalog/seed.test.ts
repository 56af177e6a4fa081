import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { getMovie, listPopularMovies, searchMovies } from "@/lib/catalog/queries";
import { seedCatalog } from "@/lib/catalog/seed";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { movieGenres, movies } from "@/lib/db/schema";
import { useTempDb } from "../../helpers/temp-db";

describe("catalog seed", () => {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(() => {
    tmp = useTempDb();
  });
  afterAll(() => tmp.cleanup());

  it("loads the bundled 4,803 movies once and skips on the next run", async () => {
    const first = await seedCatalog();
    expect(first).toMatchObject({ skipped: false, added: 4803, updated: 0 });
    const second = await seedCatalog();
    expect(second.skipped).toBe(true);
    const [row] = await getDb().select({ n: count() }).from(movies);
    expect(row.n).toBe(4803);
  });

  it("stores facts and genres for a known film", async () => {
    const m = await getMovie(11);
    expect(m).toMatchObject({ title: "Star Wars", year: 1977, runtime: 121, posterPath: null });
    expect(m?.genres.sort()).toEqual(["Action", "Adventure", "Science Fiction"]);
  });

  it("upserts by TMDB id without duplicating, keeping a known poster", async () => {
    await upsertMovies(getDb(), [
      { id: 11, title: "Star Wars", genres: [{ id: 12, name: "Adventure" }], poster_path: "/sw.jpg", popularity: 1 },
    ]);
    const res = await upsertMovies(getDb(), [{ id: 11, title: "Star Wars: A New Hope", genres: [{ id: 12, name: "Adventure" }] }]);
    expect(res).toEqual({ added: 0, updated: 1 });
    const m = await getMovie(11);
    expect(m?.title).toBe("Star Wars: A New Hope");
    expect(m?.posterPath).toBe("/sw.jpg");
    expect(m?.genres).toEqual(["Adventure"]);
    const links = await getDb().select({ n: count() }).from(movieGenres).where(eq(movieGenres.movieId, 11));
    expect(links[0].n).toBe(1);
  });

  it("lists popular movies by genre and searches titles safely", async () => {
    const anim = await listPopularMovies({ k: 5, genre: "animation" });
    expect(anim).toHaveLength(5);
    for (const m of anim) expect(m.genres).toContain("Animation");
    expect(anim[0].popularity).toBeGreaterThanOrEqual(anim[4].popularity);
    const res = await searchMovies({ query: "nemo", sort: "popularity", page: 1, pageSize: 10 });
    expect(res.items.map((m) => m.title)).toContain("Finding Nemo");
    const wild = await searchMovies({ query: "%", sort: "title", page: 1, pageSize: 10 });
    expect(wild.items.every((m) => m.title.includes("%"))).toBe(true);
  });
});
