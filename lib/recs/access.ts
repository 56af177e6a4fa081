import { getCaller, requireCaller, type Caller } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import type { ImpressionViewer } from "@/lib/experiments/serve";
import { ApiError } from "@/lib/http/errors";
import type { MaybePromise } from "@/lib/util/maybe";
import { logError } from "@/lib/util/log";

/**
 * Whether the request may read these users' recommendations (whose reasons name films from each
 * user's history). With `RECOMMEND_ACCESS=public`, the default, anyone may, and this looks at no
 * credential. With `private`: an API key or an admin may read anyone's, a signed-in user their
 * own only (403 for anyone else's), and a request with neither is refused with 401.
 *
 * Returns who the lists are shown to, for the running A/B experiment's impressions
 * (`requestViewer`), with the caller this check already found.
 */
export function checkRecommendationAccess(request: Request, userIds: readonly number[]): MaybePromise<ImpressionViewer> {
  if (getEnv().RECOMMEND_ACCESS === "public") return requestViewer(request);
  return requireCaller(request).then((caller) => {
    if (caller.kind === "apiKey" || caller.user.role === "admin" || userIds.every((id) => id === caller.user.id)) {
      return requestViewer(request, caller);
    }
    throw new ApiError("forbidden", "You may read your own recommendations only.");
  });
}

/**
 * Whom an API request's lists are shown to, as the experiment's impressions need it: a list counts
 * as shown to its user when the caller is an API key (a server of the site, which shows it to
 * that user) or that user's own session. An anonymous caller, or a signed-in one reading someone
 * else's list (an admin's too), shows it to no one we can vouch for. The caller is looked up only
 * when asked (while an experiment runs), once per request; `known` is one already found.
 */
export function requestViewer(request: Request, known?: Caller): ImpressionViewer {
  let caller: Promise<Caller | null> | undefined;
  return (userId) => {
    if (known) return showsTo(known, userId);
    caller ??= getCaller(request).catch((err: unknown) => {
      logError("recommend: could not tell who is asking, so no impressions are logged", err);
      return null;
    });
    return caller.then((found) => found !== null && showsTo(found, userId));
  };
}

function showsTo(caller: Caller, userId: number): boolean {
  return caller.kind === "apiKey" || caller.user.id === userId;
}
