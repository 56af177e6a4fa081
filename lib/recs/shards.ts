import os, { availableParallelism } from "node:os";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb, transaction, type Db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { queryValue } from "@/lib/db/raw";
import { readNeighborColumns } from "./cache";
import { itemNeighbors as itemNeighborsTable, modelVersions, recommendations, trainRuns, trainShards, type TrainRun } from "@/lib/db/schema";
import { lockKey } from "@/lib/db/sql";
import { loadTrainingData } from "@/lib/interactions/training-data";
import { startRowHeartbeat, type StopWhen } from "@/lib/jobs/heartbeat";
import type { ModelActor } from "@/lib/mlops/actions";
import { pruneCachesAfterTraining } from "@/lib/mlops/actions";
import { completeModelVersion, failModelVersion } from "@/lib/mlops/registry";
import { datasetFromCodes, type Dataset } from "./dataset";
import { groupRowsByKey } from "./group";
import { evaluateModel, splitTable } from "./evaluate";
import { DEFAULT_MODEL, getModelSpec, type ModelName, type TrainedModel } from "./models";
import { itemKnnFromNeighbors, type ItemKnnParams } from "./models/item-knn";
import { itemNeighborsForRange, type ItemNeighbors } from "./models/neighbors";
import { applyPromotionGate, cacheSimilarity, codeVersion, ownListsAreCacheNeighbors, toTable, TrainingError, writeNeighborCache, writeRecommendationCache } from "./train";

// Sharded training: `npm run train -- --shards N --shard I --run ID` (or one Kubernetes Indexed
// Job pod per shard, I = JOB_COMPLETION_INDEX), then `npm run train -- --finalize --run ID`.
//
// Every shard loads the same interactions and builds the same dataset (codes in first-appearance
// order of the (user, movie)-ordered rows), so item and user ranges mean the same in each process.
//   1. neighbours: shard I computes the top-K neighbour lists of its item range (ranges of equal
//      work, not equal item count)
//      (itemNeighborsForRange: bit-identical to the single-process lists) and writes them.
//   2. barrier: it waits until every shard has written its neighbours (all shards of a run run at
//      once: an Indexed Job with parallelism = completions; a failed shard's retry is waited for).
//   3. recommendations: it assembles the model from all shards' neighbour rows (item-knn with the
//      cache's K and cosine, whatever its shrink, is exactly those lists; other models are fitted on all data in
//      every shard) and writes the top-N of its user range. Shard 0 also measures validation metrics.
// finalize checks every shard is done on the same data (checksums) with every row present, then
// applies the same promotion gate as a single-process run: one transaction switches serving.
// Nothing is visible to serving before that, so a failed or half-finished run changes nothing.
//
// Each shard's row names the process working on it (pid, host) and carries its heartbeat, written
// every 10 s from a thread of its own. A run none of whose shards is alive, and not every shard
// done, can no longer finish (its shards all failed: a barrier that expired leaves its shard
// failed; or their processes are gone): the next training run, or a look at the runs list, marks
// it failed and deletes its rows (failAbandonedTrainingRuns, lib/mlops/registry.ts). `--abort
// --run ID` does so at once, whatever the shards' state (an orchestrator that gave up on it); a
// shard still working ends within a beat of its heartbeat thread (runStoppedCheck), or at its next
// look at the run, whichever comes first.

export type ShardConfig = {
  model: ModelName;
  params: Record<string, unknown>;
  topN: number;
  neighbors: number;
  seed: number;
  validationRatio: number;
};

export type ShardOptions = Partial<ShardConfig> & {
  runId: string;
  shard: number;
  shards: number;
  threads?: number;
  /** How long a shard waits at the barrier for the others' neighbour rows (default 1 h). */
  barrierTimeoutMs?: number;
  pollMs?: number;
  onProgress?: (stage: string, fraction: number) => void;
};

export type ShardResult = {
  runId: string;
  versionId: number;
  shard: number;
  shards: number;
  items: [number, number];
  users: [number, number];
  neighborRows: number;
  recommendationRows: number;
  metrics?: Record<string, number>;
  stageSeconds: Record<string, number>;
};

export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** What a shard's heartbeat thread checks after each beat: the run failed, so the shard stops. */
export function runStoppedCheck(runId: string, shard: number): StopWhen {
  return {
    sql: "SELECT 1 FROM train_runs WHERE id = ? AND status = 'failed'",
    args: [runId],
    message: `error: training run ${runId} was marked failed (aborted, or given up on) while shard ${shard} worked on it: stopping; start a new run`,
  };
}

/** Shard `shard` of `shards` of [0, n): contiguous, near-equal, covering every index once. */
export function shardRange(n: number, shard: number, shards: number): [number, number] {
  return [Math.floor((shard * n) / shards), Math.floor(((shard + 1) * n) / shards)];
}

/**
 * Shard `shard` of `shards` of [0, costs.length) split by equal total cost instead of equal count:
 * contiguous, covering every index once, the same in every process for the same costs.
 */
export function balancedRange(costs: ArrayLike<number>, shard: number, shards: number): [number, number] {
  let total = 0;
  for (let i = 0; i < costs.length; i++) total += costs[i];
  if (total === 0) return shardRange(costs.length, shard, shards);
  const boundary = (s: number) => {
    if (s <= 0) return 0;
    if (s >= shards) return costs.length;
    const target = (total * s) / shards;
    let acc = 0;
    for (let i = 0; i < costs.length; i++) {
      acc += costs[i];
      if (acc >= target) return i + 1;
    }
    return costs.length;
  };
  return [boundary(shard), boundary(shard + 1)];
}

/**
 * Neighbour-search work per item: the user-row entries scanned for it (Σ of its users' history
 * lengths). Popular items cost far more than the tail, and codes follow first appearance, so the
 * popular head sits in the first ranges: equal-count ranges would leave shard 0 most of the work.
 */
export function neighborCosts(dataset: Dataset): Float64Array {
  const costs = new Float64Array(dataset.nItems);
  for (let i = 0; i < dataset.nItems; i++) {
    let c = 0;
    for (let e = dataset.itemPtr[i]; e < dataset.itemPtr[i + 1]; e++) {
      const u = dataset.itemUsers[e];
      c += dataset.userPtr[u + 1] - dataset.userPtr[u];
    }
    costs[i] = c;
  }
  return costs;
}

function resolveConfig(o: Partial<ShardConfig>): ShardConfig {
  const model = o.model ?? DEFAULT_MODEL;
  const params = getModelSpec(model).paramsSchema.parse(o.params ?? {}) as Record<string, unknown>;
  return { model, params, topN: o.topN ?? 50, neighbors: o.neighbors ?? 50, seed: o.seed ?? 42, validationRatio: o.validationRatio ?? 0.75 };
}

/** JSON with object keys sorted at every level (PostgreSQL's jsonb does not keep key order). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

/**
 * The run's row, created with its model version by whichever shard arrives first, and this shard's
 * row claimed by this process (pid, host, start, heartbeat): what the sweep of abandoned runs
 * (lib/mlops/registry.ts) reads to tell a live shard from a dead one. Both under the run's lock,
 * which the sweep takes too: it either sees this shard alive, or failed the run first (and this
 * join refuses it).
 */
async function joinRun(runId: string, shards: number, shard: number, config: ShardConfig): Promise<TrainRun> {
  return transaction(async (tx) => {
    await lockKey(tx, `train-run:${runId}`);
    const run = await findOrCreateRun(tx, runId, shards, config);
    const now = Date.now();
    const worker = { workerPid: process.pid, workerHost: os.hostname(), startedAt: now, heartbeatAt: now };
    const here = and(eq(trainShards.runId, runId), eq(trainShards.shard, shard));
    const [prior] = await tx.select({ phase: trainShards.phase }).from(trainShards).where(here);
    if (!prior) await tx.insert(trainShards).values({ runId, shard, phase: "running", dataChecksum: "-", ...worker });
    // A retry: a failed attempt's row is running again; one whose neighbour rows are in keeps its
    // phase (the others may be reading them; runTrainingShard decides once it has the data).
    else await tx.update(trainShards).set({ ...worker, ...(prior.phase === "failed" ? { phase: "running" as const, error: null } : {}) }).where(here);
    return run;
  });
}

/** The run (checked against this shard's options), or a new one with its model version. Inside joinRun's lock. */
async function findOrCreateRun(tx: Db, runId: string, shards: number, config: ShardConfig): Promise<TrainRun> {
  const [run] = await tx.select().from(trainRuns).where(eq(trainRuns.id, runId));
  if (run) {
    if (run.status !== "running") throw new TrainingError(`training run ${runId} is already ${run.status}${run.error ? ` (${run.error})` : ""}`);
    if (run.shards !== shards) throw new TrainingError(`training run ${runId} has ${run.shards} shards, not ${shards}`);
    if (canonicalJson(run.config) !== canonicalJson(config)) {
      throw new TrainingError(`training run ${runId} was started with other options: ${JSON.stringify(run.config)}`);
    }
    return run;
  }
  const [version] = await tx
    .insert(modelVersions)
    .values({
      algorithm: config.model,
      params: { ...config.params, topN: config.topN, cacheNeighbors: config.neighbors, seed: config.seed, validationRatio: config.validationRatio, shards, run: runId },
      status: "training",
      stage: "candidate",
      codeVersion: codeVersion(),
    })
    .returning();
  const [created] = await tx.insert(trainRuns).values({ id: runId, modelVersionId: version.id, shards, config }).returning();
  return created;
}

async function recordShard(runId: string, shard: number, row: { phase: "running" | "neighbors" | "done" | "failed"; dataChecksum: string; stats?: Record<string, unknown>; error?: string | null }) {
  const now = Date.now();
  const values = { runId, shard, phase: row.phase, dataChecksum: row.dataChecksum, stats: row.stats ?? {}, error: row.error ?? null, updatedAt: now, heartbeatAt: now };
  await getDb()
    .insert(trainShards)
    .values({ ...values, workerPid: process.pid, workerHost: os.hostname(), startedAt: now })
    .onConflictDoUpdate({
      target: [trainShards.runId, trainShards.shard],
      set: { phase: values.phase, dataChecksum: values.dataChecksum, stats: values.stats, error: values.error, updatedAt: now, heartbeatAt: now },
    });
}

/**
 * Refuse to go on with a run that is no longer running: aborted (`--abort`), failed by finalize,
 * or taken for abandoned (none of its shards alive). Its rows were deleted; this shard's would be
 * left behind for a failed version.
 */
async function assertRunOpen(runId: string, shard: number): Promise<void> {
  const [run] = await getDb().select({ status: trainRuns.status, error: trainRuns.error }).from(trainRuns).where(eq(trainRuns.id, runId));
  if (run?.status !== "running") {
    throw new TrainingError(`training run ${runId} was marked ${run?.status ?? "deleted"}${run?.error ? ` (${run.error})` : ""} while shard ${shard} worked on it; start a new run`);
  }
}

async function deleteVersionRows(versionId: number): Promise<void> {
  await getDb().delete(itemNeighborsTable).where(eq(itemNeighborsTable.modelVersionId, versionId));
  await getDb().delete(recommendations).where(eq(recommendations.modelVersionId, versionId));
}

async function deleteInChunks(ids: number[], del: (part: number[]) => Promise<unknown>) {
  for (let i = 0; i < ids.length; i += 500) await del(ids.slice(i, i + 500));
}

/** Every shard's neighbour rows of a version, as lists over the dataset's item codes. */
async function readAllNeighbors(versionId: number, dataset: Dataset): Promise<ItemNeighbors> {
  const code = new Map<number, number>();
  dataset.itemIds.forEach((id, i) => code.set(Number(id), i));
  const rows = await readNeighborColumns(versionId, 200_000);
  const n = rows.length;
  const owner = new Int32Array(n);
  const items = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const i = code.get(rows.movieId[t]);
    const j = code.get(rows.neighborId[t]);
    if (i === undefined || j === undefined) throw new TrainingError(`neighbour row ${rows.movieId[t]} → ${rows.neighborId[t]} names a movie this shard's data does not have`);
    owner[t] = i;
    items[t] = j;
  }
  // Rows come in (movie, rank) order; regroup by item code (codes are not in movie-id order).
  const grouped = groupRowsByKey(dataset.nItems, owner, items, rows.score);
  return { nItems: dataset.nItems, ptr: grouped.ptr, items: grouped.values, scores: grouped.scores };
}


async function waitForNeighbors(runId: string, shard: number, shards: number, checksum: string, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await assertRunOpen(runId, shard);
    const rows = await getDb().select().from(trainShards).where(eq(trainShards.runId, runId));
    // A failed shard may be retried (a Job restarts its pod): wait for it rather than give up.
    const ready = rows.filter((r) => r.phase === "neighbors" || r.phase === "done");
    const other = ready.find((r) => r.dataChecksum !== checksum);
    if (other) {
      throw new TrainingError(`shard ${other.shard} of run ${runId} trained on other data (checksum ${other.dataChecksum}, here ${checksum}): interactions changed while the shards loaded; start a new run`);
    }
    if (ready.length === shards) return;
    if (Date.now() > deadline) {
      const have = ready.map((r) => r.shard).sort((a, b) => a - b);
      const failed = rows.filter((r) => r.phase === "failed").map((r) => `shard ${r.shard} failed: ${r.error ?? "unknown error"}`);
      throw new TrainingError(
        `timed out waiting for the other shards of run ${runId} (have ${have.join(", ") || "none"} of 0..${shards - 1}${failed.length ? `; ${failed.join("; ")}` : ""}); all shards must run at once`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Compute and write one shard of a training run. Throws TrainingError for anything the operator must fix. */
export async function runTrainingShard(options: ShardOptions): Promise<ShardResult> {
  const { runId, shard, shards } = options;
  if (!RUN_ID.test(runId)) throw new TrainingError(`run id must be 1-100 of letters, digits, ".", "_" and "-", got ${JSON.stringify(runId)}`);
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new TrainingError(`shard must be an integer in 0..${shards - 1}, got ${shard}`);
  }
  const config = resolveConfig(options);
  const threads = options.threads ?? availableParallelism();
  const progress = options.onProgress ?? (() => {});
  const stageSeconds: Record<string, number> = {};
  let t0 = Date.now();
  const lap = (stage: string) => {
    stageSeconds[stage] = (Date.now() - t0) / 1000;
    t0 = Date.now();
  };

  const run = await joinRun(runId, shards, shard, config);
  const versionId = run.modelVersionId;
  // this shard stays visibly alive through the synchronous stretches (the neighbour search, a fit)
  // and ends it as soon as the run is failed (`--abort` from any host, or given up on), even
  // inside a fit: it used to go on until its next look at the run
  const heartbeat = startRowHeartbeat(
    `training run ${runId} shard ${shard}`,
    "UPDATE train_shards SET heartbeat_at = ? WHERE run_id = ? AND shard = ? AND worker_pid = ? AND worker_host = ?",
    [runId, shard, process.pid, os.hostname()],
    { stopWhen: runStoppedCheck(runId, shard) },
  );
  let checksum = "";
  try {
    progress("load", 0);
    const data = await loadTrainingData();
    checksum = data.snapshot.checksum;
    if (data.users.length === 0) throw new TrainingError("there are no interactions to train on (run npm run simulate or npm run import first)");
    const table = toTable(data);
    const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights: data.weights });
    const movieIds = Int32Array.from(dataset.itemIds, Number);
    lap("load");

    // 1. This shard's item range: neighbour lists. A retried shard (its pod restarted) whose
    // neighbour rows were completely written for the same data keeps them: the other shards may be
    // reading them already. Otherwise it says it is running (so the barrier waits for it), removes
    // what a failed attempt left, and writes them.
    const items = balancedRange(neighborCosts(dataset), shard, shards);
    const [prior] = await getDb()
      .select()
      .from(trainShards)
      .where(and(eq(trainShards.runId, runId), eq(trainShards.shard, shard)));
    let neighborRows: number;
    if (prior && (prior.phase === "neighbors" || prior.phase === "done") && prior.dataChecksum === checksum) {
      neighborRows = Number(prior.stats.neighborRows);
      await recordShard(runId, shard, { phase: "neighbors", dataChecksum: checksum, stats: { items, neighborRows, resumed: true } });
    } else {
      await recordShard(runId, shard, { phase: "running", dataChecksum: checksum });
      const rangeMovieIds = Array.from(movieIds.subarray(items[0], items[1]));
      await deleteInChunks(rangeMovieIds, (part) =>
        getDb().delete(itemNeighborsTable).where(and(eq(itemNeighborsTable.modelVersionId, versionId), inArray(itemNeighborsTable.movieId, part))),
      );
      const own = itemNeighborsForRange(dataset, config.neighbors, items[0], items[1], {
        ...cacheSimilarity(config.model, config.params, config.neighbors),
        threads,
        onProgress: (d, t) => progress("neighbors", d / Math.max(1, t)),
      });
      neighborRows = await writeNeighborCache(versionId, own, movieIds);
      await recordShard(runId, shard, { phase: "neighbors", dataChecksum: checksum, stats: { items, neighborRows } });
    }
    lap("neighbors");

    // 2. Barrier: every shard's neighbour rows are in.
    progress("barrier", 0);
    await waitForNeighbors(runId, shard, shards, checksum, options.barrierTimeoutMs ?? getEnv().MATINEE_TRAIN_BARRIER_MS, options.pollMs ?? 500);
    lap("barrier");

    // 3. The model, and this shard's users' recommendations.
    const nb = await readAllNeighbors(versionId, dataset);
    const trained: TrainedModel = ownListsAreCacheNeighbors(config.model, config.params, config.neighbors)
      ? itemKnnFromNeighbors(dataset, config.params as ItemKnnParams, nb)
      : getModelSpec(config.model).train(dataset, config.params, { seed: config.seed, threads });
    lap("fit");
    const users = shardRange(dataset.nUsers, shard, shards);
    const userIds = dataset.userIds.slice(users[0], users[1]).map(Number);
    await assertRunOpen(runId, shard);
    await deleteInChunks(userIds, (part) =>
      getDb().delete(recommendations).where(and(eq(recommendations.modelVersionId, versionId), inArray(recommendations.userId, part))),
    );
    const recommendationRows = await writeRecommendationCache(versionId, { trained, dataset, nb, movieIds, topN: config.topN }, users[0], users[1], (f) =>
      progress("recommendations", f),
    );
    lap("recommendations");

    // Shard 0 measures the version on the validation split (the same protocol as a single-process run).
    let metrics: Record<string, number> | undefined;
    if (shard === 0) {
      const report = evaluateModel({ ...splitTable(table, "item", config.validationRatio, config.seed), weights: data.weights }, {
        model: config.model,
        params: config.params,
        k: 10,
        seed: config.seed,
        threads,
        onProgress: (_stage, done, total) => progress("validate", done / Math.max(1, total)),
      }).report;
      metrics = { ...report.metrics, coverage: report.coverage, novelty: report.novelty };
      lap("validate");
    }
    const snapshot = { ...data.snapshot, users: dataset.nUsers, items: dataset.nItems };
    await assertRunOpen(runId, shard);
    await recordShard(runId, shard, {
      phase: "done",
      dataChecksum: checksum,
      stats: { items, users, neighborRows, recommendationRows, stageSeconds, snapshot, ...(metrics ? { metrics } : {}) },
    });
    progress("done", 1);
    return { runId, versionId, shard, shards, items, users, neighborRows, recommendationRows, metrics, stageSeconds };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await recordShard(runId, shard, { phase: "failed", dataChecksum: checksum || "-", error: message }).catch(() => {});
    // The run was aborted (or failed) while this shard wrote: its rows were deleted then, and
    // what this shard wrote since must not stay behind for a failed version.
    const [now] = await getDb().select({ status: trainRuns.status }).from(trainRuns).where(eq(trainRuns.id, runId)).catch(() => []);
    if (now?.status === "failed") await deleteVersionRows(versionId).catch(() => {});
    throw err;
  } finally {
    await heartbeat.stop();
  }
}

export type FinalizeResult = { runId: string; versionId: number; promoted: boolean; gate: string; metrics: Record<string, number>; alreadyFinalized: boolean };

/**
 * Check that every shard of a run is done, on the same data, with all its rows present; then
 * complete the version and apply the promotion gate (one transaction switches serving). Idempotent:
 * finalizing a finalized run reports it again.
 */
export async function finalizeTrainingRun(runId: string, opts: { force?: boolean; tolerance?: number; actor?: ModelActor } = {}): Promise<FinalizeResult> {
  const db = getDb();
  const [run] = await db.select().from(trainRuns).where(eq(trainRuns.id, runId));
  if (!run) throw new TrainingError(`there is no training run ${JSON.stringify(runId)}`);
  const [version] = await db.select().from(modelVersions).where(eq(modelVersions.id, run.modelVersionId));
  if (run.status === "finalized") {
    return { runId, versionId: run.modelVersionId, promoted: version?.stage === "production", gate: "already finalized", metrics: version?.metrics ?? {}, alreadyFinalized: true };
  }
  if (run.status === "failed") throw new TrainingError(`training run ${runId} failed${run.error ? ` (${run.error})` : ""}; start a new run`);
  const rows = await db.select().from(trainShards).where(eq(trainShards.runId, runId)).orderBy(asc(trainShards.shard));
  const fail = async (message: string): Promise<never> => {
    await db.update(trainRuns).set({ status: "failed", finishedAt: Date.now(), error: message }).where(eq(trainRuns.id, runId));
    await failModelVersion(run.modelVersionId, { durationMs: Date.now() - run.createdAt });
    throw new TrainingError(message);
  };
  const failed = rows.find((r) => r.phase === "failed");
  if (failed) await fail(`shard ${failed.shard} of run ${runId} failed: ${failed.error ?? "unknown error"}`);
  const done = new Set(rows.filter((r) => r.phase === "done").map((r) => r.shard));
  const missing = Array.from({ length: run.shards }, (_, i) => i).filter((i) => !done.has(i));
  // Missing shards may still be running: refuse without failing the run, so finalize can be retried.
  if (missing.length) throw new TrainingError(`run ${runId} is not complete: shard(s) ${missing.join(", ")} of ${run.shards} are not done`);
  if (new Set(rows.map((r) => r.dataChecksum)).size !== 1) await fail(`the shards of run ${runId} trained on different data; start a new run`);
  const sum = (key: string) => rows.reduce((n, r) => n + Number(r.stats[key] ?? 0), 0);
  const [neighborRows, recommendationRows] = await Promise.all([
    queryValue<number>("SELECT count(*) FROM item_neighbors WHERE model_version_id = ?", [run.modelVersionId]),
    queryValue<number>("SELECT count(*) FROM recommendations WHERE model_version_id = ?", [run.modelVersionId]),
  ]);
  if (Number(neighborRows) !== sum("neighborRows") || Number(recommendationRows) !== sum("recommendationRows")) {
    await fail(
      `run ${runId} is missing cache rows: ${neighborRows}/${sum("neighborRows")} neighbour and ${recommendationRows}/${sum("recommendationRows")} recommendation rows`,
    );
  }
  const metrics = (rows[0].stats.metrics ?? {}) as Record<string, number>;
  const snapshot = { ...(rows[0].stats.snapshot as Record<string, unknown>), shards: run.shards, run: runId };
  await completeModelVersion(run.modelVersionId, { metrics, snapshot, durationMs: Date.now() - run.createdAt }).catch(async () => {
    // --abort won the race for the version (both change it only while it is `training`)
    const [now] = await db.select({ error: trainRuns.error }).from(trainRuns).where(eq(trainRuns.id, runId));
    throw new TrainingError(`training run ${runId} was marked failed while it was being finalized${now?.error ? ` (${now.error})` : ""}; start a new run`);
  });
  const { promoted, gate } = await applyPromotionGate(run.modelVersionId, metrics, {
    force: opts.force,
    tolerance: opts.tolerance ?? 0.02,
    actor: opts.actor ?? { userId: null, label: `training run ${runId} (npm run train -- --finalize)` },
  });
  await db.update(trainRuns).set({ status: "finalized", finishedAt: Date.now() }).where(eq(trainRuns.id, runId));
  await pruneCachesAfterTraining(3);
  return { runId, versionId: run.modelVersionId, promoted, gate, metrics, alreadyFinalized: false };
}

export type AbortResult = { runId: string; versionId: number; alreadyFailed: boolean };

/**
 * `npm run train -- --abort --run ID`: mark a run that cannot finish failed, and its version
 * failed with its cache rows deleted, whatever its shards' state: what an orchestrator does once a
 * shard failed for good (deploy/k8s/scale-out/train/run.sh, when the shards Job fails). Its shards
 * should be stopped first; one still running ends within a heartbeat (runStoppedCheck), or stops
 * at its next look at the run (the barrier, or before it writes or records its recommendations). A failed run is reported again; a finalized
 * one is refused (it may serve: roll back instead).
 */
export async function abortTrainingRun(runId: string): Promise<AbortResult> {
  const { run, alreadyFailed } = await transaction(async (tx) => {
    // the lock shards take to join: none joins it half-way through
    await lockKey(tx, `train-run:${runId}`);
    const [found] = await tx.select().from(trainRuns).where(eq(trainRuns.id, runId));
    if (!found) throw new TrainingError(`there is no training run ${JSON.stringify(runId)}`);
    if (found.status === "finalized") {
      throw new TrainingError(`training run ${runId} is finalized (model version ${found.modelVersionId}); to stop serving it, roll back: npm run models -- rollback`);
    }
    if (found.status === "failed") return { run: found, alreadyFailed: true };
    // The version leaves `training` here or not at all: finalize completes it only while it is
    // `training` too (completeModelVersion), so of an abort and a finalize racing, one wins whole.
    const now = Date.now();
    const flipped = await tx
      .update(modelVersions)
      .set({ status: "failed", finishedAt: now, durationMs: now - found.createdAt })
      .where(and(eq(modelVersions.id, found.modelVersionId), eq(modelVersions.status, "training")))
      .returning({ id: modelVersions.id });
    if (flipped.length === 0) {
      throw new TrainingError(`training run ${runId} is being finalized (its model version ${found.modelVersionId} is complete): run npm run train -- --finalize --run ${runId} to finish it`);
    }
    await tx.update(trainRuns).set({ status: "failed", finishedAt: now, error: "aborted with npm run train -- --abort" }).where(eq(trainRuns.id, runId));
    return { run: found, alreadyFailed: false };
  });
  // its partial cache rows (the version is failed already: nothing can complete it now)
  if (!alreadyFailed) await failModelVersion(run.modelVersionId, { durationMs: Date.now() - run.createdAt });
  return { runId, versionId: run.modelVersionId, alreadyFailed };
}
