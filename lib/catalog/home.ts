import { toMovieCard, type MovieCard } from "./card";
import { randomCardsFromSeed } from "./fallback";
import { listPopularMovies, listRandomMovies } from "./queries";

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
    console.error("home grid: random picks from the database failed", err);
  }
  return { movies: randomCardsFromSeed(k), source: "random", notice };
}

/** Popular picks; random picks if that fails (from the database, else from the bundled file). */
export async function getPopularGrid(k = 24): Promise<CatalogGrid> {
  try {
    const popular = await listPopularMovies({ k });
    if (popular.length > 0) return { movies: popular.map(toMovieCard), source: "popular" };
  } catch (err) {
    console.error("home grid: popular picks failed, falling back to random", err);
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
 * A varied grid: the most popular films of each genre, taken in turns (one per genre per round)
 * so neighbouring posters differ in kind. Duplicates (a film in two genres) appear once.
 */
export async function listVariedPopularMovies(perGenre = 4, genres: readonly string[] = ONBOARDING_GENRES): Promise<MovieCard[]> {
  const lists = await Promise.all(genres.map((genre) => listPopularMovies({ k: perGenre * 2, genre })));
  const seen = new Set<number>();
  const taken = new Map<string, number>();
  const out: MovieCard[] = [];
  for (let round = 0; round < perGenre * 2; round++) {
    lists.forEach((list, i) => {
      const genre = genres[i];
      if ((taken.get(genre) ?? 0) >= perGenre) return;
      const m = list[round];
      if (!m || seen.has(m.id)) return;
      seen.add(m.id);
      taken.set(genre, (taken.get(genre) ?? 0) + 1);
      out.push(toMovieCard(m));
    });
  }
  return out;
}
