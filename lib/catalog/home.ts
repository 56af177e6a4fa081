import { toMovieCard, type MovieCard } from "./card";
import { randomCardsFromSeed } from "./fallback";
import { listPopularMovies, listRandomMovies } from "./queries";

export type HomeGrid = { movies: MovieCard[]; source: "popular" | "random"; notice?: string };

/** Popular picks; random picks if that fails (from the database, else from the bundled file). */
export async function getHomeGrid(k = 24): Promise<HomeGrid> {
  try {
    const popular = await listPopularMovies({ k });
    if (popular.length > 0) return { movies: popular.map(toMovieCard), source: "popular" };
  } catch (err) {
    console.error("home grid: popular picks failed, falling back to random", err);
  }
  const notice = "We couldn't load tailored picks right now, so here is a random selection.";
  try {
    const random = await listRandomMovies(k);
    if (random.length > 0) return { movies: random.map(toMovieCard), source: "random", notice };
  } catch (err) {
    console.error("home grid: random picks from the database failed", err);
  }
  return { movies: randomCardsFromSeed(k), source: "random", notice };
}
