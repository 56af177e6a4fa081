import path from "node:path";
import { getEnv } from "@/lib/env";

// Where job workers write their stdout/stderr: one file per job in `logs/` beside the database
// (DATABASE_PATH's folder; the embedded default's data/logs).

const JOB_LOG_FILE = /^job-\d+\.log$/;

export function workerLogDir(): string {
  return path.join(path.dirname(path.resolve(getEnv().DATABASE_PATH)), "logs");
}

/** Where a job's worker writes its stdout/stderr (crashes the job log cannot hold). */
export function workerLogPath(jobId: number): string {
  return path.join(workerLogDir(), `job-${jobId}.log`);
}

/** Whether a file name in workerLogDir() is a worker's output file (nothing else there is touched). */
export function isWorkerLogFile(name: string): boolean {
  return JOB_LOG_FILE.test(name);
}
