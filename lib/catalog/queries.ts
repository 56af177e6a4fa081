import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, isPostgres } from "@/lib/db";
import { genres, movieGenres, movies, type Movie } from "@/lib/db/schema";
import { foldForSearch, LINE_BREAK, RUNS_START, searchWords } from "./search-text";

export type MovieWithGenres = Movie & { genres: string[] };

/** Attach genre names to movie rows, keeping their order. */
export async function withGenres(rows: Movie[]): Promise<MovieWithGenres[]> {
  if (rows.length === 0) return [];
  const db = getDb();
  const links = await db
    .select({ movieId: movieGenres.movieId, name: genres.name })
    .from(movieGenres)
    .innerJoin(genres, eq(genres.id, movieGenres.genreId))
    .where(
      inArray(
        movieGenres.movieId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(genres.name));
  const byMovie = new Map<number, string[]>();
  for (const l of links) {
    const list = byMovie.get(l.movieId);
    if (list) list.push(l.name);
    else byMovie.set(l.movieId, [l.name]);
  }
  return rows.map((r) => ({ ...r, genres: byMovie.get(r.id) ?? [] }));
}

export async function countMovies(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(movies);
  return row?.n ?? 0;
}

export async function getMovie(id: number): Promise<MovieWithGenres | null> {
  const [row] = await getDb().select().from(movies).where(eq(movies.id, id)).limit(1);
  if (!row) return null;
  const [withG] = await withGenres([row]);
  return withG;
}

/** Movies by id, in the order of `ids`; unknown ids are skipped. */
export async function getMoviesByIds(ids: number[]): Promise<MovieWithGenres[]> {
  if (ids.length === 0) return [];
  const rows = await getDb().select().from(movies).where(inArray(movies.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return withGenres(ids.map((id) => byId.get(id)).filter((r): r is Movie => r !== undefined));
}

function genreFilter(genreName: string): SQL {
  return sql`exists (select 1 from ${movieGenres} inner join ${genres} on ${genres.id} = ${movieGenres.genreId}
    where ${movieGenres.movieId} = ${movies.id} and lower(${genres.name}) = lower(${genreName}))`;
}

/**
 * Popular movies: by TMDB's popularity score as the catalog holds it (from the bundled seed, then
 * each import or crawl), ties broken by vote count. Not this site's own activity: that is the
 * popularity model's (lib/recs/models/popularity.ts). Placeholders (imported ids with no facts)
 * are left out.
 */
export async function listPopularMovies(opts: { k: number; genre?: string; offset?: number }) {
  const where = [eq(movies.placeholder, false)];
  if (opts.genre) where.push(genreFilter(opts.genre));
  const rows = await getDb()
    .select()
    .from(movies)
    .where(and(...where))
    .orderBy(desc(movies.popularity), desc(movies.voteCount), asc(movies.id))
    .limit(opts.k)
    .offset(opts.offset ?? 0);
  return withGenres(rows);
}

/** A random sample of the catalog: the last-resort fallback when nothing else works. */
export async function listRandomMovies(k: number): Promise<MovieWithGenres[]> {
  const rows = await getDb()
    .select()
    .from(movies)
    .where(eq(movies.placeholder, false))
    .orderBy(sql`random()`)
    .limit(k);
  return withGenres(rows);
}

export async function listGenres() {
  return getDb()
    .select({ id: genres.id, name: genres.name, movieCount: count(movieGenres.movieId) })
    .from(genres)
    .leftJoin(movieGenres, eq(movieGenres.genreId, genres.id))
    .groupBy(genres.id)
    .orderBy(asc(genres.name));
}

export type MovieSearch = {
  query?: string;
  genre?: string;
  year?: number;
  sort: "relevance" | "popularity" | "rating" | "year" | "title";
  page: number;
  pageSize: number;
};

/** Votes a film's TMDB average is pulled toward the catalog's mean by (a Bayesian average). */
export const RATING_PRIOR_VOTES = 100;

/**
 * The rating sort's key: (votes × average + m × catalog mean) / (votes + m). A film rated 10 by one
 * voter no longer outranks one rated 8.5 by 8,000; with many votes it is the plain average.
 */
const weightedRating = sql`(${movies.voteCount} * ${movies.voteAverage} + ${RATING_PRIOR_VOTES} * (select coalesce(avg(m2.vote_average), 0) from movies m2 where m2.vote_count > 0 and m2.placeholder = false)) / (${movies.voteCount} + ${RATING_PRIOR_VOTES})`;

/** A LIKE pattern's text: \, % and _ as themselves (with `escape '\\'`). */
const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A title search on search_text (lib/catalog/search-text.ts), either of:
 * - every word of the query in the folded titles, in any order and whatever stands between them:
 *   "mission impossible" finds "Mission: Impossible", "spider man" the Spider-Man films, "lord
 *   rings" The Lord of the Rings (QA: the whole query as one substring found none of them). A
 *   query without a letter or digit ("%", "!!") is matched as it is;
 * - the query's letters and digits run together, from the start of a title's word: "spiderman"
 *   and "spider-man3" find Spider-Man 3, "xmen" X-Men, "walle" WALL·E (QA: "spiderman" found
 *   nothing while "spider man" found 5). Not from inside a word, so "heat" does not find "The
 *   Atlas" (theatlas) nor "star" "Raiders of the Lost Ark" (lostark).
 * Words are looked for before the tab (in the titles, not the runs), run-together queries after
 * the tab or a line break (at the start of a run).
 */
function foldedTitlesMatch(query: string): SQL {
  const folded = foldForSearch(query);
  const words = searchWords(folded);
  const inTitles = (words.length > 0 ? words : [folded]).map((w) => sql`${movies.searchText} like ${`%${likeText(w)}%${RUNS_START}%`} escape '\\'`);
  const wordsMatch = sql`(${sql.join(inTitles, sql` and `)})`;
  const runTogether = words.join("");
  if (!runTogether) return wordsMatch;
  const atRunStart = (before: string) => sql`${movies.searchText} like ${`%${before}${likeText(runTogether)}%`} escape '\\'`;
  return sql`(${wordsMatch} or ${atRunStart(RUNS_START)} or ${atRunStart(LINE_BREAK)})`;
}

/** A character that ends a word in folded text (space, punctuation, a line or the titles' end). */
const NON_WORD = "[^a-z0-9]";

/**
 * The relevance sort: a title equal to the query first (`alien` → Alien; `spiderman` or `spider
 * man` → Spider-Man), then the others by TMDB popularity weighted by how the query meets the title:
 * × 4 as whole words ("man" in Iron Man, Spider-Man or Man of Steel; "dark" in The Dark Knight),
 * × 1 at the start of a word ("man" in Maniac, "war" in Star Wars; or its words run together from
 * one, "spiderman" in Spider-Man 3), × 0.25 inside a word only ("man" in Batman, "it" in The
 * Imitation Game). So a popular film found by a word's start still outranks an obscure one found
 * by a whole word. QA: by popularity alone "batman" listed Batman 6th and "up" put Batman v
 * Superman before Up; with plain groups (exact, title start, later word, other) "man" put Manito
 * (popularity 0) before Iron Man and Spider-Man 92nd, "war" Warlock before Star Wars.
 * Words are told apart by one character that is not a letter or digit, the same on SQLite (GLOB)
 * and PostgreSQL (a regular expression), on the titles before the runs, padded with a space.
 */
function relevanceOrder(query: string): SQL[] {
  const folded = foldForSearch(query).replace(/\s+/g, " ").trim();
  const words = searchWords(folded);
  const phrase = likeText(folded);
  const runTogether = likeText(words.join(""));
  const like = (pattern: string) => sql`${movies.searchText} like ${pattern} escape '\\'`;
  const exact = [like(`${phrase}${RUNS_START}%`), like(`${phrase}${LINE_BREAK}%`), like(`%${LINE_BREAK}${phrase}${RUNS_START}%`)];
  // the first run is a whole title's words run together
  if (runTogether) exact.push(like(`%${RUNS_START}${runTogether}`), like(`%${RUNS_START}${runTogether}${LINE_BREAK}%`));
  const isExact = sql`case when ${sql.join(exact, sql` or `)} then 0 else 1 end`;
  if (words.length === 0) return [asc(isExact), desc(movies.popularity), asc(movies.id)];

  const postgres = isPostgres();
  const titles = postgres
    ? sql`(' ' || split_part(${movies.searchText}, chr(9), 1) || ' ')`
    : sql`(' ' || substr(${movies.searchText}, 1, instr(${movies.searchText}, char(9)) - 1) || ' ')`;
  const globText = (w: string) => w.replace(/[*?[]/g, (c) => `[${c}]`);
  const regexText = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
  const wordsApart = (escape: (w: string) => string) => words.map(escape).join(NON_WORD);
  const found = (glob: string, regex: string) => (postgres ? sql`${titles} ~ ${regex}` : sql`${titles} glob ${glob}`);
  const wholeWords = found(`*${NON_WORD}${wordsApart(globText)}${NON_WORD}*`, `${NON_WORD}${wordsApart(regexText)}${NON_WORD}`);
  const wordStart = found(`*${NON_WORD}${wordsApart(globText)}*`, `${NON_WORD}${wordsApart(regexText)}`);
  const runStart = sql`(${like(`%${RUNS_START}${runTogether}%`)} or ${like(`%${LINE_BREAK}${runTogether}%`)})`;
  const weight = sql`case when ${wholeWords} then 4 when ${wordStart} or ${runStart} then 1 else 0.25 end`;
  return [asc(isExact), desc(sql`${movies.popularity} * ${weight}`), desc(movies.popularity), asc(movies.id)];
}

export async function searchMovies(s: MovieSearch) {
  const where: SQL[] = [eq(movies.placeholder, false)];
  if (s.query) {
    const whole = `%${likeText(s.query)}%`;
    where.push(
      // the folded titles (any case, no accents: search-text.ts); a row not yet folded (written by
      // hand, or in an older format, until the backfill next runs) still matches its titles in
      // ASCII case (lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not)
      sql`(${foldedTitlesMatch(s.query)} or (${movies.searchText} not like ${`%${RUNS_START}%`} and (lower(${movies.title}) like lower(${whole}) escape '\\' or lower(${movies.originalTitle}) like lower(${whole}) escape '\\')))`,
    );
  }
  if (s.genre) where.push(genreFilter(s.genre));
  if (s.year) where.push(eq(movies.year, s.year));
  const order = {
    // without a query, the same as popularity
    relevance: s.query ? relevanceOrder(s.query) : [desc(movies.popularity), asc(movies.id)],
    popularity: [desc(movies.popularity), asc(movies.id)],
    rating: [desc(weightedRating), desc(movies.voteCount), asc(movies.id)],
    year: [desc(movies.year), desc(movies.popularity), asc(movies.id)],
    // folded titles: "eXistenZ" among the E titles, "Æon Flux" among the A ones (not after Z)
    title: [asc(movies.searchText), asc(movies.title), asc(movies.id)],
  }[s.sort];
  const db = getDb();
  const [total] = await db.select({ n: count() }).from(movies).where(and(...where));
  const rows = await db
    .select()
    .from(movies)
    .where(and(...where))
    .orderBy(...order)
    .limit(s.pageSize)
    .offset((s.page - 1) * s.pageSize);
  return { total: total?.n ?? 0, page: s.page, pageSize: s.pageSize, items: await withGenres(rows) };
}

