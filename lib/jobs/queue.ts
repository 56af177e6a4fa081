import os from "node:os";
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { jobs, type Job } from "@/lib/db/schema";
import type { JobKind } from "./queries";

// The queue's database steps. Each is one statement or one IMMEDIATE transaction, so two app
// instances (or two workers) racing for the same job or the same kind cannot both win.

const OPEN_STATUSES = ["queued", "running"] as const;

/**
 * Insert a queued job unless one of the same kind is already queued or running. Call
 * failStaleJobs first: a job whose worker died must not block the kind forever.
 */
export function insertQueuedJob(
  kind: JobKind,
  params: Record<string, unknown>,
  stats: Record<string, unknown> = {},
): { job: Job; conflict?: undefined } | { job?: undefined; conflict: Job } {
  return getDb().transaction(
    (tx) => {
      const open = tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, kind), inArray(jobs.status, [...OPEN_STATUSES])))
        .orderBy(desc(jobs.id))
        .get();
      if (open) return { conflict: open };
      const job = tx.insert(jobs).values({ kind, params, stats, status: "queued", heartbeatAt: Date.now() }).returning().get();
      return { job };
    },
    { behavior: "immediate" },
  );
}

/**
 * Claim a queued job for this process: queued → running in one conditional UPDATE. Returns the
 * claimed row, or null when the job does not exist or someone else claimed (or failed) it first.
 */
export function claimJob(id: number): Job | null {
  const now = Date.now();
  const row = getDb()
    .update(jobs)
    .set({ status: "running", startedAt: now, heartbeatAt: now, workerPid: process.pid, workerHost: os.hostname() })
    .where(and(eq(jobs.id, id), eq(jobs.status, "queued")))
    .returning()
    .get();
  return row ?? null;
}

/** Mark a job failed unless it already finished (the worker's own outcome wins). */
export function failOpenJob(id: number, error: string): boolean {
  const res = getDb()
    .update(jobs)
    .set({ status: "failed", error, finishedAt: Date.now() })
    .where(and(eq(jobs.id, id), inArray(jobs.status, [...OPEN_STATUSES])))
    .run();
  return res.changes > 0;
}

export function isOpenStatus(status: Job["status"]): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
