import type { Job } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { DEFAULT_MODEL, MODEL_NAMES } from "@/lib/recs/models";
import { failStaleJobs, getJob, listJobs, type JobKind } from "./queries";
import { jobOrigin } from "./origin";
import type { ApiJob, ApiJobDetail } from "./schemas";

// Jobs as the admin API and pages show them. Reading also settles jobs whose worker died, so a
// job never shows "running" forever after its process was killed.

const LOG_TAIL_CHARS = 8_000;

export function toApiJob(job: Job): ApiJob {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    params: job.params,
    progress: job.progress,
    message: job.message,
    stats: job.stats,
    error: job.error,
    ...jobOrigin(job.stats),
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    heartbeatAt: job.heartbeatAt,
  };
}

export async function listJobsForApi(opts: { kind?: JobKind; limit?: number } = {}): Promise<ApiJob[]> {
  await failStaleJobs();
  return (await listJobs(opts)).map(toApiJob);
}

export async function getJobForApi(id: number): Promise<ApiJobDetail> {
  await failStaleJobs();
  const job = await getJob(id);
  if (!job) throw new ApiError("not_found", `There is no job ${id}.`);
  return { ...toApiJob(job), log: logTail(job.log) };
}

/** The last LOG_TAIL_CHARS characters of a log, starting at a whole line. */
export function logTail(log: string, chars = LOG_TAIL_CHARS): string {
  if (log.length <= chars) return log;
  const cut = log.length - chars;
  const nl = log.indexOf("\n", cut);
  return nl === -1 ? log.slice(cut) : log.slice(nl + 1);
}

/** For the admin Jobs page: recent jobs, plus full details (with log) of the open ones and the newest. */
export async function getJobsBoard(limit = 30): Promise<{ recent: ApiJob[]; live: ApiJobDetail[] }> {
  const recent = await listJobsForApi({ limit });
  const liveIds = recent.filter((j, i) => i === 0 || j.status === "queued" || j.status === "running").map((j) => j.id);
  const live = await Promise.all(liveIds.map((id) => getJobForApi(id)));
  return { recent, live };
}

/** What the start forms offer: the models, the default one, and whether a crawl can work here. */
export function getJobStartOptions(): { models: string[]; defaultModel: string; tmdbConfigured: boolean } {
  return { models: [...MODEL_NAMES], defaultModel: DEFAULT_MODEL, tmdbConfigured: Boolean(getEnv().TMDB_API_KEY) };
}
