import os from "node:os";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { affectedRows, getDb } from "@/lib/db";
import { jsonMerge, lastChars } from "@/lib/db/sql";
import { jobs, type Job, jobKinds } from "@/lib/db/schema";
import { cleanUpAbandonedVersions } from "@/lib/mlops/registry";
import { isRecordedProcessAlive } from "@/lib/util/process-alive";
import { pruneJobLogs } from "./retention";

export type JobKind = (typeof jobKinds)[number];

const MAX_LOG_CHARS = 20_000;

export async function createJob(kind: JobKind, params: Record<string, unknown> = {}, status: "queued" | "running" = "running"): Promise<Job> {
  const nowMs = Date.now();
  const [job] = await getDb()
    .insert(jobs)
    .values({
      kind,
      params,
      status,
      startedAt: status === "running" ? nowMs : null,
      heartbeatAt: nowMs,
      ...(status === "running" ? { workerPid: process.pid, workerHost: os.hostname() } : {}),
    })
    .returning();
  return job;
}

export async function getJob(id: number): Promise<Job | null> {
  const [job] = await getDb().select().from(jobs).where(eq(jobs.id, id));
  return job ?? null;
}

/** Who asked to stop this job (from any instance: `POST /api/admin/jobs/{id}/cancel`), or null. */
export type CancelRequest = { at: number; by: string };

export function cancelRequestOf(stats: Record<string, unknown>): CancelRequest | null {
  if (typeof stats.cancelRequestedAt !== "number") return null;
  return { at: stats.cancelRequestedAt, by: typeof stats.cancelRequestedBy === "string" ? stats.cancelRequestedBy : "an admin" };
}

/**
 * Has someone asked to stop job `id`? A crawl asks before each page and a simulation after each
 * batch, so an admin on any instance can stop a run on another host, where no signal reaches.
 */
export async function readCancelRequest(id: number): Promise<CancelRequest | null> {
  const [row] = await getDb().select({ stats: jobs.stats }).from(jobs).where(eq(jobs.id, id));
  return row ? cancelRequestOf(row.stats) : null;
}

/**
 * Who stopped a job whose run ended on a cancel: the admin who asked (its cancel request), else
 * what its abort signal names (the worker aborts with the signal it received, `npm run crawl`
 * with Ctrl-C or SIGTERM), else "the user" (was always "the user", for a plain `kill` too).
 */
export async function stoppedBy(id: number, signal?: AbortSignal): Promise<string> {
  const request = await readCancelRequest(id).catch(() => null);
  if (request) return request.by;
  return signal?.aborted && typeof signal.reason === "string" ? signal.reason : "the user";
}

/**
 * Record that `by` asked to stop running job `id` (not its heartbeat: the job's process writes
 * that). False when it is no longer running.
 */
export async function requestCancel(id: number, by: string): Promise<boolean> {
  const res = await getDb()
    .update(jobs)
    .set({ stats: jsonMerge(jobs.stats, { cancelRequestedAt: Date.now(), cancelRequestedBy: by }) })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running")));
  return affectedRows(res) > 0;
}

export async function listJobs(opts: { kind?: JobKind; limit?: number } = {}): Promise<Job[]> {
  return getDb()
    .select()
    .from(jobs)
    .where(opts.kind ? eq(jobs.kind, opts.kind) : undefined)
    .orderBy(desc(jobs.id))
    .limit(opts.limit ?? 50);
}

/** Progress (0..1), a short message, merged stats; also the heartbeat that shows the job is alive. */
export async function updateJob(
  id: number,
  patch: { progress?: number; message?: string; stats?: Record<string, unknown> },
): Promise<void> {
  const set: Record<string, unknown> = { heartbeatAt: Date.now() };
  if (patch.progress !== undefined) set.progress = Math.max(0, Math.min(1, patch.progress));
  if (patch.message !== undefined) set.message = patch.message;
  if (patch.stats !== undefined) set.stats = jsonMerge(jobs.stats, patch.stats);
  await getDb().update(jobs).set(set).where(eq(jobs.id, id));
}

/** Append a line to the job's log (kept to the last MAX_LOG_CHARS characters). */
export async function appendJobLog(id: number, line: string): Promise<void> {
  const stamped = `${new Date().toISOString()} ${line}\n`;
  await getDb()
    .update(jobs)
    .set({ log: lastChars(sql`${jobs.log} || ${stamped}`, MAX_LOG_CHARS), heartbeatAt: Date.now() })
    .where(eq(jobs.id, id));
}

export async function finishJob(
  id: number,
  outcome: { status: "succeeded" | "failed" | "cancelled"; error?: string; stats?: Record<string, unknown>; message?: string },
): Promise<void> {
  const set: Record<string, unknown> = {
    status: outcome.status,
    finishedAt: Date.now(),
    heartbeatAt: Date.now(),
    error: outcome.error ?? null,
  };
  if (outcome.status === "succeeded") set.progress = 1;
  if (outcome.message !== undefined) set.message = outcome.message;
  if (outcome.stats) set.stats = jsonMerge(jobs.stats, outcome.stats);
  await getDb().update(jobs).set(set).where(eq(jobs.id, id));
  // old jobs' logs go as new jobs finish (JOB_LOG_DAYS); a failure there is not this job's
  await pruneJobLogs().catch((err: unknown) => console.warn(`jobs: old logs not pruned: ${err instanceof Error ? err.message : String(err)}`));
}

/** How long a job someone asked to stop may go without a heartbeat before it counts as stopped. */
export const CANCEL_SETTLE_MS = 30_000;

/** Is the job's process still running on this host (the same process, not a reused pid)? */
function jobProcessAlive(job: { workerPid: number | null; startedAt: number | null; createdAt: number }): boolean {
  return job.workerPid !== null && isRecordedProcessAlive(job.workerPid, job.startedAt ?? job.createdAt);
}

/**
 * Jobs left "running" or "queued" by a process that died are marked failed, so a killed script
 * never blocks the next run of its kind: at once when the job's process on this host is gone,
 * otherwise when its heartbeat is older than `staleMs` (another host, or no process recorded).
 * A job whose process is alive on this host is never failed, however quiet it has been. A failed
 * train job's model version still `training` is failed with it (its partial cache rows deleted).
 *
 * A job someone asked to stop is recorded `cancelled` instead, and sooner: its heartbeat (written
 * at least every 10 s while its process lives) quiet for `CANCEL_SETTLE_MS` means the process
 * stopped. That is how a training run stopped on another host ends: its heartbeat thread sees the
 * request and ends the process at once, with no chance to record anything itself.
 */
export async function failStaleJobs(staleMs = 60_000): Promise<number> {
  const db = getDb();
  const cutoff = Date.now() - staleMs;
  const host = os.hostname();
  const open = await db.select().from(jobs).where(inArray(jobs.status, ["running", "queued"]));
  let failed = 0;
  for (const job of open) {
    const beat = job.heartbeatAt ?? job.createdAt;
    const here = job.status === "running" && job.workerHost === host && job.workerPid !== null;
    if (here && jobProcessAlive(job)) continue;
    const cancel = cancelRequestOf(job.stats);
    // here, its process is gone: no need to wait for the heartbeat
    if (!here && beat >= (cancel ? Math.max(cutoff, Date.now() - CANCEL_SETTLE_MS) : cutoff)) continue;
    // it ended at its last sign of life, not now: the job's "took" agrees with the runs page's
    const endedAt = Math.min(Date.now(), beat);
    const res = await db
      .update(jobs)
      .set(
        cancel
          ? { status: "cancelled", error: `cancelled by ${cancel.by}`, finishedAt: endedAt }
          : {
              status: "failed",
              error: here ? `abandoned: process ${job.workerPid} is gone (killed?)` : "abandoned: no heartbeat (process killed?)",
              finishedAt: endedAt,
            },
      )
      .where(and(eq(jobs.id, job.id), inArray(jobs.status, ["running", "queued"])));
    // a sweep running at the same time (two listings at once) got there first: its cleanup, not ours
    if (affectedRows(res) === 0) continue;
    failed++;
    // the killed run's model version shows as failed now, not `training` until the next run
    if (job.kind === "train") await cleanUpAbandonedVersions({ jobId: job.id });
  }
  return failed;
}
