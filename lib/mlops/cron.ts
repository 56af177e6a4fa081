import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { checkAndRecordDrift, type DriftReport } from "./drift";
import { requireBearer } from "./metrics-auth";
import { DEFAULT_MODEL, isModelName } from "@/lib/recs/models";
import { countNewData, hasNewData } from "./new-data";
import { getServingVersion } from "./registry";

// Scheduled work (Vercel Cron, a Kubernetes CronJob or any scheduler calling these endpoints).
// Both only queue a background job; serving is never blocked.

export function authorizeCron(request: Request): void {
  const secret = getEnv().CRON_SECRET;
  if (!secret) throw new ApiError("unauthorized", "CRON_SECRET is not configured, so scheduled endpoints are disabled");
  requireBearer(request, secret, "scheduled endpoints");
}

export type CronResult = { queued: boolean; jobId?: number; reason: string };

/**
 * What a scheduled retrain trains: the serving version's algorithm with its default parameters
 * (the default model when nothing serves). The train job's params require a model.
 */
async function retrainJobParams(): Promise<{ model: string }> {
  const algorithm = (await getServingVersion())?.algorithm;
  return { model: algorithm && isModelName(algorithm) ? algorithm : DEFAULT_MODEL };
}

/**
 * Queue a retrain unless the data is what the serving version was trained on: no interaction new
 * to it (the drift check's recent window: newer than its snapshot, or added or changed in what
 * training reads since, as an import's older-dated rows are) and none of its training rows gone.
 * A change training never reads (a rating's stars) is no reason to retrain.
 */
export async function retrainIfNewData(): Promise<CronResult> {
  const serving = await getServingVersion();
  if (serving && !hasNewData(await countNewData(serving))) {
    return { queued: false, reason: `no new interactions since serving version ${serving.id} was trained` };
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
