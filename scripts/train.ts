// npm run train — train a model on the interactions in DATABASE_PATH, write a new model version
// with its caches, and promote it if it passes the gate. See docs/training.md.
import { z } from "zod";
import { CliError, createProgress, decimalArg, flagsGiven, idArg, intArg, parseCliArgs, refuseFlagsOutside, runCli, type Progress } from "@/lib/cli";
import { getJob } from "@/lib/jobs/queries";
import { JobClaimError, runJob } from "@/lib/jobs/runner";
import { DEFAULT_MODEL, MODEL_NAMES, isModelName } from "@/lib/recs/models";
import { EaseTooManyItemsError } from "@/lib/recs/models/ease";
import { abortTrainingRun, finalizeTrainingRun, RUN_ID, runTrainingShard } from "@/lib/recs/shards";
import { runTraining, TrainingError } from "@/lib/recs/train";
import { getEnv } from "@/lib/env";

const HELP = `usage: npm run train -- [options]

Trains a recommender on every interaction in the database (ratings, watches and likes count as
positives; a watchlist add alone counts half), measures it on an item-stratified validation split,
refits on all data, writes a new model version with its neighbour and recommendation caches, and
makes it the serving version if its validation nDCG@10 is within --tolerance of the serving one.

  --model NAME        ${MODEL_NAMES.join(" | ")} (default ${DEFAULT_MODEL})
  --params JSON       model parameters, e.g. '{"lambda":300}' (defaults in docs/evaluation.md)
  --top-n N           recommendations cached per user (default 50)
  --neighbors N       similar movies cached per movie (default 50)
  --seed N            validation split seed (default 42)
  --tolerance X       allowed nDCG@10 drop before promotion is refused (default 0.02)
  --force             promote regardless of the gate
  --job-id N          run queued train job N here instead (its own model, parameters and --force,
                      so no other flag applies; like npm run worker -- --job N)

Sharded training (docs/training.md#sharded-training), e.g. a Kubernetes Indexed Job:
  --shards N          split the run into N shards (all N must run at the same time)
  --shard I           compute shard I (0..N-1); default $JOB_COMPLETION_INDEX
  --run ID            the run all shards share (default $TRAIN_RUN_ID); the first shard creates its version
  --finalize          with --run: check every shard is done and switch serving (promotion gate, --force,
                      --tolerance apply)
  --abort             with --run: mark a run that cannot finish failed and delete its rows (a shard
                      failed for good; stop the others first). A run none of whose shards is alive
                      is also failed by the next training run (docs/scale-out.md)

Exit codes: 0 trained, also when the promotion gate kept the serving version (it says so)
· 1 training failed · 2 bad arguments · 130 / 143 stopped by Ctrl-C / SIGTERM (the serving
version is untouched; the next run removes the half-written one).`;

const schema = z.object({
  model: z.string().default(DEFAULT_MODEL).refine(isModelName, `must be one of ${MODEL_NAMES.join(", ")}`),
  params: z
    .string()
    .default("{}")
    .transform((s, ctx) => {
      try {
        const v = JSON.parse(s);
        if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: "custom", message: "must be a JSON object" });
      return z.NEVER;
    }),
  "top-n": intArg(1, 500).default(50),
  neighbors: intArg(1, 500).default(50),
  seed: intArg(0, Number.MAX_SAFE_INTEGER).default(42),
  tolerance: decimalArg(0, 1).default(0.02),
  force: z.boolean().default(false),
  "job-id": idArg().optional(),
  shards: intArg(1, 256).optional(),
  shard: intArg(0, 255).optional(),
  run: z.string().regex(RUN_ID, 'must be 1-100 of letters, digits, ".", "_" and "-"').optional(),
  finalize: z.boolean().default(false),
  abort: z.boolean().default(false),
});

const OPTIONS = {
  model: { type: "string" },
  params: { type: "string" },
  "top-n": { type: "string" },
  neighbors: { type: "string" },
  seed: { type: "string" },
  tolerance: { type: "string" },
  force: { type: "boolean" },
  "job-id": { type: "string" },
  shards: { type: "string" },
  shard: { type: "string" },
  run: { type: "string" },
  finalize: { type: "boolean" },
  abort: { type: "boolean" },
} as const;

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), OPTIONS, schema, HELP);
  if (args.finalize || args.abort || args.shards !== undefined || args.shard !== undefined || args.run !== undefined) return runSharded(args);
  if (args["job-id"] !== undefined) {
    refuseFlagsOutside(flagsGiven(process.argv.slice(2), OPTIONS), ["job-id"], "--job-id (the job's own parameters are used)", HELP);
    return runQueuedJob(args["job-id"]);
  }
  const bar = trainingProgress();
  try {
    const result = await runTraining({
      model: args.model as (typeof MODEL_NAMES)[number],
      params: args.params,
      topN: args["top-n"],
      neighbors: args.neighbors,
      seed: args.seed,
      tolerance: args.tolerance,
      force: args.force,
      onProgress: bar.onProgress,
    });
    bar.stop();
    console.log(
      `model version ${result.versionId}: ${result.users} users × ${result.items} movies, ${result.interactions} interactions, ` +
        `nDCG@10 ${result.metrics["ndcg@10"]?.toFixed(4)} in ${(result.durationMs / 1000).toFixed(1)}s\n${result.gate}`,
    );
  } catch (err) {
    bar.stop();
    if (err instanceof TrainingError) throw new CliError(err.message);
    if (err instanceof EaseTooManyItemsError) throw new CliError(easeTooBig(err));
    if (err instanceof z.ZodError) throw new CliError(`invalid --params: ${err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, 2);
    // A full disk or a read-only database: one line instead of a stack trace (one that cannot be
    // opened at all is runCli's one line).
    const code = (err as { code?: unknown })?.code;
    if (typeof code === "string" && code.startsWith("SQLITE_") && !/^SQLITE_(CANTOPEN|NOTADB)/.test(code)) throw new CliError(`training failed: the database refused a write (${code}: ${(err as Error).message})`);
    throw err;
  }
});

/**
 * --job-id N: claim queued train job N (queued -> running, atomically: a worker can no longer take
 * it) and run it here with its own parameters, as `npm run worker -- --job N` does. It used to
 * train with this command line's flags while the row stayed queued, so a worker could claim and
 * train it at the same time, and the job's model was ignored.
 */
async function runQueuedJob(jobId: number): Promise<void> {
  const job = await getJob(jobId);
  const problem = !job ? "there is no such job" : job.kind !== "train" ? `it is a ${job.kind} job` : job.status !== "queued" ? `it is ${job.status}` : null;
  if (problem) throw new CliError(`--job-id ${jobId}: ${problem}; it must name a queued train job`, 2);
  let finished;
  const bar = trainingProgress();
  try {
    finished = await runJob(jobId, { onLog: (line) => console.log(line), onProgress: bar.onProgress });
  } catch (err) {
    if (err instanceof JobClaimError) throw new CliError(`--job-id ${jobId}: ${err.message}`, 2);
    throw err;
  } finally {
    bar.stop();
  }
  if (finished.status !== "succeeded") throw new CliError(`job #${jobId} ${finished.status}: ${finished.error ?? "no error recorded"}`);
  console.log(`job #${jobId} succeeded: ${finished.message ?? ""}`);
}

/**
 * Progress on stderr for a training run, plain or a queued job's: the overall share as 0–100%, the
 * stage as the note. The bar starts with the first report, after a job's opening log line.
 */
function trainingProgress(): { onProgress: (stage: string, fraction: number) => void; stop: () => void } {
  let bar: Progress | undefined;
  let shown = 0;
  return {
    onProgress: (stage, fraction) => {
      const pct = Math.floor(fraction * 100);
      if (pct > shown) {
        (bar ??= createProgress("train", 100)).tick(pct - shown, stage);
        shown = pct;
      }
    },
    stop: () => bar?.stop(),
  };
}

/** --shards / --shard / --run / --finalize / --abort: one shard of a sharded run, its finalize step, or its end. */
async function runSharded(args: z.infer<typeof schema>): Promise<void> {
  const env = getEnv();
  const runId = args.run ?? env.TRAIN_RUN_ID;
  if (!runId) throw new CliError("sharded training needs a run id: --run ID (or TRAIN_RUN_ID)", 2);
  if (!RUN_ID.test(runId)) throw new CliError(`TRAIN_RUN_ID must be 1-100 of letters, digits, ".", "_" and "-"`, 2);
  if (args["job-id"] !== undefined) throw new CliError("--job-id cannot be combined with sharded training", 2);
  try {
    if (args.abort) {
      refuseFlagsOutside(flagsGiven(process.argv.slice(2), OPTIONS), ["abort", "run"], "--abort (it takes --run only)", HELP);
      const result = await abortTrainingRun(runId);
      console.log(
        result.alreadyFailed
          ? `training run ${runId}: already failed (model version ${result.versionId}); nothing to do`
          : `training run ${runId}: aborted; model version ${result.versionId} failed, its cache rows deleted`,
      );
      return;
    }
    if (args.finalize) {
      if (args.shards !== undefined || args.shard !== undefined) throw new CliError("--finalize takes --run only (the run knows its shards)", 2);
      const result = await finalizeTrainingRun(runId, { force: args.force, tolerance: args.tolerance });
      console.log(`training run ${runId}: model version ${result.versionId}${result.alreadyFinalized ? " (already finalized)" : ""}\n${result.gate}`);
      return;
    }
    if (args.shards === undefined) throw new CliError("--shard and --run need --shards N", 2);
    const shard = args.shard ?? env.JOB_COMPLETION_INDEX;
    if (shard === undefined) throw new CliError("--shards needs --shard I (or JOB_COMPLETION_INDEX)", 2);
    if (shard >= args.shards) throw new CliError(`--shard must be below --shards (${args.shards}), got ${shard}`, 2);
    const bar = createProgress(`train shard ${shard}/${args.shards}`, 100);
    let shown = 0;
    const stages = ["load", "neighbors", "barrier", "recommendations", "validate", "done"];
    const result = await runTrainingShard({
      runId,
      shard,
      shards: args.shards,
      model: args.model as (typeof MODEL_NAMES)[number],
      params: args.params,
      topN: args["top-n"],
      neighbors: args.neighbors,
      seed: args.seed,
      onProgress: (stage, fraction) => {
        const i = Math.max(0, stages.indexOf(stage));
        const pct = Math.floor(((i + Math.min(1, fraction)) / stages.length) * 100);
        if (pct > shown) {
          bar.tick(pct - shown, stage);
          shown = pct;
        }
      },
    }).finally(() => bar.stop());
    console.log(
      `training run ${runId} shard ${shard}/${args.shards} (model version ${result.versionId}): items ${result.items.join("–")}, users ${result.users.join("–")}, ` +
        `${result.neighborRows} neighbour + ${result.recommendationRows} recommendation rows` +
        (result.metrics ? `, nDCG@10 ${result.metrics["ndcg@10"]?.toFixed(4)}` : "") +
        `\nwhen every shard is done: npm run train -- --finalize --run ${runId}`,
    );
  } catch (err) {
    if (err instanceof TrainingError) throw new CliError(err.message);
    if (err instanceof EaseTooManyItemsError) throw new CliError(easeTooBig(err));
    if (err instanceof z.ZodError) throw new CliError(`invalid --params: ${err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, 2);
    throw err;
  }
}

/** EASE's dense n×n fit refused the catalog (default maxItems 8,000): say how to train anyway. */
function easeTooBig(err: EaseTooManyItemsError): string {
  return `${err.message}; here: --params '{"minItemCount":N}' or --model item-knn (no item limit)`;
}
