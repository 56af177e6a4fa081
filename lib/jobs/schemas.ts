import { AvailableLanguages } from "tmdb-ts";
import { z } from "zod";
import { jobKinds, jobStatuses } from "@/lib/db/schema";
import { jobTriggers } from "./origin";
import { intParam, intParamWithDefault } from "@/lib/http/params";
import { MODEL_NAMES, type ModelName } from "@/lib/recs/models";
import { simulationOptionsSchema } from "@/lib/simulate/generate";

// What an admin can start from the UI or the API. `import` needs a file on the server, so it stays
// a CLI-only job (npm run import).
export const adminJobKinds = ["crawl", "simulate", "train"] as const;
export type AdminJobKind = (typeof adminJobKinds)[number];

export const crawlJobParamsSchema = z
  .object({
    pages: z
      .object({ from: z.int().min(1).max(500), to: z.int().min(1).max(500) })
      .refine((p) => p.from <= p.to, { message: "must not be before the from page", path: ["to"] }),
    // "kr" and " KR " mean KR
    region: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "must be a two-letter region such as KR").default("KR"),
    language: z.enum(AvailableLanguages, "must be a TMDB language such as ko-KR or en-US").default("ko-KR"),
    imageLanguage: z
      .string()
      .regex(/^[a-z]{2}$/, "must be a two-letter language such as ko")
      .optional()
      .meta({ description: "Preferred poster language; by default the language's own (en for en-US)" }),
    restart: z
      .boolean()
      .default(false)
      .meta({ description: "Start over: forget which pages of the range an earlier crawl of this region and language completed (skipped otherwise) and fetch them again, as npm run crawl -- --restart" }),
  })
  .strict()
  .meta({ id: "CrawlJobParams" });

export const simulateJobParamsSchema = simulationOptionsSchema
  .extend({ users: z.int().min(1).max(100_000).default(1000) })
  .strict()
  .meta({ id: "SimulateJobParams" });

export const trainJobParamsSchema = z
  .object({
    model: z.enum(MODEL_NAMES as [ModelName, ...ModelName[]]),
    params: z.record(z.string(), z.unknown()).default({}).meta({ description: "Model parameters; defaults in docs/evaluation.md" }),
    force: z.boolean().default(false).meta({ description: "Promote even if the gate would keep it as a candidate" }),
  })
  .strict()
  .meta({ id: "TrainJobParams" });

export const jobParamsSchemas = {
  crawl: crawlJobParamsSchema,
  simulate: simulateJobParamsSchema,
  train: trainJobParamsSchema,
} as const satisfies Record<AdminJobKind, z.ZodType>;

export type JobParams<K extends AdminJobKind> = z.output<(typeof jobParamsSchemas)[K]>;

export const enqueueJobSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("crawl"), params: crawlJobParamsSchema }),
    z.strictObject({ kind: z.literal("simulate"), params: simulateJobParamsSchema.prefault({}) }),
    z.strictObject({ kind: z.literal("train"), params: trainJobParamsSchema }),
  ])
  .meta({ id: "EnqueueJobRequest" });
export type EnqueueJobInput = z.output<typeof enqueueJobSchema>;

// What the API and the admin pages show of a job. `log` only in the single-job view.
export const jobSchema = z
  .object({
    id: z.int(),
    kind: z.enum(jobKinds),
    status: z.enum(jobStatuses),
    params: z.record(z.string(), z.unknown()),
    progress: z.number().min(0).max(1),
    message: z.string().nullable(),
    stats: z.record(z.string(), z.unknown()),
    error: z.string().nullable(),
    requestedBy: z.string().nullable().meta({ description: "Email of the admin who started it; null otherwise" }),
    trigger: z.enum(jobTriggers).nullable().meta({
      description: "What queued it when no admin did: the retrain schedule (/api/cron/retrain) or drift auto-retrain (/api/cron/drift); null for admin and CLI runs",
    }),
    createdAt: z.int(),
    startedAt: z.int().nullable(),
    finishedAt: z.int().nullable(),
    heartbeatAt: z.int().nullable(),
  })
  .meta({ id: "Job" });
export type ApiJob = z.infer<typeof jobSchema>;

export const jobDetailSchema = jobSchema
  .extend({ log: z.string().meta({ description: "The end of the job's log, one timestamped line per event" }) })
  .meta({ id: "JobDetail" });
export type ApiJobDetail = z.infer<typeof jobDetailSchema>;

export const jobListSchema = z.object({ items: z.array(jobSchema) }).meta({ id: "Jobs" });
export const jobListQuerySchema = z.strictObject({
  kind: z.enum(jobKinds).optional(),
  limit: intParamWithDefault(1, 200, 30),
});
export const jobIdParamsSchema = z.object({ id: intParam(1, 2_147_483_647) });
