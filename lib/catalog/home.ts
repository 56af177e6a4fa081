import { toMovieCard, type MovieCard } from "./card";
import { randomCardsFromSeed } from "./fallback";
import { listPopularMovies, listRandomMovies } from "./queries";
import { logError } from "@/lib/util/log";

// Catalog-only picks for the web pages: the signed-out home grid, the last-resort random grid and
// the varied grid a new account picks its first favourites from. Personal picks are lib/recs/home.ts.

export type CatalogGrid = { movies: MovieCard[]; source: "popular" | "random"; notice?: string };

export const RANDOM_NOTICE = "We couldn't load tailored picks right now, so here is a random selection.";

/** Random picks: from the database, else from the bundled file (when the database itself fails). */
export async function getRandomGrid(k: number, notice = RANDOM_NOTICE): Promise<CatalogGrid> {
  try {
    const random = await listRandomMovies(k);
    if (random.length > 0) return { movies: random.map(toMovieCard), source: "random", notice };
  } catch (err) {
    logError("home grid: random picks from the database failed", err);
  }
  return { movies: randomCardsFromSeed(k), source: "random", notice };
}

/** Popular picks; random picks if that fails (from the database, else from the bundled file). */
export async function getPopularGrid(k = 24): Promise<CatalogGrid> {
  try {
    const popular = await listPopularMovies({ k });
    if (popular.length > 0) return { movies: popular.map(toMovieCard), source: "popular" };
  } catch (err) {
    logError("home grid: popular picks failed, falling back to random", err);
  }
  return getRandomGrid(k);
}

/** Genres the onboarding grid draws from, so a new account sees more than this week's blockbusters. */
export const ONBOARDING_GENRES = [
  "Action",
  "Comedy",
  "Drama",
  "Science Fiction",
  "Animation",
  "Horror",
  "Romance",
  "Thriller",
  "Family",
  "Crime",
  "Fantasy",
  "Documentary",
] as const;

/**
 * A varied grid of `perGenre × genres` films: the most popular films of each genre, taken in
 * turns (one per genre per round) so neighbouring posters differ in kind. A film in two genres
 * appears once, and its genre takes its next film instead, so the grid comes out full (each list
 * is long enough for that even if every other genre's picks are also in it). A genre with too few
 * films is made up from the other genres' next films, then from the popular list.
 */
export async function listVariedPopularMovies(perGenre = 4, genres: readonly string[] = ONBOARDING_GENRES): Promise<MovieCard[]> {
  const target = perGenre * genres.length;
  const lists = await Promise.all(genres.map((genre) => listPopularMovies({ k: target, genre })));
  const seen = new Set<number>();
  const out: MovieCard[] = [];
  const take = (m: (typeof lists)[number][number]) => {
    seen.add(m.id);
    out.push(toMovieCard(m));
  };
  // Each list is read from its own position; `cap` limits how many a genre contributes.
  const next = lists.map(() => 0);
  const turns = (cap: number) => {
    const taken = lists.map(() => 0);
    for (let progressed = true; progressed && out.length < target; ) {
      progressed = false;
      lists.forEach((list, i) => {
        if (out.length >= target || taken[i] >= cap) return;
        while (next[i] < list.length && seen.has(list[next[i]].id)) next[i]++;
        const m = list[next[i]];
        if (!m) return;
        next[i]++;
        taken[i]++;
        take(m);
        progressed = true;
      });
    }
  };
  turns(perGenre);
  if (out.length < target) turns(Infinity);
  if (out.length < target) {
    for (const m of await listPopularMovies({ k: target * 2 })) {
      if (out.length >= target) break;
      if (!seen.has(m.id)) take(m);
    }
  }
  return out;
}
