import { execFileSync } from "node:child_process";
import { getEnv } from "@/lib/env";
import { recordModelEvent, type ModelActor } from "@/lib/mlops/actions";
import { loadTrainingData, type TrainingData } from "@/lib/interactions/training-data";
import { appendJobLog, createJob, failStaleJobs, finishJob, listJobs, updateJob } from "@/lib/jobs/queries";
import {
  cleanUpAbandonedVersions,
  completeModelVersion,
  createModelVersion,
  failModelVersion,
  getServingVersion,
  promoteModelVersion,
  pruneOldCaches,
} from "@/lib/mlops/registry";
import { userHistory } from "./dataset";
import { evaluateModel, splitTable } from "./evaluate";
import type { RatingsTable } from "./io";
import { DEFAULT_MODEL, explainRecommendations, getModelSpec, itemNeighbors, recommend, type ModelName } from "./models";
import { writeNeighborRows, writeRecommendationRows, type NeighborRow, type RecommendationRow } from "./cache";
import { datasetFromCodes } from "./dataset";

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
};

export class TrainingError extends Error {}

const STAGES = { load: [0, 0.05], validate: [0.05, 0.35], fit: [0.35, 0.55], neighbors: [0.55, 0.65], write: [0.65, 1] } as const;

function codeVersion(): string | null {
  const fromEnv = getEnv().MATINEE_VERSION;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/** Interactions from the database as a RatingsTable (codes in first-appearance order). */
function toTable(data: TrainingData): RatingsTable {
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

export async function assertNoTrainingRunning(): Promise<void> {
  await failStaleJobs();
  const running = (await listJobs({ kind: "train", limit: 20 })).find((j) => j.status === "running");
  if (running) throw new TrainingError(`a training run is already in progress (job ${running.id})`);
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

  let jobId = options.jobId;
  if (jobId === undefined) {
    await assertNoTrainingRunning();
    jobId = (await createJob("train", { model, params, topN, neighbors: K, seed, force: Boolean(options.force) })).id;
  }
  const job = jobId;
  let lastBeat = 0;
  const progress = async (stage: keyof typeof STAGES, fraction: number, message?: string) => {
    const [a, b] = STAGES[stage];
    const overall = a + (b - a) * Math.min(1, fraction);
    options.onProgress?.(stage, overall);
    if (Date.now() - lastBeat > 500 || fraction >= 1) {
      lastBeat = Date.now();
      await updateJob(job, { progress: overall, message: message ?? stage });
    }
  };
  const log = (line: string) => appendJobLog(job, line);

  const abandoned = await cleanUpAbandonedVersions();
  if (abandoned) await log(`cleaned up ${abandoned} abandoned training version(s)`);
  const version = await createModelVersion({ algorithm: model, params: { ...params, topN, neighbors: K }, jobId: job, codeVersion: codeVersion() });
  await log(`training version ${version.id} with ${model} ${JSON.stringify(params)}`);

  try {
    await progress("load", 0, "loading interactions");
    const data = await loadTrainingData();
    if (data.users.length === 0) throw new TrainingError("there are no interactions to train on (run npm run simulate or npm run import first)");
    const table = toTable(data);
    await progress("load", 1);
    await log(`loaded ${data.snapshot.interactions} interactions → ${data.snapshot.pairs} user-movie pairs`);

    // 1. Validation: fit on an item-stratified share, score the held-out rest (protocol of docs/evaluation.md).
    const validation = evaluateModel(splitTable(table, "item", validationRatio, seed), {
      model,
      params,
      k: 10,
      seed,
      onProgress: (stage, done, total) => void progress("validate", done / Math.max(1, total), `validation: ${stage}`),
    }).report;
    const metrics: Record<string, number> = { ...validation.metrics, coverage: validation.coverage, novelty: validation.novelty };
    await progress("validate", 1);
    await log(`validation: ${JSON.stringify(metrics)}`);

    // 2. The serving model, on all data.
    const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights: data.weights });
    const trained = spec.train(dataset, params, { seed });
    await progress("fit", 1);
    const nb = itemNeighbors(dataset, K, { onProgress: (d: number, t: number) => void progress("neighbors", d / Math.max(1, t)) });
    await progress("neighbors", 1);

    // 3. Caches for this version (invisible to serving until promotion).
    const movieId = (i: number) => Number(dataset.itemIds[i]);
    let rows: NeighborRow[] = [];
    for (let i = 0; i < nb.nItems; i++) {
      for (let p = nb.ptr[i], rank = 1; p < nb.ptr[i + 1]; p++, rank++) {
        rows.push({ modelVersionId: version.id, movieId: movieId(i), rank, neighborId: movieId(nb.items[p]), score: nb.scores[p] });
      }
      if (rows.length >= 20_000) {
        writeNeighborRows(rows);
        rows = [];
        await progress("write", (0.2 * (i + 1)) / nb.nItems, "writing neighbour cache");
      }
    }
    writeNeighborRows(rows);

    let recRows: RecommendationRow[] = [];
    for (let u = 0; u < dataset.nUsers; u++) {
      const list = recommend(trained, u, topN);
      const history = userHistory(dataset, u);
      const anchors = explainRecommendations(trained, history, list.items, nb);
      const userId = Number(dataset.userIds[u]);
      for (let r = 0; r < list.items.length; r++) {
        recRows.push({
          modelVersionId: version.id,
          userId,
          rank: r + 1,
          movieId: movieId(list.items[r]),
          score: list.scores[r],
          anchorMovieId: anchors[r] >= 0 ? movieId(anchors[r]) : null,
        });
      }
      if (recRows.length >= 20_000) {
        writeRecommendationRows(recRows);
        recRows = [];
        await progress("write", 0.2 + (0.8 * (u + 1)) / dataset.nUsers, "writing recommendation cache");
      }
    }
    writeRecommendationRows(recRows);

    const durationMs = Date.now() - started;
    const snapshot = { ...data.snapshot, users: dataset.nUsers, items: dataset.nItems };
    await completeModelVersion(version.id, { metrics, snapshot, durationMs });

    // 4. Promotion gate.
    const serving = await getServingVersion();
    const ndcg = metrics["ndcg@10"] ?? 0;
    const servingNdcg = serving?.metrics?.["ndcg@10"];
    let promoted = false;
    let gate: string;
    if (!serving || options.force || servingNdcg === undefined || ndcg >= servingNdcg - tolerance) {
      await promoteModelVersion(version.id);
      await recordModelEvent({
        versionId: version.id,
        action: "promote",
        fromVersionId: serving?.id ?? null,
        actor: options.actor ?? { userId: null, label: "training gate (npm run train)" },
      });
      promoted = true;
      gate = serving
        ? `promoted: nDCG@10 ${ndcg.toFixed(4)} vs serving v${serving.id} ${servingNdcg?.toFixed(4) ?? "n/a"}${options.force ? " (forced)" : ""}`
        : "promoted: first model version";
    } else {
      gate = `kept as candidate: nDCG@10 ${ndcg.toFixed(4)} is worse than serving v${serving.id} (${servingNdcg.toFixed(4)}) by more than ${tolerance}`;
    }
    const pruned = await pruneOldCaches(3);
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
    };
    await finishJob(job, { status: "succeeded", message: gate, stats: { versionId: version.id, promoted, metrics, durationMs } });
    return result;
  } catch (err) {
    await failModelVersion(version.id).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    await log(`failed: ${message}`).catch(() => {});
    await finishJob(job, { status: "failed", error: message }).catch(() => {});
    throw err;
  }
}
