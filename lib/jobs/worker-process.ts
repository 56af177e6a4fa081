import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { childProcessEnv } from "@/lib/env";
import { workerLogPath } from "./log-files";
import { readCancelRequest } from "./queries";
import { failOpenJob } from "./queue";
import { logError } from "@/lib/util/log";

// Starts `scripts/worker.ts --job N` as a detached process: the job runs outside the request and
// outlives a restart of the web server. Relative paths: the worker runs from the app's directory.
// A deployment without the sources (the standalone container) ships the worker bundled as
// `worker.cjs` beside server.js; it is used when present.
const TSX_CLI = "node_modules/tsx/dist/cli.mjs";
const WORKER_SCRIPT = "scripts/worker.ts";
const BUNDLED_WORKER = "worker.cjs";

function workerCommand(jobId: number): string[] {
  const entry = fs.existsSync(path.join(process.cwd(), BUNDLED_WORKER)) ? [BUNDLED_WORKER] : [TSX_CLI, WORKER_SCRIPT];
  return [...entry, "--job", String(jobId)];
}


export function launchWorker(jobId: number): void {
  const logFile = workerLogPath(jobId);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, "a");
  try {
    const child = spawn(process.execPath, workerCommand(jobId), {
      cwd: process.cwd(),
      env: childProcessEnv({}),
      detached: true,
      stdio: ["ignore", out, out],
    });
    // While this process lives it can tell at once when a worker dies before finishing its job;
    // otherwise the heartbeat check (failStaleJobs) catches it.
    child.on("error", (err) => void settleWorkerExit(jobId, `could not start the worker: ${err.message}`));
    child.on("exit", (code, signal) => {
      if (code !== 0) void settleWorkerExit(jobId, `${describeWorkerExit(code, signal)} (output: ${logFile})`);
    });
    child.unref();
  } finally {
    fs.closeSync(out);
  }
}

// A worker stopped by a signal it handles exits 128 + the signal's number (143 for SIGTERM).
const SIGNAL_EXITS: Record<number, string> = { 130: "SIGINT", 137: "SIGKILL", 143: "SIGTERM" };

/** Why a worker that did not finish its job ended, in words: "worker stopped by SIGTERM", "worker exited with code 1". */
export function describeWorkerExit(code: number | null, signal: NodeJS.Signals | null): string {
  const byCode = code === null ? undefined : SIGNAL_EXITS[code];
  if (signal || byCode) return `worker stopped by ${signal ?? byCode} before the job finished`;
  return `worker exited with code ${code} before the job finished`;
}

/**
 * Record a worker that ended before its job did: failed with `error`, or cancelled when an admin
 * had asked to stop it (a training run stopped from another host ends its own process, which
 * exits by SIGTERM like a crash would). Runs in an event handler of the web server: a database
 * error here is logged, never thrown (it must not take the server down).
 */
export async function settleWorkerExit(jobId: number, error: string): Promise<void> {
  try {
    const cancel = await readCancelRequest(jobId);
    if (cancel) await failOpenJob(jobId, `cancelled by ${cancel.by}`, "cancelled");
    else await failOpenJob(jobId, error);
  } catch (err) {
    logError(`job ${jobId}: could not record that its worker ended (${error})`, err);
  }
}
