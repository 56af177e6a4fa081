import { posterUrls } from "./poster";
import type { MovieWithGenres } from "./queries";

/** What a poster card needs: plain data, safe to pass to client components. */
export type MovieCard = {
  id: number;
  title: string;
  year: number | null;
  genres: string[];
  voteAverage: number;
  poster: { src: string; fallback: string };
};

export function toMovieCard(m: Pick<MovieWithGenres, "id" | "title" | "year" | "genres" | "voteAverage" | "posterPath">): MovieCard {
  return {
    id: m.id,
    title: m.title,
    year: m.year,
    genres: m.genres,
    voteAverage: m.voteAverage,
    poster: posterUrls(m),
  };
}
