import { z } from "zod";
import type { Job } from "@/lib/db/schema";
import { ApiError, zodDetails } from "@/lib/http/errors";
import { resolveParams } from "@/lib/recs/models";
import { failStaleJobs } from "./queries";
import { failOpenJob, insertQueuedJob } from "./queue";
import type { JobTrigger } from "./origin";
import { jobParamsSchemas, type AdminJobKind } from "./schemas";
import { launchWorker } from "./worker-process";

/** Who asked for a job: the signed-in admin, a scheduler (the retrain schedule, drift), or nobody (CLI). */
export type JobActor = { id: number; email: string } | { trigger: JobTrigger } | null;

/** Validated params for a kind, with every default filled in (what the worker will run). */
export function resolveJobParams(kind: AdminJobKind, params: unknown): Record<string, unknown> {
  try {
    const parsed = jobParamsSchemas[kind].parse(params ?? {}) as Record<string, unknown>;
    if (kind === "train") {
      const train = parsed as z.output<(typeof jobParamsSchemas)["train"]>;
      return { ...train, params: prefixIssues("params", () => resolveParams(train.model, train.params)) };
    }
    return parsed;
  } catch (err) {
    if (err instanceof z.ZodError) throw new ApiError("bad_request", `Invalid ${kind} job parameters`, zodDetails(err));
    throw err;
  }
}

function prefixIssues<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    throw new z.ZodError(err.issues.map((i) => ({ ...i, path: [prefix, ...i.path] })));
  }
}

/**
 * Queue a background job and start a worker process for it. One job of a kind at a time: a
 * queued or running one (with a live worker and a fresh heartbeat) makes this a 409.
 */
export async function enqueueJob(
  kind: AdminJobKind,
  params: unknown,
  actor: JobActor,
  start: (jobId: number) => void = launchWorker,
): Promise<Job> {
  const resolved = resolveJobParams(kind, params);
  await failStaleJobs();
  const origin = !actor ? {} : "trigger" in actor ? { trigger: actor.trigger } : { requestedBy: actor.email, requestedById: actor.id };
  const { job, conflict } = await insertQueuedJob(kind, resolved, origin);
  if (conflict) {
    throw new ApiError("conflict", `A ${kind} job is already ${conflict.status} (job #${conflict.id}). Wait for it to finish.`, {
      jobId: conflict.id,
    });
  }
  try {
    start(job.id);
  } catch (err) {
    await failOpenJob(job.id, `could not start the worker: ${(err as Error).message}`);
    throw err;
  }
  return job;
}
