import type { Job } from "@/lib/db/schema";
import { ApiError, fieldsLine } from "@/lib/http/errors";
import { runTraining } from "@/lib/recs/train";
import { runSimulation, SimulationCancelledError } from "@/lib/simulate/run";
import { crawlPopularMovies, type CrawlEvent } from "@/lib/tmdb/crawl";
import { toApiJob } from "./api";
import { jobRequester } from "./origin";
import { appendJobLog, getJob, updateJob } from "./queries";
import { resolveJobParams } from "./enqueue";
import { claimJob, claimNextJob, failOpenJob, isOpenStatus } from "./queue";
import type { AdminJobKind, JobParams } from "./schemas";

// The worker side of a background job (scripts/worker.ts): claim the queued row, run the service
// the kind names attached to that row, keep the heartbeat going, make sure it ends finished.

const HEARTBEAT_MS = 5_000;

export class JobClaimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobClaimError";
  }
}

type Say = (line: string) => Promise<void>;

/**
 * `say` logs a line to the job row (and prints it); `print` only prints (a service that logs to the
 * row itself); `options` is the caller's, for what a kind shows besides log lines (onProgress).
 */
type JobHandler = (job: Job, say: Say, signal: AbortSignal | undefined, print: (line: string) => void, options: RunJobOptions) => Promise<void>;

export type RunJobOptions = {
  heartbeatMs?: number;
  /** Also show each log line (the worker prints them to its output file). */
  onLog?: (line: string) => void;
  /**
   * Also show a train job's progress: runTraining's stage and overall share (0..1), as plain
   * `npm run train` shows it (`train --job-id` does). The job row gets it either way; the worker
   * leaves it out, so its output file keeps only log lines.
   */
  onProgress?: (stage: string, fraction: number) => void;
  /** Stops a crawl between requests, a simulation between batches (the job ends `cancelled`; a re-run resumes it). */
  signal?: AbortSignal;
  /** Called once the job is claimed, before it runs. */
  onClaimed?: (job: Job) => void;
};

/**
 * Claim job `id` (it must be queued) and run it to an outcome. Throws JobClaimError when the job
 * does not exist or is not queued; otherwise returns the finished row, failed or not.
 */
export async function runJob(id: number, options: RunJobOptions = {}): Promise<Job> {
  const job = await claimJob(id);
  if (!job) {
    const current = await getJob(id);
    throw new JobClaimError(current ? `job #${id} is ${current.status}, not queued: nothing to do` : `there is no job #${id}`);
  }
  return runClaimed(job, options);
}

/**
 * Claim the oldest queued job this worker can run (FOR UPDATE SKIP LOCKED on PostgreSQL, so
 * workers on many instances each take a different one) and run it; null when the queue is empty.
 */
export async function runNextJob(options: RunJobOptions = {}): Promise<Job | null> {
  const job = await claimNextJob(Object.keys(handlers) as AdminJobKind[]);
  return job ? runClaimed(job, options) : null;
}

async function runClaimed(job: Job, options: RunJobOptions): Promise<Job> {
  const id = job.id;
  options.onClaimed?.(job);
  const say: Say = async (line) => {
    options.onLog?.(line);
    await appendJobLog(id, line);
  };
  // Services beat on progress too; this covers their quiet stretches (e.g. a long query).
  const heartbeat = setInterval(() => void updateJob(id, {}).catch(() => {}), options.heartbeatMs ?? HEARTBEAT_MS);
  try {
    const handler = handlers[job.kind as AdminJobKind] as JobHandler | undefined;
    if (!handler) throw new Error(`a ${job.kind} job cannot run in the worker; use its CLI (npm run ${job.kind})`);
    await handler(job, say, options.signal, (line) => options.onLog?.(line), options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const current = await getJob(id);
    if (current && isOpenStatus(current.status)) {
      await say(`failed: ${message}`).catch(() => {});
      await failOpenJob(id, message);
    }
  } finally {
    clearInterval(heartbeat);
  }
  // Every handler records an outcome; if one ever does not, say so rather than leave it running.
  await failOpenJob(id, "the job ended without recording an outcome");
  return (await getJob(id))!;
}

const handlers: Record<AdminJobKind, JobHandler> = {
  async train(job, say, _signal, _print, options) {
    const p = paramsOf(job, "train");
    await say(`retraining ${p.model}${p.force ? " (forced promotion)" : ""}, requested by ${requester(job)}`);
    // The gate's promotion is a serving switch like any other: runTraining records who asked.
    await runTraining({
      model: p.model,
      params: p.params,
      force: p.force,
      jobId: job.id,
      actor: { userId: requesterId(job), label: `${requester(job)} via training job #${job.id}` },
      onProgress: options.onProgress,
    });
  },

  async simulate(job, say, signal) {
    const p = paramsOf(job, "simulate");
    await say(`simulating ${p.users} users (seed ${p.seed}, up to ${p.maxPerUser} movies each), requested by ${requester(job)}`);
    // runSimulation awaits these hooks before its next batch and before it records the outcome, so
    // every line below is in the log by the time the job reads finished (on PostgreSQL a write left
    // in flight landed after it). A log line that cannot be written does not stop the run.
    const log = (line: string) => say(line).catch(() => {});
    await runSimulation(p, {
      jobId: job.id,
      signal,
      onProgress: (done, total) => log(`${done}/${total} users written`),
      onOutcome: (outcome) =>
        outcome.status === "cancelled"
          ? log(`cancelled after ${outcome.usersWritten}/${p.users} users; start the same simulation again to finish (a new job: the same users are rewritten)`)
          : log(
              `done in ${(outcome.summary.durationMs / 1000).toFixed(1)}s: ${outcome.summary.usersCreated} new users, ${outcome.summary.watches} watches, ` +
                `${outcome.summary.ratings} ratings; interactions ${outcome.summary.interactionsAdded} added, ${outcome.summary.interactionsUpdated} updated, ` +
                `${outcome.summary.interactionsUnchanged} unchanged, ${outcome.summary.interactionsRemoved} removed`,
            ),
    }).catch((err: unknown) => {
      if (!(err instanceof SimulationCancelledError)) throw err; // a cancelled run is recorded `cancelled` by the simulation
    });
  },

  // The crawl service records into this job's row (progress, log, outcome), so the admin follows
  // one row, the one they started; the worker's output file gets the same lines.
  async crawl(job, say, signal, print) {
    const p = paramsOf(job, "crawl");
    const over = p.restart ? ", starting over (pages already done are fetched again)" : "";
    await say(`crawling TMDB popular pages ${p.pages.from}-${p.pages.to} (${p.region}, ${p.language})${over}, requested by ${requester(job)}`);
    const echo = (event: CrawlEvent) => {
      if (event.type === "plan") print(`${event.crawlKey}: ${event.todo.length} pages to fetch, ${event.alreadyDone.length} already done`);
      else if (event.type === "page") print(`page ${event.page}: ${event.outcome}, ${event.movies} movies (${event.added} new, ${event.updated} updated)`);
      else if (event.type === "issue") print(`error: [${event.issue.kind}] ${event.issue.message}`);
      else print(`retry ${event.retry.attempt} in ${(event.retry.delayMs / 1000).toFixed(1)}s: ${event.retry.path} (${event.retry.reason})`);
    };
    await crawlPopularMovies({ ...p, signal, jobId: job.id, onEvent: echo });
  },
};

/**
 * The job row's params, checked as enqueueJob checks them (the train model's own parameters too).
 * A row this version cannot run (queued by another version of the app: a model it does not know, a
 * field added since) fails the job with one line naming each field, as the API says it, rather
 * than zod's JSON dump of the issues in the log and the job's error.
 */
function paramsOf<K extends AdminJobKind>(job: Job, kind: K): JobParams<K> {
  try {
    return resolveJobParams(kind, job.params) as JobParams<K>;
  } catch (err) {
    const details = err instanceof ApiError ? (err.details as { fields?: Record<string, string[]> } | undefined) : undefined;
    if (details?.fields) throw new Error(`${err instanceof Error ? err.message : "invalid job parameters"}: ${fieldsLine({ fields: details.fields })}`);
    throw err;
  }
}

function requester(job: Job): string {
  return jobRequester(toApiJob(job));
}

function requesterId(job: Job): number | null {
  return typeof job.stats.requestedById === "number" ? job.stats.requestedById : null;
}
