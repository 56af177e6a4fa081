// Title search that ignores case and accents in every script, the same on SQLite and PostgreSQL:
// each movie keeps its titles folded (movies.search_text, written with the row), and a query is
// folded the same way before the LIKE. SQL's own lower() cannot do it: SQLite's folds ASCII only,
// and PostgreSQL's depends on the database's locale.

// Letters that are not a base letter plus accents, so NFKD leaves them whole.
const LETTERS: Record<string, string> = { æ: "ae", œ: "oe", ø: "o", ß: "ss", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");

/** Lower case without accents: "Æon Flux" → "aeon flux", "AMÉLIE" → "amelie", "Pokémon" → "pokemon". */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(SPECIAL, (c) => LETTERS[c]);
}

/** What movies.search_text holds: both titles folded, on separate lines (a query has no line breaks). */
export function searchTextOf(movie: { title: string; originalTitle: string | null }): string {
  const title = foldForSearch(movie.title);
  const original = movie.originalTitle ? foldForSearch(movie.originalTitle) : "";
  return original && original !== title ? `${title}\n${original}` : title;
}

/** A movie row whose search_text is still '' (added by the migration, or written by hand). */
export type UnfoldedMovie = { id: number; title: string; original_title: string | null };

/** The SQL that finds them; the backfill after migrating runs it (lib/db). */
export const UNFOLDED_MOVIES_SQL = "SELECT id, title, original_title FROM movies WHERE search_text = ''";

/** [id, search_text] for each row UNFOLDED_MOVIES_SQL found. */
export function foldRows(rows: UnfoldedMovie[]): [number, string][] {
  return rows.map((r) => [r.id, searchTextOf({ title: r.title, originalTitle: r.original_title })]);
}
