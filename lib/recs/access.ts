import { requireCaller } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import type { MaybePromise } from "@/lib/util/maybe";

/**
 * Whether the request may read these users' recommendations (whose reasons name films from each
 * user's history). With `RECOMMEND_ACCESS=public`, the default, anyone may, and this adds nothing
 * to the request. With `private`: an API key or an admin may read anyone's, a signed-in user their
 * own only (403 for anyone else's), and a request with neither is refused with 401.
 */
export function checkRecommendationAccess(request: Request, userIds: readonly number[]): MaybePromise<void> {
  if (getEnv().RECOMMEND_ACCESS === "public") return;
  return requireCaller(request).then((caller) => {
    if (caller.kind === "apiKey" || caller.user.role === "admin") return;
    if (userIds.every((id) => id === caller.user.id)) return;
    throw new ApiError("forbidden", "You may read your own recommendations only.");
  });
}
