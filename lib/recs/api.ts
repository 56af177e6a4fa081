import type { z } from "zod";
import { recommendForUser, type RecommendOptions } from "./serve";
import type { batchRequestSchema } from "./schemas";

/** Recommendations for many users in one call, served one after another from the same caches. */
export async function recommendBatch(input: z.infer<typeof batchRequestSchema>) {
  const unique = [...new Set(input.userIds)];
  const results = [];
  for (const userId of unique) results.push(await recommendForUser({ userId, k: input.k }));
  return { results };
}

export type { RecommendOptions };
