import os from "node:os";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { affectedRows, getDb, isPostgres, transaction } from "@/lib/db";
import { lockKey } from "@/lib/db/sql";
import { jobKinds, jobs, type Job } from "@/lib/db/schema";
import { cleanUpAbandonedVersions } from "@/lib/mlops/registry";
import type { JobKind } from "./queries";

// The queue's database steps. Each is one statement or one transaction holding a lock on the job
// kind, so two app instances (or two workers) racing for the same job or the same kind cannot both win.

const OPEN_STATUSES = ["queued", "running"] as const;

/**
 * Insert a queued job unless one of the same kind is already queued or running. Call
 * failStaleJobs first: a job whose worker died must not block the kind forever.
 */
export async function insertQueuedJob(
  kind: JobKind,
  params: Record<string, unknown>,
  stats: Record<string, unknown> = {},
): Promise<{ job: Job; conflict?: undefined } | { job?: undefined; conflict: Job }> {
  return insertJobUnlessOpen(kind, params, stats, "queued");
}

/**
 * Insert a job unless one of the same kind is already queued or running, in one transaction
 * holding the kind's lock: `queued` for a worker to claim, or `running` in this process (a CLI
 * run that does the work itself, e.g. `npm run train`). Call failStaleJobs first.
 */
export async function insertJobUnlessOpen(
  kind: JobKind,
  params: Record<string, unknown>,
  stats: Record<string, unknown>,
  status: "queued" | "running",
): Promise<{ job: Job; conflict?: undefined } | { job?: undefined; conflict: Job }> {
  const now = Date.now();
  const run = status === "running" ? { startedAt: now, workerPid: process.pid, workerHost: os.hostname() } : {};
  return transaction(async (tx) => {
    await lockKey(tx, `jobs:${kind}`);
    const [open] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, kind), inArray(jobs.status, [...OPEN_STATUSES])))
      .orderBy(desc(jobs.id))
      .limit(1);
    if (open) return { conflict: open };
    const [job] = await tx.insert(jobs).values({ kind, params, stats, status, heartbeatAt: now, ...run }).returning();
    return { job };
  });
}

/**
 * Claim a queued job for this process: queued → running in one conditional UPDATE. Returns the
 * claimed row, or null when the job does not exist or someone else claimed (or failed) it first.
 */
export async function claimJob(id: number): Promise<Job | null> {
  const now = Date.now();
  const [row] = await getDb()
    .update(jobs)
    .set({ status: "running", startedAt: now, heartbeatAt: now, workerPid: process.pid, workerHost: os.hostname() })
    .where(and(eq(jobs.id, id), eq(jobs.status, "queued")))
    .returning();
  return row ?? null;
}

/**
 * Claim the oldest queued job (of the given kinds) for this process, or null when none is queued.
 * PostgreSQL: the candidate row is locked with FOR UPDATE SKIP LOCKED, so workers polling together
 * each get a different job and never wait on each other. SQLite has one writer at a time, so the
 * same single UPDATE with a subquery is already exclusive. Either way exactly one worker runs a job.
 */
export async function claimNextJob(kinds: readonly JobKind[] = jobKinds): Promise<Job | null> {
  const now = Date.now();
  const kindList = sql.join(kinds.map((k) => sql`${k}`), sql`, `);
  const lock = isPostgres() ? sql` for update skip locked` : sql``;
  const [row] = await getDb()
    .update(jobs)
    .set({ status: "running", startedAt: now, heartbeatAt: now, workerPid: process.pid, workerHost: os.hostname() })
    .where(
      sql`${jobs.id} = (select id from ${jobs} where status = 'queued' and kind in (${kindList}) order by id limit 1${lock}) and ${jobs.status} = 'queued'`,
    )
    .returning();
  return row ?? null;
}

/**
 * Mark a job failed (or cancelled, when someone stopped it) unless it already finished (the
 * worker's own outcome wins).
 */
export async function failOpenJob(id: number, error: string, status: "failed" | "cancelled" = "failed"): Promise<boolean> {
  const res = await getDb()
    .update(jobs)
    .set({ status, error, finishedAt: Date.now() })
    .where(and(eq(jobs.id, id), inArray(jobs.status, [...OPEN_STATUSES])));
  if (affectedRows(res) === 0) return false;
  // a train job's version still `training` fails with it (none for other kinds)
  await cleanUpAbandonedVersions({ jobId: id });
  return true;
}

export function isOpenStatus(status: Job["status"]): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
