import { z } from "zod";
import { catalogMovieSchema, genreSchema, type CatalogMovieInput } from "@/lib/catalog/schemas";
import { TmdbError } from "./errors";

// tmdb-ts types say what TMDB should send; these schemas check what it did send. Only the fields
// the catalog uses are validated; everything else passes through untouched.

export const tmdbPopularPageSchema = z.object({
  page: z.number().int().positive(),
  total_pages: z.number().int().nonnegative(),
  results: z.array(z.looseObject({ id: z.number().int().positive() })),
});

export const tmdbGenreListSchema = z.object({ genres: z.array(genreSchema) });

const tmdbImageSchema = z.looseObject({ file_path: z.string().min(1), iso_639_1: z.string().nullish() });

export const tmdbMovieDetailsSchema = z.looseObject({
  id: z.number().int().positive(),
  title: z.string().nullish(),
  original_title: z.string().nullish(),
  original_language: z.string().nullish(),
  release_date: z.string().nullish(),
  genres: z.array(genreSchema).nullish(),
  runtime: z.number().nullish(),
  popularity: z.number().nullish(),
  vote_average: z.number().nullish(),
  vote_count: z.number().nullish(),
  poster_path: z.string().nullish(),
  // present when details were fetched with append_to_response=images
  images: z.looseObject({ posters: z.array(tmdbImageSchema).default([]) }).nullish(),
});

export type TmdbPopularPage = z.infer<typeof tmdbPopularPageSchema>;
export type TmdbGenre = z.infer<typeof genreSchema>;

/** Validate a raw TMDB payload, or throw a `malformed` TmdbError naming the first bad field. */
export function parseTmdb<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new TmdbError("malformed", `${what}: unexpected shape (${describeIssue(result.error)})`);
}

export function parsePopularPage(raw: unknown, page: number): TmdbPopularPage {
  return parseTmdb(tmdbPopularPageSchema, raw, `popular page ${page}`);
}

export function parseGenreList(raw: unknown): TmdbGenre[] {
  return parseTmdb(tmdbGenreListSchema, raw, "genre list").genres;
}

/**
 * Raw TMDB movie details → the catalog's movie input. The poster is the first one in
 * `imageLanguage` when the details carry images, else TMDB's own pick for the request language.
 */
export function reshapeMovieDetails(raw: unknown, options: { imageLanguage?: string } = {}): CatalogMovieInput {
  const d = parseTmdb(tmdbMovieDetailsSchema, raw, "movie details");
  const localized = options.imageLanguage
    ? d.images?.posters.find((p) => p.iso_639_1 === options.imageLanguage)?.file_path
    : undefined;
  // TMDB sends "" for unknown titles/dates in some locales; the catalog wants null or a real value.
  const candidate = {
    id: d.id,
    title: d.title || d.original_title || "",
    original_title: d.original_title || null,
    original_language: d.original_language || null,
    release_date: d.release_date || null,
    genres: d.genres ?? [],
    runtime: d.runtime ?? null,
    popularity: d.popularity ?? null,
    vote_average: d.vote_average ?? null,
    vote_count: d.vote_count ?? null,
    poster_path: localized ?? d.poster_path ?? null,
  };
  return parseTmdb(catalogMovieSchema, candidate, `movie ${d.id}`);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join(".") : "(root)";
  const more = error.issues.length > 1 ? ` and ${error.issues.length - 1} more` : "";
  return `${where}: ${issue.message}${more}`;
}
