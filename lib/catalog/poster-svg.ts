import { ApiError } from "@/lib/http/errors";
import { renderPosterSvg } from "./poster";
import { getMovie } from "./queries";

/** The generated poster for a movie, or 404 for an unknown id. */
export async function getGeneratedPoster(id: number): Promise<string> {
  const movie = await getMovie(id);
  if (!movie) throw new ApiError("not_found", `No movie with id ${id}`);
  return renderPosterSvg({ title: movie.title, year: movie.year, genres: movie.genres });
}
