import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { failStaleJobs } from "@/lib/jobs/queries";
import { failAbandonedTrainingRuns } from "./registry";

/**
 * Marks failed what died without saying so, before anything lists model versions or runs: a job
 * whose process is gone (a killed worker's training version with it) and a sharded training run
 * none of whose shards is alive. Every listing (runs, model versions, the admin Models page, the
 * CLI) then shows such a version `failed`, not `training` until the next training run.
 *
 * Best effort where only the sweep's writes fail (a lock held by a training run, a read-only
 * database): GET /api/models is public, and the listing still answers; the next listing or
 * training run sweeps again. A database that cannot be read at all is the listing's error, as
 * it would be without the sweep.
 */
export async function settleAbandonedTraining(): Promise<void> {
  try {
    await failStaleJobs();
    await failAbandonedTrainingRuns();
  } catch (err) {
    if (!(await readable())) throw err;
    console.error(`could not settle abandoned training runs before listing: ${(err as Error)?.message ?? String(err)}`);
  }
}

async function readable(): Promise<boolean> {
  try {
    await getDb().select({ one: sql`1` }).from(jobs).limit(1);
    return true;
  } catch {
    return false;
  }
}
