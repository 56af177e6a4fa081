import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { jobs, type Job, jobKinds } from "@/lib/db/schema";

export type JobKind = (typeof jobKinds)[number];

const MAX_LOG_CHARS = 20_000;

export async function createJob(kind: JobKind, params: Record<string, unknown> = {}, status: "queued" | "running" = "running"): Promise<Job> {
  const nowMs = Date.now();
  const [job] = await getDb()
    .insert(jobs)
    .values({ kind, params, status, startedAt: status === "running" ? nowMs : null, heartbeatAt: nowMs })
    .returning();
  return job;
}

export async function getJob(id: number): Promise<Job | null> {
  const [job] = await getDb().select().from(jobs).where(eq(jobs.id, id));
  return job ?? null;
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
  if (patch.stats !== undefined) set.stats = sql`json_patch(${jobs.stats}, ${JSON.stringify(patch.stats)})`;
  await getDb().update(jobs).set(set).where(eq(jobs.id, id));
}

/** Append a line to the job's log (kept to the last MAX_LOG_CHARS characters). */
export async function appendJobLog(id: number, line: string): Promise<void> {
  const stamped = `${new Date().toISOString()} ${line}\n`;
  await getDb()
    .update(jobs)
    .set({ log: sql`substr(${jobs.log} || ${stamped}, -${MAX_LOG_CHARS})`, heartbeatAt: Date.now() })
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
  if (outcome.stats) set.stats = sql`json_patch(${jobs.stats}, ${JSON.stringify(outcome.stats)})`;
  await getDb().update(jobs).set(set).where(eq(jobs.id, id));
}

/**
 * Jobs left "running" by a process that died (no heartbeat for `staleMs`) are marked failed, so a
 * killed script never blocks the next run of its kind.
 */
export async function failStaleJobs(staleMs = 60_000): Promise<number> {
  const cutoff = Date.now() - staleMs;
  const res = await getDb()
    .update(jobs)
    .set({ status: "failed", error: "abandoned: no heartbeat (process killed?)", finishedAt: Date.now() })
    .where(and(inArray(jobs.status, ["running", "queued"]), sql`coalesce(${jobs.heartbeatAt}, ${jobs.createdAt}) < ${cutoff}`))
    .returning({ id: jobs.id });
  return res.length;
}
