import { z } from "zod";
import { intParam } from "@/lib/http/params";

export const genreSchema = z.object({ id: z.number().int().positive(), name: z.string().min(1) });

/** A movie as the catalog stores it: the shape of the bundled seed and of reshaped TMDB details. */
export const catalogMovieSchema = z.object({
  id: z.number().int().positive(),
  title: z.string().min(1),
  original_title: z.string().nullish(),
  original_language: z.string().nullish(),
  release_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullish()
    .or(z.literal("").transform(() => null)),
  genres: z.array(genreSchema).default([]),
  runtime: z.number().int().nonnegative().nullish(),
  popularity: z.number().nonnegative().nullish(),
  vote_average: z.number().min(0).max(10).nullish(),
  vote_count: z.number().int().nonnegative().nullish(),
  poster_path: z.string().nullish(),
});

export type CatalogMovieInput = z.infer<typeof catalogMovieSchema>;

/**
 * A movie id in a path or query: a positive integer TMDB id, given in plain decimal digits, with
 * the same rules and messages as every other id parameter (intParam: "must be a whole number
 * written in digits", "must be at least 1").
 */
export const movieIdSchema = intParam(1, 2_147_483_647);
