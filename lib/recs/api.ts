import type { z } from "zod";
import { recommendWithExperiment } from "@/lib/experiments/serve";
import { observeRecommendations } from "@/lib/mlops/metrics";
import type { RecommendOptions } from "./serve";
import type { batchRequestSchema } from "./schemas";

/**
 * Recommendations for one user, counted in the Prometheus metrics; through the running A/B
 * experiment's arm for this user when there is one (logged as impressions).
 */
export async function serveRecommendations(opts: RecommendOptions) {
  const result = await recommendWithExperiment(opts, "api");
  observeRecommendations(result);
  return result;
}

/** Recommendations for many users in one call, served one after another from the same caches. */
export async function recommendBatch(input: z.infer<typeof batchRequestSchema>) {
  const unique = [...new Set(input.userIds)];
  const results = [];
  for (const userId of unique) results.push(await serveRecommendations({ userId, k: input.k }));
  return { results };
}

export type { RecommendOptions };
