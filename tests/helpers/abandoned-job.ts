import { spawnSync } from "node:child_process";
import os from "node:os";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { jobs, type Job } from "@/lib/db/schema";
import { createJob } from "@/lib/jobs/queries";

/** The pid of a process that has exited: what a job row keeps after Ctrl-C or kill -9 on this host. */
export function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid;
}

/**
 * A job row left `running` by a process that was killed (SIGINT, SIGKILL) on this host: its pid is
 * gone, so failStaleJobs fails it at once ("abandoned: process N is gone").
 */
export async function leaveJobRunning(kind: Job["kind"], params: Record<string, unknown> = {}): Promise<Job> {
  const job = await createJob(kind, params, "running");
  const [row] = await getDb().update(jobs).set({ workerPid: deadPid(), workerHost: os.hostname() }).where(eq(jobs.id, job.id)).returning();
  return row;
}
