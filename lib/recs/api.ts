import type { z } from "zod";
import { recommendWithExperiment, type ExperimentTag, type ImpressionViewer } from "@/lib/experiments/serve";
import { observeRecommendations } from "@/lib/mlops/metrics";
import { andThen, type MaybePromise } from "@/lib/util/maybe";
import { cachedListJson } from "./list-cache";
import type { RecommendOptions, Recommendations } from "./serve";
import type { batchRequestSchema } from "./schemas";

/**
 * Recommendations for one user, counted in the Prometheus metrics; through the running A/B
 * experiment's arm for this user when there is one (logged as impressions when `viewer` says the
 * list is shown to that user: see checkRecommendationAccess).
 */
export function serveRecommendations(opts: RecommendOptions, viewer: ImpressionViewer): MaybePromise<Recommendations & { experiment?: ExperimentTag }> {
  return andThen(recommendWithExperiment(opts, "api", viewer), (result) => {
    observeRecommendations(result);
    return result;
  });
}

/** Recommendations for many users in one call, served one after another from the same caches. */
export async function recommendBatch(input: z.infer<typeof batchRequestSchema>, viewer: ImpressionViewer) {
  const unique = [...new Set(input.userIds)];
  const results = [];
  for (const userId of unique) results.push(await serveRecommendations({ userId, k: input.k }, viewer));
  return { results };
}

/**
 * The response body: the same text as `JSON.stringify({ ...result, requestId })`, reusing the
 * list's JSON when it came from the memo of finished lists (most repeat requests).
 */
export function encodeRecommendations(result: Recommendations & { experiment?: ExperimentTag }, requestId: string): string {
  const items = cachedListJson(result.items);
  if (items === undefined) return JSON.stringify({ ...result, requestId });
  const experiment = result.experiment ? `,"experiment":${JSON.stringify(result.experiment)}` : "";
  return `{"userId":${result.userId},"modelVersion":${result.modelVersion},"source":${JSON.stringify(result.source)},"items":${items}${experiment},"requestId":${JSON.stringify(requestId)}}`;
}

export type { RecommendOptions };
