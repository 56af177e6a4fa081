import { z } from "zod";
import type { Caller } from "@/lib/auth";
import { ApiError } from "@/lib/http/errors";
import { intParam } from "@/lib/http/params";
import { deleteInteraction, recordInteraction } from "./queries";
import { ratingValueSchema } from "./schemas";
import { getUserMovieState } from "./user-lists";

// POST /api/interactions: the body, who it is recorded for, and the JSON that comes back.

const id = z.number().int().positive().max(2_147_483_647);

export const interactionBodySchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("rating"), movieId: id, value: ratingValueSchema, userId: id.optional() }),
    z.strictObject({ kind: z.literal("watch"), movieId: id, watchSeconds: z.number().int().min(0).max(86_400).optional(), userId: id.optional() }),
    z.strictObject({ kind: z.literal("like"), movieId: id, value: z.union([z.literal(0), z.literal(1)]).default(1), userId: id.optional() }),
    z.strictObject({ kind: z.literal("watchlist"), movieId: id, value: z.union([z.literal(0), z.literal(1)]).default(1), userId: id.optional() }),
  ])
  .meta({
    id: "InteractionRequest",
    description:
      "A signal from a user: a 0.5–5 star rating, a watch (with seconds), a like (value 1, or 0 to unlike) or a watchlist add (1) / remove (0). `userId` is for API-key callers; a signed-in user records for themselves.",
  });

export const interactionResponseSchema = z
  .object({
    userId: z.number().int(),
    movieId: z.number().int(),
    kind: z.enum(["rating", "watch", "like", "watchlist"]),
    value: z.number().nullable(),
    watchSeconds: z.number().int().nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "Interaction" });

/** Whose signal a call is about: the signed-in user themselves, or the `userId` an API key names. */
function subjectOf(caller: Caller, userId: number | undefined): number {
  if (caller.kind === "user") {
    if (userId !== undefined && userId !== caller.user.id) {
      throw new ApiError("forbidden", "A signed-in user can only record interactions for themselves");
    }
    return caller.user.id;
  }
  if (userId === undefined) throw new ApiError("bad_request", "userId is required with an API key", { fields: { userId: ["is required"] } });
  return userId;
}

export async function recordInteractionFor(caller: Caller, body: z.infer<typeof interactionBodySchema>) {
  const userId = subjectOf(caller, body.userId);
  const { userId: _ignored, ...signal } = body;
  const saved = await recordInteraction({ ...signal, userId }, caller.kind === "user" ? "app" : "api");
  // A user who marks a film watched has seen it: it leaves their watchlist, as on the movie sites
  // they know (QA). Only the user's own action: an API key records events as they are sent.
  if (caller.kind === "user" && signal.kind === "watch" && (await getUserMovieState(userId, signal.movieId)).inWatchlist) {
    await recordInteraction({ kind: "watchlist", userId, movieId: signal.movieId, value: 0 }, "app");
  }
  return {
    userId: saved.userId,
    movieId: saved.movieId,
    kind: saved.kind,
    value: saved.value,
    watchSeconds: saved.watchSeconds,
    createdAt: saved.createdAt,
  };
}

// DELETE /api/interactions?movieId=&kind=[&userId=]: take a signal back (e.g. clear a rating).
export const interactionDeleteQuerySchema = z.strictObject({
  movieId: intParam(1, 2_147_483_647),
  kind: z.enum(["rating", "watch", "like", "watchlist"]),
  userId: intParam(1, 2_147_483_647).optional(),
});

export const interactionDeletedSchema = z
  .object({
    userId: z.number().int(),
    movieId: z.number().int(),
    kind: z.enum(["rating", "watch", "like", "watchlist"]),
    removed: z.boolean().describe("false when there was nothing to remove"),
  })
  .meta({ id: "InteractionRemoved" });

export async function removeInteractionFor(caller: Caller, query: z.infer<typeof interactionDeleteQuerySchema>) {
  const userId = subjectOf(caller, query.userId);
  const removed = await deleteInteraction(userId, query.movieId, query.kind);
  return { userId, movieId: query.movieId, kind: query.kind, removed };
}
