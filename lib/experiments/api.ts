import type { z } from "zod";
import type { Caller } from "@/lib/auth";
import { ApiError } from "@/lib/http/errors";
import type { recordClickSchema } from "./schemas";
import { recordRecommendationClick, type ClickResult } from "./serve";

/** POST /api/recommend/clicks: who the click is for (like POST /api/interactions), then count it. */
export async function recordClickFor(caller: Caller, body: z.infer<typeof recordClickSchema>): Promise<ClickResult> {
  let userId: number;
  if (caller.kind === "user") {
    if (body.userId !== undefined && body.userId !== caller.user.id) {
      throw new ApiError("forbidden", "A signed-in user can only record clicks for themselves");
    }
    userId = caller.user.id;
  } else {
    if (body.userId === undefined) throw new ApiError("bad_request", "userId is required with an API key", { fields: { userId: ["is required"] } });
    userId = body.userId;
  }
  return recordRecommendationClick(userId, body.movieId);
}
