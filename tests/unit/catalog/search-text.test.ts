import { eq } from "drizzle-orm";
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

  it("keeps one line for equal titles and two for different ones", () => {
    expect(searchTextOf({ title: "Amélie", originalTitle: "Le Fabuleux Destin d'Amélie Poulain" })).toBe("amelie\nle fabuleux destin d'amelie poulain");
    expect(searchTextOf({ title: "Heat", originalTitle: "Heat" })).toBe("heat");
    expect(searchTextOf({ title: "Heat", originalTitle: null })).toBe("heat");
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

  it("still reads % and _ in a query as themselves", async () => {
    expect(await ids("100%")).toEqual([604]);
    expect(await ids("0% w")).toEqual([604]);
    expect(await ids("_")).toEqual([]);
  });

  it("fills search_text for rows written without it when the database is next opened and migrated", async () => {
    await getDb().update(movies).set({ searchText: "" }).where(eq(movies.id, 8202));
    expect(await ids("aeon")).toEqual([]); // only the ASCII fallback on the titles is left
    expect(await ids("FLUX")).toEqual([8202]);
    if (tmp.url) await migratePostgres(tmp.url);
    else await closeDb(); // getDb() below opens and migrates the file again
    const [row] = await getDb().select({ searchText: movies.searchText }).from(movies).where(eq(movies.id, 8202));
    expect(row.searchText).toBe("aeon flux");
    expect(await ids("aeon")).toEqual([8202]);
  });
});
