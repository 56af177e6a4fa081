import { recordRecommendationClick } from "./serve";
import { logError } from "@/lib/util/log";

// Clicks from the web app: links in the "Recommended for you" grid carry `?from=rec`; the movie
// page records a click when it is opened that way by a signed-in user. (Next's link prefetch only
// loads the page's loading state, never the page itself, so prefetching does not count.)

export const RECOMMENDATION_CLICK_QUERY = "from=rec";

export function isRecommendationClick(searchParams: Record<string, string | string[] | undefined>): boolean {
  return searchParams.from === "rec";
}

/** Record a click; a failure is logged, never shown to the user. */
export async function recordClickSafely(userId: number, movieId: number): Promise<void> {
  try {
    await recordRecommendationClick(userId, movieId);
  } catch (err) {
    logError(`experiments: click of user ${userId} on movie ${movieId} not recorded`, err);
  }
}
