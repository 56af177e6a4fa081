import fs from "node:fs";
import path from "node:path";
import { and, inArray, isNotNull, lt, ne } from "drizzle-orm";
import { affectedRows, getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { isWorkerLogFile, workerLogDir } from "./log-files";

const DAY_MS = 86_400_000;

/**
 * Forget job logs older than JOB_LOG_DAYS (default 30): the log text of jobs that finished before
 * then (the row stays, with its status, message, stats and error, for the admin's job list and the
 * Runs page) and the worker output files in workerLogDir() last written before then. An open
 * (queued or running) job's log and file are never touched, however old. Run when a job finishes (finishJob), so it needs no
 * schedule of its own; each instance prunes the files in its own folder, any instance the rows.
 */
export async function pruneJobLogs(now = Date.now()): Promise<{ logsCleared: number; filesDeleted: number }> {
  const cutoff = now - getEnv().JOB_LOG_DAYS * DAY_MS;
  const res = await getDb()
    .update(jobs)
    .set({ log: "" })
    .where(and(isNotNull(jobs.finishedAt), lt(jobs.finishedAt, cutoff), ne(jobs.log, "")));
  // a quiet job still open keeps its file, however old
  const open = await getDb().select({ id: jobs.id }).from(jobs).where(inArray(jobs.status, ["queued", "running"]));
  const keep = new Set(open.map((j) => `job-${j.id}.log`));
  return { logsCleared: affectedRows(res), filesDeleted: deleteOldFiles(workerLogDir(), cutoff, keep) };
}

function deleteOldFiles(dir: string, cutoff: number, keep: Set<string>): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0; // no job has run a worker here
    throw err;
  }
  let deleted = 0;
  for (const name of names.filter((n) => isWorkerLogFile(n) && !keep.has(n))) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs >= cutoff) continue;
      fs.unlinkSync(file);
      deleted++;
    } catch (err) {
      // another instance sharing the folder deleted it first
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  return deleted;
}
