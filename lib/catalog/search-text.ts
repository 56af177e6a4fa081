// Title search that ignores case and accents in every script, the same on SQLite and PostgreSQL:
// each movie keeps its titles folded (movies.search_text, written with the row), and a query is
// folded the same way before the LIKE. SQL's own lower() cannot do it: SQLite's folds ASCII only,
// and PostgreSQL's depends on the database's locale.
//
// movies.search_text is "<title>[\n<original title>]\t<run>\n<run>…":
//   - the folded titles, one a line (the original only when it differs);
//   - a tab, which ends them (every row written in this format has one, so a row without it is one
//     to fold again: UNFOLDED_MOVIES_SQL);
//   - the runs: each title's words from each word on, run together without what stood between
//     them ("spider-man 3" → "spiderman3", "man3"). They let a query typed without the spaces or
//     hyphens ("spiderman", "xmen", "walle") find the title, from the start of one of its words
//     only: the words of the query are looked for before the tab, so "heat" does not find "The
//     Atlas" through "theatlas".
// Tab and line break never occur in a folded title's words or in a query's (queries with control
// characters are refused; lib/http/params.ts), and both sort before a space, so sorting by
// search_text still puts "Heat" before "Heat 2".

/** Ends the titles in search_text; the runs follow it. */
export const RUNS_START = "\t";
/** Separates the titles, and the runs, in search_text. */
export const LINE_BREAK = "\n";

// Letters that are not a base letter plus accents, so NFKD leaves them whole.
const LETTERS: Record<string, string> = { æ: "ae", œ: "oe", ø: "o", ß: "ss", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");
const NOT_A_WORD = /[^\p{L}\p{N}]+/u;

/** Lower case without accents: "Æon Flux" → "aeon flux", "AMÉLIE" → "amelie", "Pokémon" → "pokemon". */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(SPECIAL, (c) => LETTERS[c]);
}

/** The words of folded text: its runs of letters and digits ("wall·e" → wall, e; "se7en" → se7en). */
export function searchWords(folded: string): string[] {
  return folded.split(NOT_A_WORD).filter(Boolean);
}

/** Each title's words from each word on, run together, for runs of two words or more. */
function runsOf(folded: string): string[] {
  const words = searchWords(folded);
  return words.slice(0, -1).map((_, i) => words.slice(i).join(""));
}

/** A title with a tab or line break in it (none has one, but search_text's layout depends on it). */
const oneLine = (text: string) => text.replace(/[\t\n\r]/g, " ");

/** What movies.search_text holds (see the top of this file). */
export function searchTextOf(movie: { title: string; originalTitle: string | null }): string {
  const title = oneLine(foldForSearch(movie.title));
  const original = movie.originalTitle ? oneLine(foldForSearch(movie.originalTitle)) : "";
  const titles = original && original !== title ? [title, original] : [title];
  const runs = [...new Set(titles.flatMap(runsOf))];
  return `${titles.join(LINE_BREAK)}${RUNS_START}${runs.join(LINE_BREAK)}`;
}

/** A movie row whose search_text is '' (added by the migration, or written by hand) or in an older format (no tab). */
export type UnfoldedMovie = { id: number; title: string; original_title: string | null };

/** The SQL that finds them; the backfill after migrating runs it (lib/db). Plain SQL, the same on both dialects. */
export const UNFOLDED_MOVIES_SQL = `SELECT id, title, original_title FROM movies WHERE search_text NOT LIKE '%${RUNS_START}%'`;

/** [id, search_text] for each row UNFOLDED_MOVIES_SQL found. */
export function foldRows(rows: UnfoldedMovie[]): [number, string][] {
  return rows.map((r) => [r.id, searchTextOf({ title: r.title, originalTitle: r.original_title })]);
}
