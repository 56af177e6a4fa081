import { z } from "zod";
import { interactionKinds, interactionSources, users } from "@/lib/db/schema";

/** Star ratings: 0.5 to 5 in half steps, as the app and MovieLens use them. */
export const ratingValueSchema = z
  .number()
  .min(0.5, "must be at least 0.5")
  .max(5, "must be at most 5")
  .refine((v) => Number.isInteger(v * 2), "must be in steps of 0.5")
  // the OpenAPI generator shows neither a refine nor zod's multipleOf: say the steps in metadata
  .meta({ multipleOf: 0.5 });

export const interactionKindSchema = z.enum(interactionKinds);
export const interactionSourceSchema = z.enum(interactionSources);
export const userSourceSchema = z.enum(users.source.enumValues);

const idSchema = z.number().int().positive();

/**
 * One signal from the app or the public API. The value rules depend on the kind: a rating needs
 * a star value, like/watchlist are on (1) or off (0), a watch may carry how long was watched.
 */
export const recordInteractionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rating"), userId: idSchema, movieId: idSchema, value: ratingValueSchema }),
  z.object({
    kind: z.literal("watch"),
    userId: idSchema,
    movieId: idSchema,
    watchSeconds: z.number().int().nonnegative().max(86_400).optional(),
  }),
  z.object({ kind: z.literal("like"), userId: idSchema, movieId: idSchema, value: z.union([z.literal(0), z.literal(1)]).default(1) }),
  z.object({ kind: z.literal("watchlist"), userId: idSchema, movieId: idSchema, value: z.union([z.literal(0), z.literal(1)]).default(1) }),
]);

export type RecordInteractionInput = z.input<typeof recordInteractionSchema>;
