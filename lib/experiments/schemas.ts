import { z } from "zod";
import { experimentMetrics, experimentPromotions, experimentStatuses } from "@/lib/db/schema";
import { intParam, isPlainText } from "@/lib/http/params";

// Inputs and outputs of the experiment APIs; the OpenAPI document is generated from these.

export const ARM_KEYS = ["A", "B", "C", "D"] as const;
const versionId = z.number().int().min(1).max(2_147_483_647);

export const experimentIdParamsSchema = z.object({ id: intParam(1, 2_147_483_647) });

export const createExperimentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80).refine(isPlainText, "contains invalid characters"),
    primaryMetric: z.enum(experimentMetrics).default("watch_rate"),
    arms: z
      .array(z.strictObject({ versionId, weight: z.number().int().min(1).max(99) }))
      .min(2, "must have at least 2 arms")
      .max(ARM_KEYS.length, `must have at most ${ARM_KEYS.length} arms`)
      .refine((arms) => arms.reduce((s, a) => s + a.weight, 0) === 100, "must have weights that add up to 100 (percent of users)")
      .refine((arms) => new Set(arms.map((a) => a.versionId)).size === arms.length, "must each serve a different version"),
  })
  .meta({
    id: "CreateExperimentRequest",
    description: "The first arm is the control. Weights are the percentage of users each arm serves and add up to 100; each arm serves a different ready version.",
  });

export type CreateExperimentInput = z.infer<typeof createExperimentSchema>;

export const stopExperimentSchema = z
  .strictObject({ promoteArm: z.enum(ARM_KEYS).optional() })
  .meta({
    id: "StopExperimentRequest",
    description: "`promoteArm`: also make that arm's version the serving one (recorded in the model audit trail).",
  });

export const recordClickSchema = z
  .strictObject({
    movieId: versionId,
    userId: versionId.optional(),
  })
  .meta({
    id: "RecommendationClickRequest",
    description: "A user opened a movie they were recommended. `userId` is for API-key callers; a signed-in user records for themselves.",
  });

export const clickResultSchema = z
  .object({
    counted: z.boolean().describe("false when no experiment runs, the movie was not shown to the user in it, or the click was already counted"),
    experimentId: z.number().int().nullable(),
    arm: z.string().nullable(),
  })
  .meta({ id: "RecommendationClick" });

const intervalSchema = z.object({ low: z.number(), high: z.number() });
const rateSchema = z.object({ rate: z.number(), interval: intervalSchema }).nullable();
const zTestSchema = z
  .object({ difference: z.number(), differenceInterval: intervalSchema, z: z.number(), pValue: z.number() })
  .nullable();

/** What is counted per arm: in the report, and in the counts a stop stores. */
const armCountFields = {
  impressions: z.number().int(),
  pairs: z.number().int(),
  users: z.number().int(),
  clicks: z.number().int(),
  watches: z.number().int(),
  ratings: z.number().int(),
};

export const experimentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: z.enum(experimentStatuses),
    primaryMetric: z.enum(experimentMetrics),
    arms: z.array(z.object({ key: z.string(), versionId: z.number().int(), weight: z.number().int() })),
    createdBy: z.number().int().nullable(),
    createdByLabel: z.string(),
    startedAt: z.number().int(),
    stoppedAt: z.number().int().nullable(),
    stoppedByLabel: z.string().nullable(),
    winnerArm: z.string().nullable().describe("the arm the stop promoted (`promoteArm`); null when stopped without promoting"),
    promotion: z
      .enum(experimentPromotions)
      .nullable()
      .describe("with a `winnerArm`: `switched` when the stop made its version the serving one, `already_serving` when it served already and nothing was switched; null without a winner, and for experiments stopped before this was recorded"),
    finalCounts: z
      .array(
        z.object({ arm: z.string(), ...armCountFields, ratingSum: z.number() }),
      )
      .nullable()
      .describe("per-arm counts stored at the stop, which the report of a stopped experiment is computed from (later interactions, or a new simulation rewriting them, do not change it); null while running, and for experiments stopped before counts were stored (their report is counted live, up to the stop)"),
  })
  .meta({ id: "Experiment" });

export const armReportSchema = z
  .object({
    key: z.string(),
    versionId: z.number().int(),
    weight: z.number().int(),
    control: z.boolean(),
    ...armCountFields,
    meanRating: z.number().nullable(),
    ctr: rateSchema,
    watchRate: rateSchema,
    vsControl: z.object({ ctr: zTestSchema, watchRate: zTestSchema }).nullable(),
  })
  .meta({ id: "ExperimentArmReport" });

export const experimentReportSchema = z
  .object({
    experiment: experimentSchema,
    arms: z.array(armReportSchema),
    alpha: z.number(),
    suggestedWinner: z.string().nullable(),
    verdict: z.string(),
  })
  .meta({ id: "ExperimentReport" });

export const experimentListSchema = z
  .object({ items: z.array(experimentSchema), running: z.number().int().nullable() })
  .meta({ id: "ExperimentList" });

export const stopResultSchema = z
  .object({
    experiment: experimentSchema,
    promotedVersion: z.number().int().nullable().describe("the version serving was switched to; null when nothing was switched (no `promoteArm`, or its version already served)"),
  })
  .meta({ id: "StoppedExperiment" });
