import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import { genreParam, intParam, intParamWithDefault, MAX_PAGE, textParam } from "@/lib/http/params";
import { posterUrls } from "./poster";
import { getMovie, listGenres, listPopularMovies, searchMovies, type MovieWithGenres } from "./queries";
import { foldForSearch } from "./search-text";

// Public catalog API: input schemas, the JSON shape of a movie, and the service functions the
// route handlers call. The same schemas feed the OpenAPI document.

export const apiMovieSchema = z
  .object({
    id: z.number().int().describe("TMDB movie id"),
    title: z.string(),
    originalTitle: z.string().nullable(),
    originalLanguage: z.string().nullable(),
    releaseDate: z.string().nullable(),
    year: z.number().int().nullable(),
    genres: z.array(z.string()),
    runtime: z.number().int().nullable().describe("minutes"),
    popularity: z.number(),
    voteAverage: z.number(),
    voteCount: z.number().int(),
    posterUrl: z.string().describe("TMDB image URL, or the generated poster when there is none"),
    posterFallbackUrl: z.string().describe("generated SVG poster, for when the image fails to load"),
  })
  .meta({ id: "Movie" });

export type ApiMovie = z.infer<typeof apiMovieSchema>;

export function toApiMovie(m: MovieWithGenres): ApiMovie {
  const poster = posterUrls(m);
  return {
    id: m.id,
    title: m.title,
    originalTitle: m.originalTitle,
    originalLanguage: m.originalLanguage,
    releaseDate: m.releaseDate,
    year: m.year,
    genres: m.genres,
    runtime: m.runtime,
    popularity: m.popularity,
    voteAverage: m.voteAverage,
    voteCount: m.voteCount,
    posterUrl: poster.src,
    posterFallbackUrl: poster.fallback,
  };
}

export const movieListQuerySchema = z.strictObject({
  query: textParam(100)
    // accent marks alone fold to nothing, which would match every title (QA: `query=%CC%81`)
    .refine((q) => foldForSearch(q).trim() !== "", "must contain more than accent marks")
    .optional()
    .meta({ description: "Words of the title or the original title, in any order and case, with or without accents and punctuation (`amelie` finds Amélie, `mission impossible` Mission: Impossible), or run together from the start of one of its words (`spiderman` finds Spider-Man 3, `walle` WALL·E)" }),
  genre: genreParam.optional(),
  year: intParam(1870, 2100).optional(),
  sort: z
    .enum(["relevance", "popularity", "rating", "year", "title"])
    .default("relevance")
    .meta({
      description:
        "relevance: with a `query`, a title equal to it first (as typed, or with its words run together), then the others by TMDB popularity × 4 where the query's words are whole words of the title, × 1 where they start a word (or run together from one), × 0.25 where they are only inside words; without a `query`, the same as popularity. rating: TMDB's average weighted by its vote count (few votes are pulled toward the catalog's mean)",
    }),
  page: intParamWithDefault(1, MAX_PAGE, 1),
  pageSize: intParamWithDefault(1, 100, 24),
});

export const movieListResponseSchema = z
  .object({
    items: z.array(apiMovieSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: "MovieList" });

export async function listMoviesForApi(q: z.infer<typeof movieListQuerySchema>) {
  const res = await searchMovies(q);
  return { items: res.items.map(toApiMovie), total: res.total, page: res.page, pageSize: res.pageSize };
}

export async function getMovieForApi(id: number): Promise<ApiMovie> {
  const movie = await getMovie(id);
  if (!movie) throw new ApiError("not_found", `No movie with id ${id}`);
  return toApiMovie(movie);
}

export const popularQuerySchema = z.strictObject({
  genre: genreParam.optional(),
  k: intParamWithDefault(1, 100, 20),
});

export const popularResponseSchema = z.object({ items: z.array(apiMovieSchema) }).meta({ id: "PopularMovies" });

export async function listPopularForApi(q: z.infer<typeof popularQuerySchema>) {
  return { items: (await listPopularMovies(q)).map(toApiMovie) };
}

export const genresResponseSchema = z
  .object({ items: z.array(z.object({ id: z.number().int(), name: z.string(), movieCount: z.number().int() })) })
  .meta({ id: "Genres" });

export async function listGenresForApi() {
  return { items: await listGenres() };
}
