import os from "node:os";
import { and, desc, eq, inArray, isNotNull, lt, ne, notInArray, sql } from "drizzle-orm";
import { getDb, transaction, type Db } from "@/lib/db";
import { lockKey } from "@/lib/db/sql";
import {
  appState,
  experiments,
  itemNeighbors,
  jobs,
  modelEvents,
  modelVersions,
  recommendations,
  trainRuns,
  trainShards,
  type ModelEvent,
  type ModelVersion,
  type TrainRun,
  type TrainShard,
} from "@/lib/db/schema";
import { isFresh } from "@/lib/util/fresh";
import { isRecordedProcessAlive } from "@/lib/util/process-alive";

// The model registry: versions, which one serves, and the cache rows that belong to each.
// The serving pointer lives in app_state so every app instance reads the same value.

export const SERVING_KEY = "serving_model_version";

export async function createModelVersion(input: {
  algorithm: string;
  params: Record<string, unknown>;
  jobId?: number | null;
  codeVersion?: string | null;
}): Promise<ModelVersion> {
  const [row] = await getDb()
    .insert(modelVersions)
    .values({ ...input, status: "training", stage: "candidate" })
    .returning();
  return row;
}

export async function getModelVersion(id: number): Promise<ModelVersion | null> {
  const [row] = await getDb().select().from(modelVersions).where(eq(modelVersions.id, id));
  return row ?? null;
}

/** The newest `limit` versions, newest first; with `before`, only versions older than that id (the next page). */
export async function listModelVersions(limit = 50, before?: number): Promise<ModelVersion[]> {
  const older = before === undefined ? undefined : lt(modelVersions.id, before);
  return getDb().select().from(modelVersions).where(older).orderBy(desc(modelVersions.id)).limit(limit);
}

export async function getServingVersionId(db: Db = getDb()): Promise<number | null> {
  const [row] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, SERVING_KEY));
  return row ? Number(row.value) : null;
}

export async function getServingVersion(): Promise<ModelVersion | null> {
  const id = await getServingVersionId();
  return id === null ? null : getModelVersion(id);
}

/**
 * The most recently finished successful training run (a ready version: `npm run train`, an admin
 * or scheduled retrain, a sharded run, whether the gate promoted it or not), or null.
 */
export async function getLastReadyVersion(): Promise<Pick<ModelVersion, "id" | "finishedAt" | "durationMs"> | null> {
  const [row] = await getDb()
    .select({ id: modelVersions.id, finishedAt: modelVersions.finishedAt, durationMs: modelVersions.durationMs })
    .from(modelVersions)
    .where(and(eq(modelVersions.status, "ready"), isNotNull(modelVersions.finishedAt)))
    .orderBy(desc(modelVersions.finishedAt), desc(modelVersions.id))
    .limit(1);
  return row ?? null;
}

/**
 * Record the finished run (metrics, snapshot, duration) and make it ready; not yet serving. Only
 * a version still `training`: one the stale-job sweep already failed (its cache rows deleted while
 * this run wrote them) stays failed, and this throws.
 */
export async function completeModelVersion(
  id: number,
  result: { metrics: Record<string, number>; snapshot: Record<string, unknown>; durationMs: number },
): Promise<void> {
  const done = await getDb()
    .update(modelVersions)
    .set({ ...result, status: "ready", finishedAt: Date.now() })
    .where(and(eq(modelVersions.id, id), eq(modelVersions.status, "training")))
    .returning({ id: modelVersions.id });
  if (done.length === 0) throw new Error(`model version ${id} is no longer training (its job was taken for abandoned and failed); train again`);
}

/**
 * Mark a run failed and drop its partial cache rows. The run's duration and data snapshot are kept
 * when the caller knows them (a run that died with its process is cleaned up without them).
 */
export async function failModelVersion(id: number, run: { durationMs?: number; snapshot?: Record<string, unknown> } = {}): Promise<void> {
  await transaction(async (tx) => {
    await tx.update(modelVersions).set({ ...run, status: "failed", finishedAt: Date.now() }).where(eq(modelVersions.id, id));
    await tx.delete(itemNeighbors).where(eq(itemNeighbors.modelVersionId, id));
    await tx.delete(recommendations).where(eq(recommendations.modelVersionId, id));
  });
}

/** A switch refused inside its transaction: the version is not ready, its cache is gone, or it already serves. */
export class NotServableError extends Error {
  constructor(
    readonly versionId: number,
    readonly reason: "not_ready" | "no_cache" | "serving" | "moved",
    /** With `moved`: the version serving when the switch came to it. */
    readonly servingId: number | null = null,
  ) {
    super(
      reason === "no_cache"
        ? `model version ${versionId} has no cache (pruned)`
        : reason === "serving"
          ? `model version ${versionId} is already serving`
          : reason === "moved"
            ? `serving moved to ${servingId ?? "nothing"} before the switch to ${versionId}`
            : `model version ${versionId} is not ready`,
    );
    this.name = "NotServableError";
  }
}

/** The audit row a switch writes in its own transaction: what happened and who did it. */
export type SwitchAudit = { action: ModelEvent["action"]; actorUserId: number | null; actorLabel: string };

/**
 * Make a ready version the serving one, in one transaction: the pointer moves, the new version
 * becomes `production` and the previous production version `archived`. The version must be ready
 * and, with `requireCache` (a person's promote or rollback), still have its cache: checked inside
 * the transaction under the serving lock that pruneOldCaches also takes, so a prune running at the
 * same time either sees the new pointer (and keeps the cache) or has already dropped it (and the
 * promotion is refused, NotServableError). With `audit` the switch's model_events row is written in
 * the same transaction, naming the version the pointer held there (read under the lock): two
 * switches at once are recorded in the order they happened, each from the version it replaced,
 * and a version that already serves is refused.
 */
export async function promoteModelVersion(
  id: number,
  opts: { requireCache?: boolean; audit?: SwitchAudit; expectServing?: number } = {},
): Promise<{ previousVersion: number | null; event: ModelEvent | null }> {
  const result = await transaction(async (tx) => {
    await lockKey(tx, "serving");
    const [version] = await tx.select({ status: modelVersions.status }).from(modelVersions).where(eq(modelVersions.id, id));
    if (!version || version.status !== "ready") throw new NotServableError(id, "not_ready");
    // (the training gate promotes the version it just wrote, the newest: no prune drops it)
    if (opts.requireCache) {
      const [cached] = await tx.select({ n: sql<number>`1` }).from(itemNeighbors).where(eq(itemNeighbors.modelVersionId, id)).limit(1);
      if (!cached) throw new NotServableError(id, "no_cache");
    }
    const [pointer] = await tx.select({ value: appState.value }).from(appState).where(eq(appState.key, SERVING_KEY));
    const previousVersion = pointer ? Number(pointer.value) : null;
    if (opts.audit && previousVersion === id) throw new NotServableError(id, "serving");
    // a switch decided against the version serving then (a rollback) is refused once another switch got there first
    if (opts.expectServing !== undefined && previousVersion !== opts.expectServing) throw new NotServableError(id, "moved", previousVersion);
    await tx
      .update(modelVersions)
      .set({ stage: "archived" })
      .where(and(eq(modelVersions.stage, "production"), ne(modelVersions.id, id)));
    await tx.update(modelVersions).set({ stage: "production" }).where(eq(modelVersions.id, id));
    await tx
      .insert(appState)
      .values({ key: SERVING_KEY, value: String(id), updatedAt: Date.now() })
      .onConflictDoUpdate({ target: appState.key, set: { value: String(id), updatedAt: Date.now() } });
    let event: ModelEvent | null = null;
    if (opts.audit) {
      [event] = await tx
        .insert(modelEvents)
        .values({ modelVersionId: id, action: opts.audit.action, fromVersionId: previousVersion, actorUserId: opts.audit.actorUserId, actorLabel: opts.audit.actorLabel, at: Date.now() })
        .returning();
    }
    return { previousVersion, event };
  });
  invalidateServingSnapshot();
  return result;
}

/**
 * Versions left in `training` by a run that died: marked failed and their partial cache rows
 * deleted. Serving never pointed at them, so nothing visible changes. A sharded run
 * (lib/recs/shards.ts) counts as dead when it is abandoned (failAbandonedTrainingRuns): none of its
 * shards is alive and not all are done; one still in progress, its shards working in other
 * processes or on other machines, is left alone. `only.jobId`: just the versions of that
 * (abandoned) job, as the stale-job sweep does.
 */
export async function cleanUpAbandonedVersions(only: { jobId?: number } = {}): Promise<number> {
  const db = getDb();
  const runs = only.jobId === undefined ? await failAbandonedTrainingRuns() : [];
  const stale = await db
    .select({ id: modelVersions.id, createdAt: modelVersions.createdAt, lastBeat: jobs.heartbeatAt })
    .from(modelVersions)
    .leftJoin(jobs, eq(jobs.id, modelVersions.jobId))
    .where(
      and(
        eq(modelVersions.status, "training"),
        only.jobId !== undefined ? eq(modelVersions.jobId, only.jobId) : undefined,
        sql`${modelVersions.id} not in (select model_version_id from ${trainRuns} where status = 'running')`,
      ),
    );
  // how long it ran: until its job's last sign of life (unknown without a job)
  for (const { id, createdAt, lastBeat } of stale) await failModelVersion(id, lastBeat == null ? {} : { durationMs: Math.max(0, lastBeat - createdAt) });
  return runs.length + stale.length;
}

/** How long a shard on another host may go without a heartbeat (written every 10 s) before it counts as gone: as a job. */
export const SHARD_STALE_MS = 60_000;

/**
 * Is this shard's process alive? Not once the shard failed (its process records that as it ends)
 * or finished. Its process on this host: while that runs, however quiet (as a job's); elsewhere:
 * while its heartbeat, written every 10 s from a thread of its own, is younger than `staleMs`.
 */
function shardAlive(s: TrainShard, now: number, staleMs: number, host: string): boolean {
  if (s.phase === "failed" || s.phase === "done") return false;
  if (s.workerHost === host && s.workerPid !== null) return isRecordedProcessAlive(s.workerPid, s.startedAt ?? s.updatedAt);
  return (s.heartbeatAt ?? s.updatedAt) >= now - staleMs;
}

/**
 * Why a running sharded run is abandoned, or null while it may still finish. It may while any
 * shard is alive (a shard waits at the barrier for a peer's retry, so the run lives as long as one
 * of its shards does), and when every shard is done (finalize's turn). A run whose barrier expired
 * without its peers has no live shard left: the shard that timed out recorded itself failed.
 */
function abandonedReason(run: TrainRun, shards: TrainShard[], now: number, staleMs: number): string | null {
  const host = os.hostname();
  if (shards.filter((s) => s.phase === "done").length >= run.shards) return null;
  if (shards.some((s) => shardAlive(s, now, staleMs, host))) return null;
  // a run is created with its first shard's row; one without (older code) lives as long as a heartbeat would
  if (shards.length === 0) return run.createdAt >= now - staleMs ? null : "abandoned: no shard of it ever ran";
  const why = shards
    .filter((s) => s.phase !== "done")
    .sort((a, b) => a.shard - b.shard)
    .map((s) =>
      s.phase === "failed"
        ? `shard ${s.shard} failed: ${s.error ?? "unknown error"}`
        : s.workerHost === host && s.workerPid !== null
          ? `shard ${s.shard}'s process ${s.workerPid} is gone`
          : `shard ${s.shard} sent no heartbeat for ${Math.round((now - (s.heartbeatAt ?? s.updatedAt)) / 1000)} s`,
    );
  return `abandoned: no shard of it is running (${why.join("; ")})`;
}

/**
 * Sharded runs that can no longer finish are marked failed (with why) and their versions failed,
 * their partial cache rows deleted; returns those versions. A run is abandoned when none of its
 * shards is alive and not every shard is done (abandonedReason): its shards all failed (a barrier
 * that expired leaves its shard failed), or their processes are gone (at once on this host, after
 * `staleMs` without a heartbeat elsewhere). A later retry of one of its shards is refused. Decided
 * again under the run's lock, which a joining shard takes too, so a shard that joins (a Job's
 * retry) either keeps the run alive or finds it failed.
 */
export async function failAbandonedTrainingRuns(staleMs = SHARD_STALE_MS): Promise<number[]> {
  const db = getDb();
  const open = await db.select().from(trainRuns).where(eq(trainRuns.status, "running"));
  const failed: number[] = [];
  for (const candidate of open) {
    const shardsOf = (tx: Db) => tx.select().from(trainShards).where(eq(trainShards.runId, candidate.id));
    // a first look without the lock: runs in progress (the usual case) cost no write transaction
    if (!abandonedReason(candidate, await shardsOf(db), Date.now(), staleMs)) continue;
    const run = await transaction(async (tx) => {
      await lockKey(tx, `train-run:${candidate.id}`);
      const [current] = await tx.select().from(trainRuns).where(and(eq(trainRuns.id, candidate.id), eq(trainRuns.status, "running")));
      const reason = current ? abandonedReason(current, await shardsOf(tx), Date.now(), staleMs) : null;
      if (!current || !reason) return null;
      await tx.update(trainRuns).set({ status: "failed", finishedAt: Date.now(), error: reason }).where(eq(trainRuns.id, current.id));
      return current;
    });
    if (!run) continue;
    await failModelVersion(run.modelVersionId, { durationMs: Date.now() - run.createdAt });
    failed.push(run.modelVersionId);
  }
  return failed;
}

/**
 * Keep the cache rows of the serving version, the `keep` most recent ready versions (so a
 * rollback is instant), the versions of a running experiment's arms, versions still training and
 * `alsoKeep`; drop the rest. Version rows stay for history.
 */
export async function pruneOldCaches(keep = 3, alsoKeep: readonly number[] = []): Promise<number[]> {
  // Under the serving lock, reading the pointer inside: a promotion racing this prune either lands
  // first (its version is kept) or finds its cache gone and is refused (promoteModelVersion).
  return transaction(async (db) => {
    await lockKey(db, "serving");
    return pruneLocked(db, keep, alsoKeep);
  });
}

async function pruneLocked(db: Db, keep: number, alsoKeep: readonly number[]): Promise<number[]> {
  const [pointer] = await db.select({ value: appState.value }).from(appState).where(eq(appState.key, SERVING_KEY));
  const servingId = pointer ? Number(pointer.value) : null;
  const recent = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(eq(modelVersions.status, "ready"))
    .orderBy(desc(modelVersions.id))
    .limit(keep);
  const keepIds = new Set([...recent.map((r) => r.id), ...alsoKeep]);
  if (servingId !== null) keepIds.add(servingId);
  // Versions serving an arm of a running A/B experiment keep their cache until it stops.
  const running = await db.select({ arms: experiments.arms }).from(experiments).where(eq(experiments.status, "running"));
  for (const e of running) for (const arm of e.arms) keepIds.add(arm.versionId);
  // Versions still training are being written (a sharded run's shards, in other processes): their
  // rows are theirs to finish; a run that died is cleaned up by cleanUpAbandonedVersions.
  const training = await db.select({ id: modelVersions.id }).from(modelVersions).where(eq(modelVersions.status, "training"));
  for (const v of training) keepIds.add(v.id);
  const withCache = await db
    .selectDistinct({ id: recommendations.modelVersionId })
    .from(recommendations)
    .where(keepIds.size ? notInArray(recommendations.modelVersionId, [...keepIds]) : undefined);
  const neighborVersions = await db
    .selectDistinct({ id: itemNeighbors.modelVersionId })
    .from(itemNeighbors)
    .where(keepIds.size ? notInArray(itemNeighbors.modelVersionId, [...keepIds]) : undefined);
  const drop = [...new Set([...withCache, ...neighborVersions].map((r) => r.id))].sort((a, b) => a - b);
  if (drop.length) {
    await db.delete(recommendations).where(inArray(recommendations.modelVersionId, drop));
    await db.delete(itemNeighbors).where(inArray(itemNeighbors.modelVersionId, drop));
  }
  return drop;
}

/** Whether a version still has its cache (rollback target). */
export async function hasCache(id: number, db: Db = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`1` })
    .from(itemNeighbors)
    .where(eq(itemNeighbors.modelVersionId, id))
    .limit(1);
  return Boolean(row);
}


export const SERVING_TTL_MS = 2_000;
/**
 * A version and what it was trained on, for serving's "is the model's list still current for this
 * user?": the newest interaction time and the largest interaction row id it read (null for versions
 * trained before that was kept, which are judged by time alone).
 */
export type VersionSnapshot = { versionId: number; trainedUpTo: number; trainedUpToId: number | null };

export function versionSnapshot(version: Pick<ModelVersion, "id" | "snapshot">): VersionSnapshot {
  const maxId = version.snapshot?.maxInteractionId;
  return {
    versionId: version.id,
    trainedUpTo: Number(version.snapshot?.maxCreatedAt ?? 0),
    trainedUpToId: typeof maxId === "number" ? maxId : null,
  };
}

let servingCache: { at: number; value: VersionSnapshot | null } | undefined;

/**
 * The serving version and the newest interaction it was trained on, re-read from the database at
 * most every 2 s per process: a promotion or rollback reaches every instance within seconds,
 * without a query per request.
 */
export async function getServingSnapshot(): Promise<VersionSnapshot | null> {
  const cached = peekServingSnapshot();
  if (cached !== undefined) return cached;
  const version = await getServingVersion();
  const value = version ? versionSnapshot(version) : null;
  servingCache = { at: Date.now(), value };
  return value;
}

/** The cached serving snapshot while it is fresh, else undefined (no await on the hot path). */
export function peekServingSnapshot(now = Date.now()): VersionSnapshot | null | undefined {
  return servingCache && isFresh(servingCache.at, SERVING_TTL_MS, now) ? servingCache.value : undefined;
}

/** Forget the cached serving snapshot (after a promotion in this process, and in tests). */
export function invalidateServingSnapshot(): void {
  servingCache = undefined;
}
