import { desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { jobs, modelStages, modelStatuses, modelVersions, trainRuns, type Job, type ModelVersion, type TrainRun } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { intParamWithDefault } from "@/lib/http/params";
import { jobOrigin, jobTriggers } from "@/lib/jobs/origin";
import { fieldSentence } from "@/lib/validation/sentence";
import { getServingVersionId } from "./registry";
import { settleAbandonedTraining } from "./settle";

// Experiment tracking: every training run is a model version row (parameters, metrics, data
// snapshot, duration, code version, status) plus the job that ran it (who started it, why it
// failed, what the promotion gate decided). This module lists runs and compares them side by side.

export const MAX_COMPARED_RUNS = 8;

/** The data a run was trained on, as recorded by training (absent for runs that died before loading it). */
export const runSnapshotSchema = z
  .object({
    users: z.number().int().nullable(),
    items: z.number().int().nullable(),
    interactions: z.number().int().nullable(),
    pairs: z.number().int().nullable(),
    maxCreatedAt: z.number().int().nullable().meta({ description: "Newest interaction included (ms since epoch)" }),
    maxInteractionId: z.number().int().nullable().meta({ description: "Largest interaction row id included: rows past it were added or changed later (null for runs recorded before it was kept)" }),
    checksum: z.string().nullable().meta({ description: "Checksum of the training interactions: equal checksums, same data" }),
  })
  .meta({ id: "RunSnapshot" });

export const runSchema = z
  .object({
    id: z.number().int().meta({ description: "The model version id" }),
    algorithm: z.string(),
    params: z.record(z.string(), z.unknown()),
    metrics: z.record(z.string(), z.number()),
    snapshot: runSnapshotSchema,
    status: z.enum(modelStatuses),
    stage: z.enum(modelStages),
    serving: z.boolean(),
    codeVersion: z.string().nullable().meta({ description: "Git commit (suffixed -dirty for uncommitted changes) or MATINEE_VERSION" }),
    durationMs: z.number().int().nullable(),
    createdAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
    jobId: z.number().int().nullable(),
    startedBy: z.string().nullable().meta({ description: "Email of the admin who started it; null for the CLI and schedulers (see `trigger`)" }),
    trigger: z.enum(jobTriggers).nullable().meta({
      description: "What queued the run's job when no admin did: the retrain schedule (/api/cron/retrain) or drift auto-retrain (/api/cron/drift); null for admin and CLI runs (as on the run's job)",
    }),
    outcome: z.string().nullable().meta({ description: "The promotion gate's decision, or why the run failed" }),
  })
  .meta({ id: "Run" });

export type Run = z.infer<typeof runSchema>;

export const runListQuerySchema = z.strictObject({
  limit: intParamWithDefault(1, 500, 100),
});

export const runListSchema = z
  .object({ servingVersion: z.number().int().nullable(), items: z.array(runSchema) })
  .meta({ id: "Runs" });

// A problem with one of the ids is the list's (the field the caller gave: `ids`, `--compare`, the
// page's `compare`), not an element's: "--compare.1: …" and `ids.1` named no field anyone typed.
const runIdListSchema = z
  .array(z.string())
  .transform((parts, ctx) => {
    if (parts.some((part) => !/^[1-9]\d{0,9}$/.test(part))) ctx.addIssue({ code: "custom", message: "must be run ids (version numbers such as 3)" });
    // a larger one passed the pattern and failed PostgreSQL's integer column in the query
    else if (parts.some((part) => Number(part) > 2_147_483_647)) ctx.addIssue({ code: "custom", message: "must be at most 2147483647" });
    else return parts.map(Number);
    return z.NEVER;
  })
  .pipe(
    z
      .array(z.number())
      .min(2, "must name at least 2 runs")
      .max(MAX_COMPARED_RUNS, `must name at most ${MAX_COMPARED_RUNS} runs`)
      .refine((ids) => new Set(ids).size === ids.length, "must name each run once"),
  );

const splitIds = (s: string) => s.split(",").map((part) => part.trim()).filter(Boolean);

/** Run ids from a page's search params: "3,5", or ["3", "5"] when a form repeats the field. */
export const runIdsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap(splitIds))
  .pipe(runIdListSchema);

export const runCompareQuerySchema = z.strictObject({
  ids: z
    .string()
    .meta({
      description: "Comma-separated run (model version) ids, 2 to 8, each once; the first is the baseline. Spaces around an id and empty parts (`3,,5`) are ignored.",
      example: "3,5",
    })
    .transform(splitIds)
    .pipe(runIdListSchema),
});

const numericRowSchema = z.object({
  key: z.string(),
  values: z.array(z.number().nullable()),
  deltas: z.array(z.number().nullable()).meta({ description: "Each value minus the baseline's (the first run); null when either is missing" }),
});

export const runComparisonSchema = z
  .object({
    baseline: z.number().int(),
    runs: z.array(runSchema),
    params: z.array(z.object({ key: z.string(), values: z.array(z.unknown()), differs: z.boolean() })),
    metrics: z.array(numericRowSchema),
    snapshot: z.array(numericRowSchema),
    durationMs: numericRowSchema.omit({ key: true }),
    sameData: z
      .boolean()
      .nullable()
      .meta({ description: "Whether every run was trained on the same interactions (equal checksums); null when a run's data is not known (it was stopped, or failed before reading it)" }),
    sameCode: z.boolean(),
  })
  .meta({ id: "RunComparison" });

export type RunComparison = z.infer<typeof runComparisonSchema>;
export type NumericRow = z.infer<typeof numericRowSchema>;

// Metrics in the order people read them; others (from future evaluators) follow alphabetically.
const METRIC_ORDER = ["ndcg@10", "precision@10", "recall@10", "map", "coverage", "novelty"];
const SNAPSHOT_KEYS = ["users", "items", "interactions", "pairs"] as const;

const int = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v) : null);

/** A version row and its job (or, for a sharded run, its train_runs row) as a run. Pure. */
export function toRun(
  version: ModelVersion,
  job: Pick<Job, "error" | "message" | "stats"> | null,
  servingId: number | null,
  shardedRun: Pick<TrainRun, "error"> | null = null,
): Run {
  const s = version.snapshot ?? {};
  const origin = jobOrigin(job?.stats);
  return {
    id: version.id,
    algorithm: version.algorithm,
    params: version.params ?? {},
    metrics: version.metrics ?? {},
    snapshot: {
      users: int(s.users),
      items: int(s.items),
      interactions: int(s.interactions),
      pairs: int(s.pairs),
      maxCreatedAt: int(s.maxCreatedAt),
      maxInteractionId: int(s.maxInteractionId),
      checksum: typeof s.checksum === "string" ? s.checksum : null,
    },
    status: version.status,
    stage: version.stage,
    serving: version.id === servingId,
    codeVersion: version.codeVersion,
    durationMs: version.durationMs,
    createdAt: version.createdAt,
    finishedAt: version.finishedAt,
    jobId: version.jobId,
    startedBy: origin.requestedBy,
    trigger: origin.trigger,
    outcome: version.status === "failed" ? (job?.error ?? shardedRun?.error ?? "failed (no reason recorded)") : version.status === "ready" ? (job?.message ?? null) : null,
  };
}

async function loadRuns(where: ReturnType<typeof inArray> | undefined, limit: number): Promise<{ servingVersion: number | null; items: Run[] }> {
  // Reading settles runs whose processes died, as the Jobs API does for their jobs: a killed
  // worker's training run, or a sharded run none of whose shards is alive, shows failed here (npm
  // run runs, /admin/runs, the API), not `training` until the next run.
  await settleAbandonedTraining();
  return readRuns(where, limit);
}

/** The runs as they are recorded (loadRuns settles abandoned ones first). */
async function readRuns(where: ReturnType<typeof inArray> | undefined, limit: number): Promise<{ servingVersion: number | null; items: Run[] }> {
  const [servingId, rows] = await Promise.all([
    getServingVersionId(),
    getDb()
      // the joined ids first: drizzle reads a left-joined object as missing when its first column is null
      .select({
        version: modelVersions,
        job: { id: jobs.id, error: jobs.error, message: jobs.message, stats: jobs.stats },
        run: { id: trainRuns.id, error: trainRuns.error },
      })
      .from(modelVersions)
      .leftJoin(jobs, eq(jobs.id, modelVersions.jobId))
      .leftJoin(trainRuns, eq(trainRuns.modelVersionId, modelVersions.id))
      .where(where)
      .orderBy(desc(modelVersions.id))
      .limit(limit),
  ]);
  return { servingVersion: servingId, items: rows.map((r) => toRun(r.version, r.job, servingId, r.run)) };
}

/**
 * Why each of these failed versions failed, as its run's outcome says it (the Models page, which
 * has settled abandoned runs already: getModelsForAdmin).
 */
export async function failureReasons(versionIds: number[]): Promise<Map<number, string>> {
  if (versionIds.length === 0) return new Map();
  const { items } = await readRuns(inArray(modelVersions.id, versionIds), versionIds.length);
  return new Map(items.filter((r) => r.status === "failed" && r.outcome !== null).map((r) => [r.id, r.outcome!]));
}

/** Training runs, newest first, with which one serves. */
export async function listRuns(limit = 100): Promise<{ servingVersion: number | null; items: Run[] }> {
  return loadRuns(undefined, limit);
}

/** Compare runs by id (the first is the baseline). Unknown ids: ApiError not_found naming them. */
export async function compareRuns(ids: number[]): Promise<RunComparison> {
  if (ids.length < 2) throw new ApiError("bad_request", "Compare at least two runs.");
  const found = new Map((await loadRuns(inArray(modelVersions.id, ids), ids.length)).items.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    throw new ApiError("not_found", `There is no run ${missing.join(", ")} (run ids are model version numbers).`, { missing });
  }
  return buildComparison(ids.map((id) => found.get(id)!));
}

/** Side-by-side rows for runs in the given order: parameter differences and deltas against the first run. Pure. */
export function buildComparison(runs: Run[]): RunComparison {
  if (runs.length === 0) throw new RangeError("nothing to compare");
  const numeric = (key: string, values: (number | null)[]): NumericRow => ({
    key,
    values,
    deltas: values.map((v) => (v === null || values[0] === null ? null : v - values[0])),
  });

  const paramKeys = ["algorithm", ...sortedUnion(runs.map((r) => Object.keys(r.params)))];
  const params = paramKeys.map((key) => {
    const values = runs.map((r) => (key === "algorithm" ? r.algorithm : (r.params[key] ?? null)));
    const shown = values.map((v) => JSON.stringify(v));
    return { key, values, differs: shown.some((s) => s !== shown[0]) };
  });

  const metricKeys = sortedUnion(runs.map((r) => Object.keys(r.metrics))).sort((a, b) => rank(a) - rank(b));
  const metrics = metricKeys.map((key) => numeric(key, runs.map((r) => r.metrics[key] ?? null)));
  const snapshot = SNAPSHOT_KEYS.map((key) => numeric(key, runs.map((r) => r.snapshot[key])));
  const { key: _key, ...durationMs } = numeric("durationMs", runs.map((r) => r.durationMs));

  const checksums = runs.map((r) => r.snapshot.checksum);
  const codes = runs.map((r) => r.codeVersion);
  return {
    baseline: runs[0].id,
    runs,
    params,
    metrics,
    snapshot,
    durationMs,
    sameData: checksums.some((c) => c === null) ? null : checksums.every((c) => c === checksums[0]),
    sameCode: codes[0] !== null && codes.every((c) => c === codes[0]),
  };
}

function sortedUnion(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}

function rank(metric: string): number {
  const i = METRIC_ORDER.indexOf(metric);
  return i === -1 ? METRIC_ORDER.length : i;
}

export type RunsPage = {
  servingVersion: number | null;
  runs: Run[];
  /** The ids asked for (even when the comparison could not be made), so the form keeps them ticked. */
  selected: number[];
  comparison: RunComparison | null;
  /** Why the asked-for comparison is not shown (too few runs picked, an unknown id). */
  problem: string | null;
};

/**
 * What /admin/runs shows: the runs, and the comparison named by its `compare` search parameter.
 * "?compare=5,3" keeps the given order (5 is the baseline); the page's form repeats the field
 * (?compare=5&compare=3), and then the oldest run is the baseline.
 */
export async function getRunsPage(compare: string | string[] | undefined, limit = 100): Promise<RunsPage> {
  const { servingVersion, items: runs } = await listRuns(limit);
  const base = { servingVersion, runs, comparison: null, problem: null, selected: [] as number[] };
  if (compare === undefined) return base;
  const parsed = runIdsSchema.safeParse(compare);
  const selected = (Array.isArray(compare) ? compare : [compare]).flatMap(splitIds).map(Number).filter(Number.isInteger);
  if (!parsed.success) return { ...base, selected, problem: fieldSentence("The runs to compare", [parsed.error.issues[0]?.message ?? "must be run ids"]) };
  try {
    const ids = Array.isArray(compare) ? parsed.data.toSorted((a, b) => a - b) : parsed.data;
    return { ...base, selected, comparison: await compareRuns(ids) };
  } catch (err) {
    if (err instanceof ApiError) return { ...base, selected, problem: err.message };
    throw err;
  }
}
