import fs from "node:fs";
import os from "node:os";
import { ApiError } from "@/lib/http/errors";
import { isRecordedProcessAlive } from "@/lib/util/process-alive";
import { appendJobLog, getJob, requestCancel } from "./queries";
import { failOpenJob } from "./queue";

export type CancelOutcome = "cancelled" | "stopping";

/** The scripts that run jobs (sources or bundles); a pid whose command line runs none is not signalled. */
const JOB_SCRIPT = /(^|\/)(worker|train|simulate|crawl|import|prepare)\.(ts|cjs)$/;
const WORKER_SCRIPT = /(^|\/)worker\.(ts|cjs)$/;
const CRAWL_SCRIPT = /(^|\/)crawl\.(ts|cjs)$/;

/**
 * What process `pid` runs, from /proc: "worker" (scripts/worker.ts, which stops a crawl or a
 * simulation after its current step on SIGTERM), "crawl" (scripts/crawl.ts, which does the same),
 * "script" (another job script, which SIGTERM ends at once), or null: not a job's process (a reused
 * pid, a forged row), or no /proc to tell.
 */
function jobProcessKind(pid: number): "worker" | "crawl" | "script" | null {
  let args: string[];
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return null;
  }
  if (args.some((a) => WORKER_SCRIPT.test(a))) return "worker";
  if (args.some((a) => CRAWL_SCRIPT.test(a))) return "crawl";
  return args.some((a) => JOB_SCRIPT.test(a)) ? "script" : null;
}

async function alreadyFinished(id: number): Promise<never> {
  const now = await getJob(id);
  throw new ApiError("conflict", `Job #${id} already ${now?.status ?? "ended"}: there is nothing to cancel.`);
}

/**
 * Cancel a job for an admin. A queued one is cancelled at once (nothing ran). A running one on
 * this host is stopped as `kill <worker pid>` would (docs/admin.md): SIGTERM to the process running
 * it, which must be a job script (a pid that runs no job script is never signalled). A crawl or a
 * simulation in a worker then stops after its current step and records "cancelled" itself
 * ("stopping"; asked again, it is not signalled again), as does `npm run crawl`. Anything else
 * (training, another script run from the command line) ends at once and is recorded cancelled here. A running one on another host is
 * asked through its row ("stopping"): a crawl or simulation stops after its step as above, training
 * is ended by its heartbeat thread within one beat and settled as cancelled by failStaleJobs. The
 * job log says who asked. A job that finished meanwhile is a 409.
 */
export async function cancelJob(id: number, by: string): Promise<CancelOutcome> {
  const job = await getJob(id);
  if (!job) throw new ApiError("not_found", `There is no job ${id}.`);
  if (job.status === "queued") {
    if (await failOpenJob(id, `cancelled by ${by} before it started`, "cancelled")) return "cancelled";
    return cancelJob(id, by); // claimed meanwhile (or finished): stop that run, or say it ended
  }
  if (job.status !== "running") throw new ApiError("conflict", `Job #${id} already ${job.status}: there is nothing to cancel.`);
  if (typeof job.stats.cancelRequestedAt === "number") return "stopping"; // told once: a second SIGTERM would kill it mid-step
  const { workerPid: pid, workerHost: host } = job;
  if (host !== os.hostname()) {
    // No signal reaches another machine: the request is the job row's, which its process reads
    // (a crawl before each page, a simulation after each batch, training's heartbeat thread).
    if (!(await requestCancel(id, by))) await alreadyFinished(id);
    await appendJobLog(id, `cancel requested by ${by}: the job runs on ${host ?? "another host"}, whose process stops at its next check`);
    return "stopping";
  }
  if (pid === null || !Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid) {
    throw new ApiError("conflict", `Job #${id} records no process this server can stop.`);
  }
  if (!isRecordedProcessAlive(pid, job.startedAt ?? job.createdAt)) {
    if (!(await failOpenJob(id, `cancelled by ${by}: its process ${pid} had already ended`, "cancelled"))) await alreadyFinished(id);
    return "cancelled";
  }
  const kind = jobProcessKind(pid);
  if (kind === null) throw new ApiError("conflict", `Job #${id}'s process ${pid} does not run a Matinee job script here; stop it by hand.`);
  const graceful = (kind === "worker" && (job.kind === "crawl" || job.kind === "simulate")) || (kind === "crawl" && job.kind === "crawl");
  if (!(await requestCancel(id, by))) await alreadyFinished(id);
  await appendJobLog(id, `cancel requested by ${by}: stopping process ${pid} (SIGTERM)`);
  try {
    process.kill(pid, "SIGTERM");
  } catch (err) {
    // it ended between the check and the signal
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
  if (graceful) return "stopping";
  // ends at once without recording anything itself (its writes are one transaction each)
  if (!(await failOpenJob(id, `cancelled by ${by}`, "cancelled"))) await alreadyFinished(id);
  return "cancelled";
}
