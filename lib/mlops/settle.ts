import { failStaleJobs } from "@/lib/jobs/queries";
import { failAbandonedTrainingRuns } from "./registry";

/**
 * Marks failed what died without saying so, before anything lists model versions or runs: a job
 * whose process is gone (a killed worker's training version with it) and a sharded training run
 * none of whose shards is alive. Every listing (runs, model versions, the admin Models page, the
 * CLI) then shows such a version `failed`, not `training` until the next training run.
 */
export async function settleAbandonedTraining(): Promise<void> {
  try {
    await failStaleJobs();
    await failAbandonedTrainingRuns();
  } catch (err) {
    // Best effort: a listing (GET /api/models is public) still answers when the sweep cannot
    // write (a lock held by a training run, a read-only database); the next listing or training
    // run sweeps again.
    console.error("could not settle abandoned training runs before listing:", err);
  }
}
