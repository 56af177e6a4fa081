import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { searchMovies } from "@/lib/catalog/queries";
import { foldForSearch, searchTextOf } from "@/lib/catalog/search-text";
import { closeDb, getDb } from "@/lib/db";
import { migratePostgres } from "@/lib/db/postgres";
import { movies } from "@/lib/db/schema";
import { useTempDb } from "../../helpers/temp-db";

describe("foldForSearch", () => {
  it.each([
    ["Æon Flux", "aeon flux"],
    ["AMÉLIE", "amelie"],
    ["Amélie", "amelie"],
    ["Pokémon: The First Movie", "pokemon: the first movie"],
    ["Straße", "strasse"],
    ["ŁÓDŹ", "lodz"],
    ["Ørnen", "ornen"],
    ["ﬁnal", "final"], // a compatibility ligature
    ["The Matrix", "the matrix"],
    ["100% 'Wolf' _x_", "100% 'wolf' _x_"],
    ["千と千尋の神隠し", "千と千尋の神隠し"], // no case and no marks: unchanged
  ])("%s → %s", (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it("keeps one line for equal titles and two for different ones, then a tab and each title's words run together", () => {
    expect(searchTextOf({ title: "Amélie", originalTitle: "Le Fabuleux Destin d'Amélie Poulain" })).toBe(
      "amelie\nle fabuleux destin d'amelie poulain\tlefabuleuxdestindameliepoulain\nfabuleuxdestindameliepoulain\ndestindameliepoulain\ndameliepoulain\nameliepoulain",
    );
    expect(searchTextOf({ title: "Heat", originalTitle: "Heat" })).toBe("heat\t");
    expect(searchTextOf({ title: "Heat", originalTitle: null })).toBe("heat\t");
  });

  it.each([
    ["Spider-Man 3", "spider-man 3\tspiderman3\nman3"],
    ["X-Men", "x-men\txmen"],
    ["WALL·E", "wall·e\twalle"],
    ["Se7en", "se7en\t"],
    ["Mission: Impossible", "mission: impossible\tmissionimpossible"],
  ])("runs the words of %s together from each word on", (title, text) => {
    expect(searchTextOf({ title, originalTitle: title })).toBe(text);
  });

  it("never lets a title's own tab or line break pass for the end of the titles", () => {
    expect(searchTextOf({ title: "A\tB", originalTitle: null })).toBe("a b\tab");
  });
});

const movie = (id: number, title: string, original_title: string) => ({
  id,
  title,
  original_title,
  genres: [{ id: 18, name: "Drama" }],
  popularity: 10 - id / 1000,
  vote_average: 7,
  vote_count: 100,
  release_date: "2001-04-25",
});

describe("searchMovies", () => {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(async () => {
    tmp = useTempDb();
    await upsertMovies(getDb(), [
      movie(194, "Amélie", "Le Fabuleux Destin d'Amélie Poulain"),
      movie(8202, "Æon Flux", "Æon Flux"),
      movie(10228, "Pokémon: The First Movie", "劇場版ポケットモンスター ミュウツーの逆襲"),
      movie(603, "The Matrix", "The Matrix"),
      movie(604, "100% Wolf", "100% Wolf"),
    ]);
  });
  afterAll(() => tmp.cleanup());

  const ids = async (query: string) => (await searchMovies({ query, sort: "popularity", page: 1, pageSize: 20 })).items.map((m) => m.id);

  it("ignores case and accents in any script, in the title or the original title", async () => {
    for (const q of ["amélie", "AMÉLIE", "amelie", "Amelie", "destin d'amelie"]) expect(await ids(q), q).toEqual([194]);
    for (const q of ["æon", "ÆON FLUX", "aeon"]) expect(await ids(q), q).toEqual([8202]);
    expect(await ids("POKEMON")).toEqual([10228]);
    expect(await ids("ミュウツー")).toEqual([10228]);
    expect(await ids("MATRIX")).toEqual([603]);
  });

  it("sorts by title ignoring case and accents", async () => {
    await upsertMovies(getDb(), [movie(1001, "eXistenZ", "eXistenZ"), movie(1002, "Zulu", "Zulu"), movie(1003, "all the Boys", "all the Boys")]);
    const titles = (await searchMovies({ sort: "title", page: 1, pageSize: 20 })).items.map((m) => m.title);
    expect(titles).toEqual(["100% Wolf", "Æon Flux", "all the Boys", "Amélie", "eXistenZ", "Pokémon: The First Movie", "The Matrix", "Zulu"]);
  });

  it("finds every word of the query in any order, whatever punctuation stands between them in the title", async () => {
    await upsertMovies(getDb(), [movie(954, "Mission: Impossible", "Mission: Impossible"), movie(557, "Spider-Man", "Spider-Man"), movie(120, "The Lord of the Rings: The Fellowship of the Ring", "The Lord of the Rings: The Fellowship of the Ring")]);
    // was: the whole query as one substring, so none of these found anything
    expect(await ids("mission impossible")).toEqual([954]);
    expect(await ids("impossible, mission")).toEqual([954]);
    expect(await ids("spider man")).toEqual([557]);
    expect(await ids("lord rings")).toEqual([120]);
    expect(await ids("mission spider")).toEqual([]);
  });

  it("finds a title typed without the spaces, hyphens or dots between its words, from the start of a word", async () => {
    await upsertMovies(getDb(), [
      movie(559, "Spider-Man 3", "Spider-Man 3"),
      movie(36657, "X-Men", "X-Men"),
      movie(10681, "WALL·E", "WALL·E"),
      movie(807, "Se7en", "Se7en"),
      movie(949, "Heat", "Heat"),
      movie(9001, "The Atlas", "The Atlas"),
      movie(85, "Raiders of the Lost Ark", "Raiders of the Lost Ark"),
      movie(11, "Star Wars", "Star Wars"),
    ]);
    // was: "spiderman" found nothing while "spider man" found the Spider-Man films (QA)
    expect(await ids("spiderman")).toEqual([557, 559]);
    expect(await ids("SpiderMan 3")).toEqual([559]);
    expect(await ids("spider-man3")).toEqual([559]);
    expect(await ids("spi derman")).toEqual([557, 559]);
    expect(await ids("xmen")).toEqual([36657]);
    expect(await ids("x men")).toEqual([36657]);
    expect(await ids("walle")).toEqual([10681]);
    expect(await ids("Wall-E")).toEqual([10681]);
    expect(await ids("wall e")).toEqual([10681]);
    expect(await ids("se7en")).toEqual([807]);
    expect(await ids("missionimpossible")).toEqual([954]);
    expect(await ids("lordoftherings")).toEqual([120]);
    // not from inside a word: the titles run together would hold these, across a word's end
    expect(await ids("heat")).toEqual([949]);
    expect(await ids("star")).toEqual([11]);
    expect(await ids("derman")).toEqual([]);
    // the words of the query still match as before, wherever they stand in a title
    expect(await ids("man")).toEqual([557, 559]);
    expect(await ids("men")).toEqual([36657]);
  });

  it("ranks a title equal to the query first, then by popularity weighted by how the query meets the title (relevance)", async () => {
    const popular = (id: number, title: string, popularity: number, original = title) => ({ ...movie(id, title, original), popularity });
    await upsertMovies(getDb(), [
      popular(401, "Alien Nation", 8),
      popular(402, "Resident Alien", 3),
      popular(403, "Cowboys & Aliens", 20),
      popular(404, "Aliens", 60),
      popular(405, "Alienated", 0.5, "L'Alien"),
      popular(406, "Alien", 1),
      popular(407, "Spider-Man: Homecoming", 5),
      popular(408, "The Dark Knight", 90),
      popular(409, "Dark Water", 30),
      popular(410, "Darkness Falls", 70),
      popular(411, "Iron Man", 120),
      popular(412, "Manito", 0),
      popular(413, "Maniac", 30),
      popular(414, "Batman Forever", 300),
      popular(415, "Star Wars: The Clone Wars", 126),
      popular(416, "Warlock", 0.9),
      popular(417, "The Imitation Game", 130),
      popular(418, "It Follows", 40),
    ]);
    const ranked = async (query: string) => (await searchMovies({ query, sort: "relevance", page: 1, pageSize: 50 })).items.map((m) => m.id);
    // the exact title first however obscure; then × 4 a whole word (Alien Nation 32, Resident Alien
    // 12, L'Alien 2), × 1 a word's start (Aliens 60, Cowboys & Aliens 20)
    expect(await ranked("alien")).toEqual([406, 404, 401, 403, 402, 405]);
    expect(await ranked("ALIEN")).toEqual(await ranked("alien"));
    // was: Manito (popularity 0) and Maniac before Iron Man; Spider-Man (a word after a hyphen) near the end
    const man = await ranked("man");
    expect(man[0]).toBe(411); // Iron Man: 120 × 4
    expect(man.indexOf(557)).toBeLessThan(man.indexOf(413)); // Spider-Man, 9.4 × 4, before Maniac, 30 × 1
    expect(man.indexOf(413)).toBeLessThan(man.indexOf(412)); // Manito: 0
    // inside a word only: Batman Forever, 300 × 0.25, after Iron Man and before Spider-Man
    expect(man.indexOf(414)).toBe(1);
    // a popular film by a word's start before an obscure one (was: Warlock before Star Wars)
    expect(await ranked("war")).toEqual([415, 11, 416]); // 126, Star Wars 10, 0.9
    // a whole word before a word's start; popularity within each
    expect(await ranked("dark")).toEqual([408, 409, 410]);
    // a whole word (It Follows 160) before a popular film with it inside a word (The Imitation Game 32.5)
    const it = await ranked("it");
    expect(it.indexOf(418)).toBeLessThan(it.indexOf(417));
    // words run together: the whole title, then popularity (Spider-Man: Homecoming 5, Spider-Man 3)
    expect((await ranked("spiderman"))[0]).toBe(557);
    expect((await ranked("spider man"))[0]).toBe(557);
    expect((await ranked("l'alien"))[0]).toBe(405);
    // without a query, relevance is popularity
    const all = (sort: "relevance" | "popularity") => searchMovies({ sort, page: 1, pageSize: 100 }).then((r) => r.items.map((m) => m.id));
    expect(await all("relevance")).toEqual(await all("popularity"));
  });

  it("still reads % and _ in a query as themselves", async () => {
    expect(await ids("100%")).toEqual([604]);
    expect(await ids("0% w")).toEqual([604]);
    expect(await ids("_")).toEqual([]);
  });

  it("fills search_text for rows written without it, or in the format before the runs, when the database is next opened and migrated", async () => {
    await getDb().update(movies).set({ searchText: "" }).where(eq(movies.id, 8202));
    await getDb().update(movies).set({ searchText: "spider-man 3" }).where(eq(movies.id, 559));
    expect(await ids("aeon")).toEqual([]); // only the ASCII fallback on the titles is left
    expect(await ids("FLUX")).toEqual([8202]);
    expect(await ids("spider-man 3")).toEqual([559]);
    expect(await ids("spiderman3")).toEqual([]);
    if (tmp.url) await migratePostgres(tmp.url);
    else await closeDb(); // getDb() below opens and migrates the file again
    const rows = await getDb().select({ id: movies.id, searchText: movies.searchText }).from(movies).where(inArray(movies.id, [559, 8202])).orderBy(movies.id);
    expect(rows).toEqual([
      { id: 559, searchText: "spider-man 3\tspiderman3\nman3" },
      { id: 8202, searchText: "aeon flux\taeonflux" },
    ]);
    expect(await ids("aeon")).toEqual([8202]);
    expect(await ids("spiderman3")).toEqual([559]);
  });
});
