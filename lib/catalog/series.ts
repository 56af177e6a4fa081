import { and, eq, like } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { movies } from "@/lib/db/schema";
import { getMoviesCached } from "./movie-cache";
import { foldForSearch } from "./search-text";

// Films of one series, told by their titles: "Toy Story", "Toy Story 2"; "The Lord of the Rings:
// The Two Towers" and "… The Return of the King"; "The Dark Knight" and "The Dark Knight Rises".
// The catalog has no collection field (the bundled one keeps facts only), and a "More like this"
// row without the film's own sequels is the first thing a user notices (QA, 2026-11-24).

const MINOR = new Set(["the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "from"]);
const SEQUEL_MARK = /^(\d+|[ivx]{1,4}|part|chapter|episode|vol|volume)$/;

/**
 * A title's series key: its words before a subtitle (":", " - ", a dash), folded, without a leading
 * article or trailing sequel numbers ("2", "III", "Part II"); null when nothing is left ("2012").
 */
export function seriesKey(title: string): string[] | null {
  const main = foldForSearch(title).split(/:| - |\u2013|\u2014/)[0];
  const words = main.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  while (words.length > 0 && (words[0] === "the" || words[0] === "a" || words[0] === "an")) words.shift();
  while (words.length > 1 && SEQUEL_MARK.test(words[words.length - 1])) words.pop();
  if (words.length === 1 && /^\d+$/.test(words[0])) return null;
  return words.length > 0 ? words : null;
}

const contentWords = (words: string[]) => words.filter((w) => !MINOR.has(w)).length;

/**
 * Are two titles of one series? The same key ("Toy Story" / "Toy Story 3", "Alien" / "Alien:
 * Resurrection"); or one key starting the other with two words that say something ("The Dark
 * Knight" / "The Dark Knight Rises", "X-Men" / "X-Men Origins: Wolverine"); or three or more
 * words in common at the start, two of them saying something ("Harry Potter and the …"). Not
 * "Mission: Impossible" / "Mission to Mars", nor "Night of the Living Dead" / "Night of the Hunter".
 */
export function sameSeries(a: string, b: string): boolean {
  const ka = seriesKey(a);
  const kb = seriesKey(b);
  if (!ka || !kb) return false;
  const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  let common = 0;
  while (common < short.length && short[common] === long[common]) common++;
  if (common === short.length) return short.length === long.length || contentWords(short) >= 2;
  return common >= 3 && contentWords(short.slice(0, common)) >= 2;
}

/**
 * The films of `movie`'s series in the catalog, oldest first, without `movie` itself (at most 20).
 * A title match that shares no genre with the film is another film of the same name or words
 * ("Frozen" / "The Frozen", "Apollo 13" / "Apollo 18"), not its series.
 */
export async function listSeriesSiblings(movie: { id: number; title: string; genres: string[] }): Promise<{ id: number; year: number | null }[]> {
  const key = seriesKey(movie.title);
  if (!key) return [];
  // candidates: titles holding the key's first telling word (letters and digits only: no LIKE wildcard)
  const word = key.find((w) => !MINOR.has(w)) ?? key[0];
  const rows = await getDb()
    .select({ id: movies.id, title: movies.title, year: movies.year })
    .from(movies)
    .where(and(like(movies.searchText, `%${word}%`), eq(movies.placeholder, false)))
    .limit(500);
  const titled = rows.filter((r) => r.id !== movie.id && sameSeries(movie.title, r.title));
  // the per-process movie cache: serving reads the same films for the list right after
  const withGenres = await getMoviesCached(titled.map((r) => r.id));
  return [...withGenres.values()]
    .filter((m) => movie.genres.length === 0 || m.genres.length === 0 || m.genres.some((g) => movie.genres.includes(g)))
    .sort((x, y) => (x.year ?? 9999) - (y.year ?? 9999) || x.id - y.id)
    .slice(0, 20)
    .map(({ id, year }) => ({ id, year }));
}
