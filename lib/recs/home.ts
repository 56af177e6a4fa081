import { toMovieCard, type MovieCard } from "@/lib/catalog/card";
import { getPopularGrid, getRandomGrid } from "@/lib/catalog/home";
import { getMoviesByIds, listPopularMovies } from "@/lib/catalog/queries";
import { getUserHistory, isDisliked, type HistoryItem } from "@/lib/interactions/training-data";
import { recommendWithExperiment, SHOWN_IN_APP } from "@/lib/experiments/serve";
import { listSimilarMovies, type RecommendationSource } from "./serve";
import { logError } from "@/lib/util/log";

// What the web pages show from the recommender: the home page's grid and rows, and a movie page's
// "More like this". Pages call these directly (never our own HTTP API). Every part fails on its
// own: a broken row is left out, a broken recommendation call becomes random picks with a notice,
// so the home page never turns into an error screen.

export type HomeGrid = {
  title: string;
  subtitle: string;
  movies: MovieCard[];
  source: RecommendationSource;
  /** Shown above the grid when the picks are a fallback, not what the user should be getting. */
  notice?: string;
  /** Per-movie caption, e.g. "Because you watched Alien" (see becauseYou). */
  notes: Record<number, string>;
};

/** `href`: where the row's link goes; `linkLabel`: its text when not "See all" (which names the row). */
export type HomeRow = { key: string; title: string; movies: MovieCard[]; href?: string; linkLabel?: string };

export type HomeFeed = {
  grid: HomeGrid;
  rows: HomeRow[];
  /** False for a signed-in account with no likes, ratings or watches yet (offer onboarding); true when unknown. */
  hasHistory: boolean;
};

export const GRID_SIZE = 24;
export const ROW_SIZE = 12;
export const DEFAULT_GENRES = ["Action", "Comedy", "Science Fiction"] as const;
const GENRE_ROWS = 3;
const ANCHOR_TRIES = 3; // recent history items tried for "Because you watched" until one has neighbours

/** The id of a movie page's "More like this" row, which home's "Because you … ‹title›" row links to. */
export const MORE_LIKE_THIS_ID = "more-like-this";

/** A movie page, scrolled to its "More like this" row. */
export function moreLikeThisHref(movieId: number): string {
  return `/movies/${movieId}#${MORE_LIKE_THIS_ID}`;
}

export const RECOMMENDATION_FAILED_NOTICE =
  "We couldn't load your recommendations right now, so here is a random selection. Try again in a moment.";

/**
 * Why a pick is shown, from what the user did with the movie it came from: "Because you watched
 * Alien", "… rated …" (also for a film watched and rated), "… liked …" (onboarding picks are
 * likes), or "Because Alien is on your watchlist". Never "watched" for a film the user only saved or liked; for a film they rated
 * below DISLIKED_BELOW, only "Similar to Alien" (the model's picks may come from one: training
 * counts every rating; folding in does not).
 */
export function becauseYou({ kind, rating }: Pick<HistoryItem, "kind" | "rating">, title: string): string {
  if (isDisliked({ rating })) return `Similar to ${title}`;
  // a film watched and then rated: the stars are what the user said about it (QA: "Because you
  // watched Clueless" after rating it 4.5)
  if (kind === "watch" && rating !== null) return `Because you rated ${title}`;
  switch (kind) {
    case "watch":
      return `Because you watched ${title}`;
    case "rating":
      return `Because you rated ${title}`;
    case "like":
      return `Because you liked ${title}`;
    case "watchlist":
      return `Because ${title} is on your watchlist`;
  }
}

/** Cards for movie ids, in order, with the facts a card shows (recommendation items lack ratings). */
async function cardsFor(ids: number[]): Promise<MovieCard[]> {
  return (await getMoviesByIds(ids)).filter((m) => !m.placeholder).map(toMovieCard);
}

/** Run one part of the page; a failure is logged and leaves that part out. */
async function optional<T>(label: string, part: () => Promise<T>): Promise<T | null> {
  try {
    return await part();
  } catch (err) {
    logError(`home: ${label} failed`, err);
    return null;
  }
}

export type SimilarCards = {
  title: string;
  movies: MovieCard[];
  /** How many of the films found were left out as excluded (for a signed-in user: already theirs). */
  excluded: number;
};

/**
 * "More like this" for a movie page: its neighbours; for a film with none yet, popular films of its
 * main genre, titled as what they are ("Popular in Drama"), not as similar films.
 */
export async function listSimilarCards(
  movie: { id: number; genres: string[] },
  k = ROW_SIZE,
  exclude: Iterable<number> = [],
): Promise<SimilarCards> {
  const skip = new Set(exclude);
  // neighbours only: popular films past them are not "like this"
  const similar = await listSimilarMovies(movie.id, k + skip.size, { topUp: false });
  const found = similar.items.map((i) => i.id);
  const kept = found.filter((id) => !skip.has(id));
  const movies = await cardsFor(kept.slice(0, k));
  const excluded = found.length - kept.length;
  if (similar.source === "model") return { title: "More like this", movies, excluded };
  const genre = movie.genres[0];
  return { title: genre ? `Popular in ${genre}` : "Popular on TMDB", movies, excluded };
}

/**
 * "More like this" for a signed-in user: without the films already in their history (rated,
 * watched, liked or on their watchlist), as the home page's rows leave them out.
 */
export async function listSimilarCardsForUser(movie: { id: number; genres: string[] }, userId: number): Promise<SimilarCards> {
  const history = await getUserHistory(userId);
  return listSimilarCards(movie, ROW_SIZE, history.map((h) => h.movieId));
}

async function getRecommendedGrid(userId: number, history: HistoryItem[]): Promise<HomeGrid> {
  const seen = history.length;
  try {
    // Through the running A/B experiment (if any): the user's arm serves, the grid is logged.
    const recs = await recommendWithExperiment({ userId, k: GRID_SIZE }, "home", SHOWN_IN_APP);
    const did = new Map(history.map((h) => [h.movieId, h]));
    const notes: Record<number, string> = {};
    for (const { id, reason } of recs.items) {
      if (reason.type !== "because_you_watched") continue;
      // the anchor as the user left it (a model trained earlier may name one they have since removed)
      const anchor = did.get(reason.movieId);
      if (anchor) notes[id] = becauseYou(anchor, reason.title);
    }
    const personal = recs.source === "model" || recs.source === "folded_in";
    return {
      title: personal ? "Recommended for you" : seen === 0 ? "Popular picks to start with" : "Popular picks for you",
      subtitle: personal
        ? "Picked from what you watched, rated and liked."
        : "Rate or like a few films and these become yours.",
      movies: await cardsFor(recs.items.map((i) => i.id)),
      source: recs.source,
      notice: recs.source === "random" ? RECOMMENDATION_FAILED_NOTICE : undefined,
      notes,
    };
  } catch (err) {
    logError("home: recommendations failed, showing random picks", err);
    const random = await getRandomGrid(GRID_SIZE, RECOMMENDATION_FAILED_NOTICE);
    return {
      title: "Picks for tonight",
      subtitle: "A random selection from the catalog.",
      movies: random.movies,
      source: "random",
      notice: random.notice,
      notes: {},
    };
  }
}

/**
 * "Because you watched ‹title›" (or rated, liked, saved): neighbours of the most recent history
 * item that has some and that the user did not rate low, without `shown` (the user's history and
 * the grid). `shown` is a promise so the neighbours are read while the grid is still being built.
 */
async function getBecauseYouWatchedRow(history: HistoryItem[], shown: Promise<Set<number>>): Promise<HomeRow | null> {
  for (const item of history.filter((h) => !isDisliked(h)).slice(0, ANCHOR_TRIES)) {
    const { movieId } = item;
    const similar = await listSimilarMovies(movieId, ROW_SIZE + history.length + GRID_SIZE, { topUp: false });
    if (similar.source !== "model") continue;
    const skip = await shown;
    const ids = similar.items.map((i) => i.id).filter((id) => !skip.has(id)).slice(0, ROW_SIZE);
    if (ids.length === 0) continue;
    const [anchor] = await getMoviesByIds([movieId]);
    if (!anchor) continue;
    return {
      key: `because-${movieId}`,
      title: becauseYou(item, anchor.title),
      movies: await cardsFor(ids),
      // more of the same, on the anchor's own page (which leaves out what the user has seen too)
      href: moreLikeThisHref(movieId),
      linkLabel: `More like ${anchor.title}`,
    };
  }
  return null;
}

/** Popular (in a genre) minus `shown`, which grows by the row's films so later rows don't repeat them. */
async function getPopularRow(shown: Set<number>, genre?: string): Promise<HomeRow | null> {
  const popular = await listPopularMovies({ k: ROW_SIZE + shown.size, genre });
  const movies = popular.filter((m) => !shown.has(m.id)).slice(0, ROW_SIZE).map(toMovieCard);
  if (movies.length === 0) return null;
  for (const m of movies) shown.add(m.id);
  return genre
    ? { key: `genre-${genre}`, title: `Popular in ${genre}`, movies, href: `/search?${new URLSearchParams({ genre })}` }
    : { key: "popular", title: "Popular on TMDB", movies, href: "/search" };
}

/** Catalog rows in order, each without the films already on the page. A failed row is left out. */
async function getPopularRows(shown: Set<number>, rows: (string | undefined)[]): Promise<HomeRow[]> {
  const out: HomeRow[] = [];
  for (const genre of rows) {
    const row = await optional(`${genre ?? "popular"} row`, () => getPopularRow(shown, genre));
    if (row) out.push(row);
  }
  return out;
}

/** The user's favourite genres by how much of their history falls in each, then the defaults. */
async function pickGenres(history: { movieId: number; weight: number }[]): Promise<string[]> {
  const weight = new Map<string, number>();
  const movies = await getMoviesByIds(history.slice(0, 200).map((h) => h.movieId));
  for (const m of movies) for (const g of m.genres) weight.set(g, (weight.get(g) ?? 0) + 1);
  const favourites = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([g]) => g);
  return [...new Set([...favourites, ...DEFAULT_GENRES])].slice(0, GENRE_ROWS);
}

/**
 * What the visitor's grid says it is. "Popular" is the catalog's order by TMDB's popularity score
 * (listPopularMovies), as the last import or crawl left it, not what people do on this site; and
 * random picks are not popular at all. (Was "The films everyone is watching this week", over
 * either, from a catalog that changes only when it is imported again; QA.)
 */
export const SIGNED_OUT_SUBTITLES = {
  popular: "The catalog's most popular films, by TMDB's popularity score as of the last catalog update.",
  random: "A random selection from the catalog.",
} as const;

/** The home page for a visitor: popular picks and genre rows (the page adds a sign-in invitation). */
export async function getSignedOutFeed(): Promise<HomeFeed> {
  const popular = await getPopularGrid(GRID_SIZE);
  const rows = await getPopularRows(new Set(popular.movies.map((m) => m.id)), [...DEFAULT_GENRES]);
  return {
    grid: {
      title: popular.source === "popular" ? "Popular on TMDB" : "Picks for tonight",
      subtitle: SIGNED_OUT_SUBTITLES[popular.source],
      movies: popular.movies,
      source: popular.source,
      notice: popular.notice,
      notes: {},
    },
    rows,
    hasHistory: false,
  };
}

/**
 * The home page for a signed-in user: "Recommended for you" from the serving model (folded in
 * when they acted since the last training), then "Because you watched", "Popular on TMDB" and their
 * favourite genres. Rows leave out what the user has already seen and what is already shown.
 */
export async function getPersonalFeed(userId: number): Promise<HomeFeed> {
  const read = await optional("history", () => getUserHistory(userId));
  const history = read ?? [];
  const seen = new Set(history.map((h) => h.movieId));
  const gridPromise = getRecommendedGrid(userId, history);
  const seenOrInGrid = gridPromise.then((grid) => new Set([...seen, ...grid.movies.map((m) => m.id)]));
  const [grid, because, genres] = await Promise.all([
    gridPromise,
    optional("because-you-watched row", () => getBecauseYouWatchedRow(history, seenOrInGrid)),
    optional("genre choice", () => pickGenres(history.filter((h) => !isDisliked(h)))),
  ]);
  const shown = new Set([...seen, ...grid.movies.map((m) => m.id), ...(because?.movies.map((m) => m.id) ?? [])]);
  const rows = await getPopularRows(shown, [undefined, ...(genres ?? DEFAULT_GENRES)]);
  return {
    grid,
    rows: because ? [because, ...rows] : rows,
    // a history that could not be read is not an empty one: no onboarding offer then
    hasHistory: read === null || history.length > 0,
  };
}
