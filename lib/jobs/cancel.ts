import os from "node:os";
import { ApiError } from "@/lib/http/errors";
import { isRecordedProcessAlive } from "@/lib/util/process-alive";
import { appendJobLog, getJob } from "./queries";
import { failOpenJob } from "./queue";

export type CancelOutcome = "cancelled" | "stopping";

/**
 * Cancel a job for an admin. A queued one is cancelled at once (nothing ran). A running one is
 * stopped as `kill <worker pid>` would (docs/admin.md): SIGTERM to the process running it, which
 * must be on this host, since a signal reaches only this machine's processes. A crawl then stops
 * after its current request and a simulation after its current batch, each recording
 * "cancelled" itself (re-run to resume); training cannot stop part-way, so its process ends at
 * once and the job is recorded cancelled here, its half-written version cleaned up. The job log
 * says who asked. A finished job is a 409; one whose process is gone is settled as cancelled.
 */
export async function cancelJob(id: number, by: string): Promise<CancelOutcome> {
  const job = await getJob(id);
  if (!job) throw new ApiError("not_found", `There is no job ${id}.`);
  if (job.status === "queued") {
    if (await failOpenJob(id, `cancelled by ${by} before it started`, "cancelled")) return "cancelled";
    return cancelJob(id, by); // a worker claimed it meanwhile: stop that one
  }
  if (job.status !== "running") throw new ApiError("conflict", `Job #${id} already ${job.status}: there is nothing to cancel.`);
  const { workerPid: pid, workerHost: host } = job;
  const startedAt = job.startedAt ?? job.createdAt;
  if (pid === null || host !== os.hostname()) {
    throw new ApiError(
      "conflict",
      `Job #${id} runs on another host (${host ?? "unknown"}), which this server cannot signal: stop it there (kill ${pid ?? "<worker pid>"}), or ask again through the app instance on that host.`,
    );
  }
  if (pid === process.pid) throw new ApiError("conflict", `Job #${id} runs inside this server's own process, which cannot stop it alone.`);
  if (!isRecordedProcessAlive(pid, startedAt)) {
    await failOpenJob(id, `cancelled by ${by}: its process ${pid} had already ended`, "cancelled");
    return "cancelled";
  }
  await appendJobLog(id, `cancel requested by ${by}: stopping process ${pid} (SIGTERM)`);
  try {
    process.kill(pid, "SIGTERM");
  } catch (err) {
    // it ended between the check and the signal
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
  if (job.kind === "train") {
    // ends at once, without recording anything itself (its writes are one transaction each)
    await failOpenJob(id, `cancelled by ${by}`, "cancelled");
    return "cancelled";
  }
  return "stopping";
}
