import { z } from "zod";
import { modelStages, modelStatuses } from "@/lib/db/schema";
import { intParam, intParamWithDefault } from "@/lib/http/params";
import { getServingVersionId, listModelVersions } from "./registry";
import { settleAbandonedTraining } from "./settle";

export const modelVersionSchema = z
  .object({
    id: z.number().int(),
    algorithm: z.string(),
    params: z.record(z.string(), z.unknown()),
    metrics: z.record(z.string(), z.number()),
    snapshot: z.record(z.string(), z.unknown()),
    status: z.enum(modelStatuses),
    stage: z.enum(modelStages),
    serving: z.boolean(),
    codeVersion: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    createdAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
  })
  .meta({ id: "ModelVersion" });

/** The largest (and default) page of `/api/models`. */
export const MODELS_PAGE_SIZE = 100;

/** One page of versions, newest first: `before` is the previous page's `nextBefore`. */
export const modelListQuerySchema = z.strictObject({
  limit: intParamWithDefault(1, MODELS_PAGE_SIZE, MODELS_PAGE_SIZE),
  // a version id is a 32-bit integer column: a larger one is refused here, not by PostgreSQL (a 500)
  before: intParam(1, 2_147_483_647).optional().meta({ description: "Only versions with a smaller id: the previous page's `nextBefore`" }),
});

export const modelListResponseSchema = z
  .object({
    servingVersion: z.number().int().nullable(),
    items: z.array(modelVersionSchema),
    nextBefore: z.number().int().nullable().meta({ description: "Pass as `before` for the next (older) page; null on the last page" }),
  })
  .meta({ id: "ModelVersions" });

export async function listModelsForApi(
  query: { limit?: number; before?: number } = {},
): Promise<z.infer<typeof modelListResponseSchema>> {
  const limit = query.limit ?? MODELS_PAGE_SIZE;
  await settleAbandonedTraining(); // a killed run reads `failed`, as in the runs listing
  // one more than the page, to know whether another page follows
  const [servingVersion, rows] = await Promise.all([getServingVersionId(), listModelVersions(limit + 1, query.before)]);
  const versions = rows.slice(0, limit);
  return {
    servingVersion,
    nextBefore: rows.length > limit ? versions[versions.length - 1].id : null,
    items: versions.map((v) => ({
      id: v.id,
      algorithm: v.algorithm,
      params: v.params,
      metrics: v.metrics,
      snapshot: v.snapshot,
      status: v.status,
      stage: v.stage,
      serving: v.id === servingVersion,
      codeVersion: v.codeVersion,
      durationMs: v.durationMs,
      createdAt: v.createdAt,
      finishedAt: v.finishedAt,
    })),
  };
}
