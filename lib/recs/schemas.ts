import { z } from "zod";
import { genreParam, intParam, intParamWithDefault } from "@/lib/http/params";

export const recommendationSources = ["model", "folded_in", "popular", "random"] as const;
export type RecommendationSource = (typeof recommendationSources)[number];

export const reasonSchema = z
  .discriminatedUnion("type", [
    z
      .object({ type: z.literal("because_you_watched"), movieId: z.number().int(), title: z.string() })
      .describe("the movie in the user's history (watched, rated, liked or on the watchlist) this pick is most similar to"),
    z
      .object({ type: z.literal("similar_to"), movieId: z.number().int(), title: z.string() })
      .describe("in /api/movies/{id}/similar: a neighbour of that movie in the model's item-neighbour cache"),
    z
      .object({ type: z.literal("same_series"), movieId: z.number().int(), title: z.string() })
      .describe("in /api/movies/{id}/similar: a film of that movie's series, told by their titles (\"Toy Story\", \"Toy Story 2\")"),
    z.object({ type: z.literal("popular") }),
    z.object({ type: z.literal("random") }),
  ])
  .meta({ id: "RecommendationReason" });

export type Reason = z.infer<typeof reasonSchema>;

export const recommendationItemSchema = z
  .object({
    id: z.number().int().describe("TMDB movie id"),
    title: z.string(),
    year: z.number().int().nullable(),
    genres: z.array(z.string()),
    posterUrl: z.string(),
    posterFallbackUrl: z.string(),
    score: z.number(),
    rank: z.number().int().min(1),
    reason: reasonSchema,
  })
  .meta({ id: "RecommendationItem" });

export const recommendationResponseSchema = z
  .object({
    userId: z.number().int(),
    modelVersion: z.number().int().nullable(),
    source: z.enum(recommendationSources),
    requestId: z.string(),
    items: z.array(recommendationItemSchema),
    experiment: z
      .object({ id: z.number().int(), arm: z.string() })
      .optional()
      .describe(
        "The A/B experiment arm that served this response (only while an experiment runs and the picks are personalised). Counted as shown (impressions) only for an API key's request or the user's own session; anyone else gets the same arm's list without it being counted",
      ),
  })
  .meta({ id: "Recommendations" });

export type RecommendationResponse = z.infer<typeof recommendationResponseSchema>;

export const userIdSchema = intParam(1, 2_147_483_647);

/** A comma-separated list of movie ids (each 1 to 2147483647, as every movie id), at most 100. */
export const excludeParam = z
  .string()
  .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9}){0,99}$/, "must be up to 100 comma-separated movie ids")
  .transform((s) => s.split(",").map(Number))
  .refine((ids) => ids.every((id) => id <= 2_147_483_647), "must be up to 100 comma-separated movie ids, each at most 2147483647")
  // (the pattern cannot say the maximum)
  .meta({ description: "Up to 100 comma-separated movie ids, each from 1 to 2147483647" });

export const recommendQuerySchema = z.strictObject({
  userId: userIdSchema,
  k: intParamWithDefault(1, 100, 10),
  genre: genreParam.optional(),
  exclude: excludeParam.optional(),
});

export const recommendPathQuerySchema = recommendQuerySchema.omit({ userId: true });

export const batchRequestSchema = z
  .strictObject({
    userIds: z.array(z.number().int().min(1).max(2_147_483_647)).min(1).max(1000),
    k: z.number().int().min(1).max(100).default(10),
  })
  .meta({ id: "BatchRecommendationRequest" });

export const batchResponseSchema = z
  .object({ results: z.array(recommendationResponseSchema.omit({ requestId: true })), requestId: z.string() })
  .meta({ id: "BatchRecommendations" });

export const similarQuerySchema = z.strictObject({ k: intParamWithDefault(1, 100, 12) });
