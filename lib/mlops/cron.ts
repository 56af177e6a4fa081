import { count, gt } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { interactions } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { checkAndRecordDrift, type DriftReport } from "./drift";
import { requireBearer } from "./metrics-auth";
import { DEFAULT_MODEL, isModelName } from "@/lib/recs/models";
import { getServingVersion, versionSnapshot } from "./registry";

// Scheduled work (Vercel Cron, a Kubernetes CronJob or any scheduler calling these endpoints).
// Both only queue a background job; serving is never blocked.

export function authorizeCron(request: Request): void {
  const secret = getEnv().CRON_SECRET;
  if (!secret) throw new ApiError("unauthorized", "CRON_SECRET is not configured, so scheduled endpoints are disabled");
  requireBearer(request, secret, "scheduled endpoints");
}

export type CronResult = { queued: boolean; jobId?: number; reason: string };

async function newInteractionsSince(t: number): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(interactions).where(gt(interactions.createdAt, t));
  return row?.n ?? 0;
}

/**
 * What a scheduled retrain trains: the serving version's algorithm with its default parameters
 * (the default model when nothing serves). The train job's params require a model.
 */
async function retrainJobParams(): Promise<{ model: string }> {
  const algorithm = (await getServingVersion())?.algorithm;
  return { model: algorithm && isModelName(algorithm) ? algorithm : DEFAULT_MODEL };
}

async function countAllInteractions(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(interactions);
  return row?.n ?? 0;
}

/**
 * Queue a retrain unless the data is what the serving version was trained on: nothing newer than
 * its snapshot and as many interactions. The count catches an import (`npm run import` keeps each
 * row's own, usually older, timestamp), which the newest-interaction test alone never saw.
 */
export async function retrainIfNewData(): Promise<CronResult> {
  const serving = await getServingVersion();
  if (serving) {
    const { trainedUpTo } = versionSnapshot(serving);
    const trainedOn = serving.snapshot?.interactions;
    const fresh = await newInteractionsSince(trainedUpTo);
    const changed = typeof trainedOn === "number" && (await countAllInteractions()) !== trainedOn;
    if (fresh === 0 && !changed) return { queued: false, reason: `no new interactions since serving version ${serving.id} was trained` };
  }
  const job = await enqueueJob("train", await retrainJobParams(), { trigger: "schedule" });
  return { queued: true, jobId: job.id, reason: serving ? "the interactions changed since the serving version was trained" : "no serving model yet" };
}

/** Record a drift check; when it crosses the threshold and DRIFT_AUTO_RETRAIN is on, queue a retrain. */
export async function runDriftCheck(): Promise<DriftReport & { retrain?: CronResult }> {
  const report = await checkAndRecordDrift();
  if (!report.drifted || !getEnv().DRIFT_AUTO_RETRAIN) return report;
  try {
    const job = await enqueueJob("train", await retrainJobParams(), { trigger: "drift" });
    return { ...report, retrain: { queued: true, jobId: job.id, reason: `drift ${report.score?.toFixed(3)} > ${report.threshold}` } };
  } catch (err) {
    if (err instanceof ApiError && err.code === "conflict") return { ...report, retrain: { queued: false, reason: err.message } };
    throw err;
  }
}
