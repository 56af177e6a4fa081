import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { getEnv } from "@/lib/env";
import { pruneCachesAfterTraining, type ModelActor } from "@/lib/mlops/actions";
import { loadTrainingData, type TrainingData } from "@/lib/interactions/training-data";
import { startHeartbeat } from "@/lib/jobs/heartbeat";
import { appendJobLog, failStaleJobs, finishJob, updateJob } from "@/lib/jobs/queries";
import { insertJobUnlessOpen } from "@/lib/jobs/queue";
import {
  cleanUpAbandonedVersions,
  completeModelVersion,
  createModelVersion,
  failModelVersion,
  getServingVersion,
  promoteModelVersion,
} from "@/lib/mlops/registry";
import { userHistory } from "./dataset";
import { evaluateModel, splitTable } from "./evaluate";
import type { RatingsTable } from "./io";
import { DEFAULT_MODEL, explainRecommendations, getModelSpec, itemNeighbors, recommend, type ModelName, type TrainedModel } from "./models";
import type { ItemKnnModel, ItemKnnParams } from "./models/item-knn";
import { DEFAULT_SIMILARITY } from "./models/neighbors";
import { writeNeighborColumns, writeRecommendationColumns } from "./cache-write";
import { datasetFromCodes, type Dataset } from "./dataset";
import type { ItemNeighbors } from "./models/neighbors";

// The training pipeline: interactions → validation metrics → model on all data → item-neighbour
// cache + per-user top-N cache for a NEW model version → promotion gate → atomic switch.
// Serving reads only the version the pointer names, so a run that dies part-way changes nothing
// visible; its rows are cleaned up by the next run.

export type TrainPipelineOptions = {
  model?: ModelName;
  params?: Record<string, unknown>;
  /** Recommendations cached per user. */
  topN?: number;
  /** Neighbours cached per movie (the "similar movies" row and fold-in). */
  neighbors?: number;
  /** Validation: item-stratified split, this share of each movie's interactions in train. */
  validationRatio?: number;
  seed?: number;
  /** Promote even if validation nDCG@10 is worse than the serving version's. */
  force?: boolean;
  /** Allowed drop in validation nDCG@10 (absolute) before the gate refuses promotion. */
  tolerance?: number;
  /** Attach to an existing job row (the admin UI queues one); otherwise one is created. */
  jobId?: number;
  /** Who a promotion by the gate is recorded for in the model audit trail. */
  actor?: ModelActor;
  onProgress?: (stage: string, fraction: number) => void;
  /** Worker threads for the neighbour search (default: every core). */
  threads?: number;
};

export type TrainPipelineResult = {
  versionId: number;
  jobId: number;
  promoted: boolean;
  gate: string;
  metrics: Record<string, number>;
  users: number;
  items: number;
  interactions: number;
  durationMs: number;
  /** Wall-clock seconds per stage (load, validate, fit, neighbors, write), for benchmarks. */
  stageSeconds: Record<string, number>;
};

export class TrainingError extends Error {}

/** A run was refused because a train job is already queued or running (`job`). */
export class TrainingInProgressError extends TrainingError {
  constructor(readonly job: { id: number; status: string }) {
    super(`a training run is already ${job.status} (job ${job.id})`);
  }
}

const BATCH_ROWS = 20_000; // cached rows per write transaction

const STAGES = { load: [0, 0.05], validate: [0.05, 0.35], fit: [0.35, 0.55], neighbors: [0.55, 0.65], write: [0.65, 1] } as const;
// What the job's message says during each stage, where no more precise message is given (the
// admin's job card shows it): words, not the stage keys.
const STAGE_MESSAGES: Record<keyof typeof STAGES, string> = {
  load: "loading interactions",
  validate: "validating on held-out interactions",
  fit: "fitting the model on all interactions",
  neighbors: "finding each movie's neighbours",
  write: "writing caches",
};

/**
 * What code trained a run: the git commit when the app runs from a checkout (suffixed `-dirty` when
 * tracked files have uncommitted changes, since then the commit alone does not reproduce it),
 * else MATINEE_VERSION (set by deployments without .git), else null.
 */
export function codeVersion(): string | null {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (commit) {
      let dirty = false;
      try {
        execFileSync("git", ["diff", "--quiet", "HEAD", "--"], { stdio: "ignore" });
      } catch (err) {
        dirty = (err as { status?: number }).status === 1;
      }
      return dirty ? `${commit}-dirty` : commit;
    }
  } catch {
    // not a checkout, or no git: fall through
  }
  return getEnv().MATINEE_VERSION ?? null;
}

/** Interactions from the database as a RatingsTable (codes in first-appearance order). */
export function toTable(data: TrainingData): RatingsTable {
  const userCode = new Map<number, number>();
  const itemCode = new Map<number, number>();
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const n = data.users.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let u = userCode.get(data.users[r]);
    if (u === undefined) {
      userCode.set(data.users[r], (u = userIds.length));
      userIds.push(String(data.users[r]));
    }
    let i = itemCode.get(data.items[r]);
    if (i === undefined) {
      itemCode.set(data.items[r], (i = itemIds.length));
      itemIds.push(String(data.items[r]));
    }
    users[r] = u;
    items[r] = i;
  }
  return { format: "tsv", length: n, users, items, ratings: data.weights, timestamps: data.timestamps, userIds, itemIds };
}

/**
 * The similarity of the neighbour cache ("More like this", explanations, and fold-in: a new user's
 * picks): cosine with shrink 2, sim = dot / (‖i‖‖j‖ + 2). On sparse data a film seen by a handful
 * of users has cosines near 1 with everything it shares a user with, so one such like explained
 * most of a new user's picks; the shrink damps similarities that few users support and leaves
 * well-supported ones almost unchanged (docs/evaluation.md, "Fold-in: one like explaining the list").
 */
export const CACHE_SIMILARITY = { ...DEFAULT_SIMILARITY, shrink: 2 } as const;

/** Does `model` hold item-knn lists that serve as the neighbour cache of K per movie? */
export function sameNeighbors(model: TrainedModel, K: number): boolean {
  return ownListsAreCacheNeighbors(model.name, model.params as Record<string, unknown>, K);
}

/**
 * Whether a model's own neighbour lists are written as the cache: item-knn with K neighbours and
 * cosine (alpha 0.5, exponent 1) with any shrink. Its lists are then not computed a second time
 * (minutes at 20M interactions, and every shard of a sharded run would fit the model itself), and
 * fold-in reads the model's own similarities: the cache then has the model's shrink instead of
 * CACHE_SIMILARITY's (its `normalize` changes only how the model scores, not its lists).
 */
export function ownListsAreCacheNeighbors(model: string, params: Record<string, unknown>, K: number): boolean {
  if (model !== "item-knn") return false;
  const p = params as ItemKnnParams;
  return p.neighbors === K && p.alpha === DEFAULT_SIMILARITY.alpha && p.exponent === DEFAULT_SIMILARITY.exponent;
}

/** The similarity a run's neighbour cache is computed with: the model's own when its lists are the cache. */
export function cacheSimilarity(model: string, params: Record<string, unknown>, K: number): typeof DEFAULT_SIMILARITY {
  if (!ownListsAreCacheNeighbors(model, params, K)) return CACHE_SIMILARITY;
  const p = params as ItemKnnParams;
  return { shrink: p.shrink, alpha: p.alpha, exponent: p.exponent };
}

/**
 * The job row of a run started without one (`npm run train`): inserted `running` unless a train
 * job is already queued or running, in one transaction (a check followed by a separate insert let
 * two runs started together both go ahead, and a queued admin or scheduled retrain ran beside it).
 */
async function createTrainingJob(params: Record<string, unknown>): Promise<number> {
  await failStaleJobs();
  const { job, conflict } = await insertJobUnlessOpen("train", params, {}, "running");
  if (conflict) throw new TrainingInProgressError(conflict);
  return job.id;
}

export async function runTraining(options: TrainPipelineOptions = {}): Promise<TrainPipelineResult> {
  const started = Date.now();
  const model = options.model ?? DEFAULT_MODEL;
  const spec = getModelSpec(model);
  const params = spec.paramsSchema.parse(options.params ?? {}) as Record<string, unknown>;
  const topN = options.topN ?? 50;
  const K = options.neighbors ?? 50;
  const seed = options.seed ?? 42;
  const tolerance = options.tolerance ?? 0.02;
  const validationRatio = options.validationRatio ?? 0.75;
  // The neighbour search runs on every core (same result on any count): most of a large run.
  const threads = options.threads ?? availableParallelism();

  let jobId = options.jobId;
  if (jobId === undefined) {
    jobId = await createTrainingJob({ model, params, topN, neighbors: K, seed, force: Boolean(options.force) });
  }
  const job = jobId;
  let lastBeat = 0;
  let lastMessage: string | null = null;
  const progress = async (stage: keyof typeof STAGES, fraction: number, message?: string) => {
    const [a, b] = STAGES[stage];
    const overall = a + (b - a) * Math.min(1, fraction);
    options.onProgress?.(stage, overall);
    const text = message ?? STAGE_MESSAGES[stage];
    // at most every 0.5 s, but always a stage's last report and a new message: a step that starts
    // right after another ends (the fit after validation) says so at once, not after its work
    if (Date.now() - lastBeat > 500 || fraction >= 1 || text !== lastMessage) {
      lastBeat = Date.now();
      lastMessage = text;
      await updateJob(job, { progress: overall, message: text });
    }
  };
  const log = (line: string) => appendJobLog(job, line);
  const stageSeconds: Record<string, number> = {};
  let stageStart = Date.now();
  const lap = (stage: keyof typeof STAGES) => {
    stageSeconds[stage] = (stageSeconds[stage] ?? 0) + (Date.now() - stageStart) / 1000;
    stageStart = Date.now();
  };

  const abandoned = await cleanUpAbandonedVersions();
  if (abandoned) await log(`cleaned up ${abandoned} abandoned training version(s)`);
  // The run's parameters: the model's, the cache sizes, and the validation split (both change the metrics).
  // The neighbour cache's size has its own key: knn models have a `neighbors` parameter of their own.
  const version = await createModelVersion({
    algorithm: model,
    params: { ...params, topN, cacheNeighbors: K, seed, validationRatio },
    jobId: job,
    codeVersion: codeVersion(),
  });
  await log(`training version ${version.id} with ${model} ${JSON.stringify(params)}`);

  let loadedSnapshot: Record<string, unknown> | undefined;
  // the job stays visibly alive through the synchronous stretches below (a fit, the neighbour
  // search), and an admin's cancel request from any instance ends this process within one beat
  const heartbeat = startHeartbeat(job, undefined, undefined, { endOnCancel: true });
  try {
    await progress("load", 0, "loading interactions");
    const data = await loadTrainingData();
    loadedSnapshot = data.snapshot;
    if (data.users.length === 0) throw new TrainingError("there are no interactions to train on (run npm run simulate or npm run import first)");
    const table = toTable(data);
    await progress("load", 1);
    lap("load");
    await log(`loaded ${data.snapshot.interactions} interactions → ${data.snapshot.pairs} user-movie pairs`);

    // 1. Validation: fit on an item-stratified share, score the held-out rest (protocol of docs/evaluation.md).
    // Fitted with the same interaction weights as the serving model below (a watchlist add counts 0.5).
    // The stage is said before its synchronous work: the reports from inside it are written only
    // once it yields (a database write waits for the event loop), so the job card said "loading
    // interactions" through the whole validation (QA: 15 s at 60,000 users).
    await progress("validate", 0);
    const validation = evaluateModel({ ...splitTable(table, "item", validationRatio, seed), weights: data.weights }, {
      model,
      params,
      k: 10,
      seed,
      threads,
      onProgress: (stage, done, total) => void progress("validate", done / Math.max(1, total), `validation: ${stage}`),
    }).report;
    const metrics: Record<string, number> = { ...validation.metrics, coverage: validation.coverage, novelty: validation.novelty };
    await progress("validate", 1);
    lap("validate");
    await log(`validation: ${JSON.stringify(metrics)}`);

    // 2. The serving model, on all data.
    const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights: data.weights });
    await progress("fit", 0);
    const trained = spec.train(dataset, params, { seed, threads });
    await progress("fit", 1);
    lap("fit");
    // item-knn with the cache's neighbour count and cosine already computed its lists: they are
    // the cache (ownListsAreCacheNeighbors); otherwise one more pass over the data.
    if (!sameNeighbors(trained, K)) await progress("neighbors", 0);
    const nb = sameNeighbors(trained, K)
      ? (trained as ItemKnnModel).neighbors
      : itemNeighbors(dataset, K, { ...CACHE_SIMILARITY, threads, onProgress: (d: number, t: number) => void progress("neighbors", d / Math.max(1, t)) });
    await progress("neighbors", 1);
    lap("neighbors");

    // 3. Caches for this version (invisible to serving until promotion), written from columns in
    // batches of BATCH_ROWS (cache-write.ts): no object per cached row.
    const movieIds = Int32Array.from(dataset.itemIds, Number);
    // The write stage's progress is shared by row count between the two caches.
    const nbRows = nb.ptr[nb.nItems];
    const nbShare = nbRows / Math.max(1, nbRows + dataset.nUsers * topN);
    await writeNeighborCache(version.id, nb, movieIds, (f) => progress("write", nbShare * f, "writing the neighbour cache"));
    await writeRecommendationCache(version.id, { trained, dataset, nb, movieIds, topN }, 0, dataset.nUsers, (f) =>
      progress("write", nbShare + (1 - nbShare) * f, "writing the recommendation cache"),
    );
    lap("write");

    const durationMs = Date.now() - started;
    const snapshot = { ...data.snapshot, users: dataset.nUsers, items: dataset.nItems };
    await completeModelVersion(version.id, { metrics, snapshot, durationMs });

    // 4. Promotion gate.
    const { promoted, gate } = await applyPromotionGate(version.id, metrics, {
      force: options.force,
      tolerance,
      actor: options.actor ?? { userId: null, label: "training gate (npm run train)" },
    });
    const pruned = await pruneCachesAfterTraining(3);
    await log(gate);
    if (pruned.length) await log(`pruned caches of versions ${pruned.join(", ")}`);
    const result: TrainPipelineResult = {
      versionId: version.id,
      jobId: job,
      promoted,
      gate,
      metrics,
      users: dataset.nUsers,
      items: dataset.nItems,
      interactions: data.snapshot.interactions,
      durationMs,
      stageSeconds,
    };
    await finishJob(job, { status: "succeeded", message: gate, stats: { versionId: version.id, promoted, metrics, durationMs, stageSeconds } });
    return result;
  } catch (err) {
    // A failed run keeps how long it ran and what it was trained on, for the run history.
    await failModelVersion(version.id, { durationMs: Date.now() - started, snapshot: loadedSnapshot }).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    await log(`failed: ${message}`).catch(() => {});
    await finishJob(job, { status: "failed", error: message }).catch(() => {});
    throw err;
  } finally {
    await heartbeat.stop();
  }
}

/**
 * Write a version's item-neighbour cache from neighbour lists (item codes → movie ids), in movie-id
 * order so rows append to the primary key (version, movie, rank). Items with empty lists (outside a
 * shard's range) write nothing. `onProgress` gets the written share (0..1).
 */
export async function writeNeighborCache(
  versionId: number,
  nb: ItemNeighbors,
  movieIds: Int32Array,
  onProgress?: (fraction: number) => Promise<void> | void,
): Promise<number> {
  const nbRows = nb.ptr[nb.nItems];
  const cols = { movieId: new Int32Array(nbRows), rank: new Int32Array(nbRows), neighborId: new Int32Array(nbRows), score: new Float32Array(nbRows) };
  const byMovieId = Int32Array.from(movieIds.keys()).sort((a, b) => movieIds[a] - movieIds[b]);
  let w = 0;
  for (const i of byMovieId) {
    for (let p = nb.ptr[i]; p < nb.ptr[i + 1]; p++, w++) {
      cols.movieId[w] = movieIds[i];
      cols.rank[w] = p - nb.ptr[i] + 1;
      cols.neighborId[w] = movieIds[nb.items[p]];
      cols.score[w] = nb.scores[p];
    }
  }
  for (let from = 0; from < nbRows; from += BATCH_ROWS) {
    const to = Math.min(nbRows, from + BATCH_ROWS);
    await writeNeighborColumns(versionId, { movieId: cols.movieId.subarray(from, to), rank: cols.rank.subarray(from, to), neighborId: cols.neighborId.subarray(from, to), score: cols.score.subarray(from, to) }, to - from);
    await onProgress?.(to / nbRows);
  }
  return nbRows;
}

export type RecommendationInputs = { trained: TrainedModel; dataset: Dataset; nb: ItemNeighbors; movieIds: Int32Array; topN: number };

/** Write the cached top-N (with anchors) of user codes [fromUser, toUser) for a version. Returns rows written. */
export async function writeRecommendationCache(
  versionId: number,
  { trained, dataset, nb, movieIds, topN }: RecommendationInputs,
  fromUser: number,
  toUser: number,
  onProgress?: (fraction: number) => Promise<void> | void,
): Promise<number> {
  const cap = BATCH_ROWS + topN;
  const recCols = { userId: new Int32Array(cap), rank: new Int32Array(cap), movieId: new Int32Array(cap), score: new Float32Array(cap), anchorMovieId: new Float64Array(cap) };
  let n = 0;
  let total = 0;
  for (let u = fromUser; u < toUser; u++) {
    const list = recommend(trained, u, topN);
    const history = userHistory(dataset, u);
    const anchors = explainRecommendations(trained, history, list.items, nb);
    const userId = Number(dataset.userIds[u]);
    for (let r = 0; r < list.items.length; r++, n++) {
      recCols.userId[n] = userId;
      recCols.rank[n] = r + 1;
      recCols.movieId[n] = movieIds[list.items[r]];
      recCols.score[n] = list.scores[r];
      recCols.anchorMovieId[n] = anchors[r] >= 0 ? movieIds[anchors[r]] : NaN;
    }
    if (n >= BATCH_ROWS) {
      await writeRecommendationColumns(versionId, recCols, n);
      total += n;
      n = 0;
      await onProgress?.((u + 1 - fromUser) / Math.max(1, toUser - fromUser));
    }
  }
  await writeRecommendationColumns(versionId, recCols, n);
  await onProgress?.(1);
  return total + n;
}

/**
 * The promotion gate: serve `versionId` when nothing serves yet, when forced, or when its
 * validation nDCG@10 is within `tolerance` of the serving version's; the switch is one transaction
 * (promoteModelVersion) and is recorded in the audit trail.
 */
export async function applyPromotionGate(
  versionId: number,
  metrics: Record<string, number>,
  opts: { force?: boolean; tolerance: number; actor: ModelActor },
): Promise<{ promoted: boolean; gate: string }> {
  const serving = await getServingVersion();
  const ndcg = metrics["ndcg@10"] ?? 0;
  const servingNdcg = serving?.metrics?.["ndcg@10"];
  const passes = !serving || servingNdcg === undefined || ndcg >= servingNdcg - opts.tolerance;
  if (passes || opts.force) {
    await promoteModelVersion(versionId, { audit: { action: "promote", actorUserId: opts.actor.userId, actorLabel: opts.actor.label } });
    // "forced" only when the force made the difference: a version that passed the gate anyway was
    // not forced past it; one a little worse that passed says why (QA: it read as a gate that failed)
    const within = servingNdcg !== undefined && ndcg < servingNdcg ? ` (within the gate's ${opts.tolerance} tolerance)` : "";
    const gate = serving
      ? `promoted: nDCG@10 ${ndcg.toFixed(4)} vs serving v${serving.id} ${servingNdcg?.toFixed(4) ?? "n/a"}${passes ? within : " (forced past the gate)"}`
      : "promoted: first model version";
    return { promoted: true, gate };
  }
  return {
    promoted: false,
    gate: `kept as candidate: nDCG@10 ${ndcg.toFixed(4)} is worse than serving v${serving.id} (${servingNdcg.toFixed(4)}) by more than ${opts.tolerance}`,
  };
}
