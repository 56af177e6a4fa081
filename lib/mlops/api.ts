import { z } from "zod";
import { modelStages, modelStatuses } from "@/lib/db/schema";
import { getServingVersionId, listModelVersions } from "./registry";

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

export const modelListResponseSchema = z
  .object({ servingVersion: z.number().int().nullable(), items: z.array(modelVersionSchema) })
  .meta({ id: "ModelVersions" });

export async function listModelsForApi(): Promise<z.infer<typeof modelListResponseSchema>> {
  const [servingVersion, versions] = await Promise.all([getServingVersionId(), listModelVersions(100)]);
  return {
    servingVersion,
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
