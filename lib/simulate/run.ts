// Simulation as a job: load the catalog, generate users in batches, write each batch in its own
// transaction, record progress. Re-running with the same options rewrites the same rows (no
// duplicates), so a killed run is finished by running it again.
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { countInteractions } from "@/lib/interactions/queries";
import { createJob, failStaleJobs, finishJob, listJobs, readCancelRequest, stoppedBy, updateJob } from "@/lib/jobs/queries";
import { formatCount, formatNumber } from "@/lib/util/format";
import { buildWorld, simulateUser, simulationOptionsSchema, type SimulationOptions, type SimulationOptionsInput, type SimUser } from "./generate";
import type { PlotData } from "./plot";
import { loadSimulationCatalog, writeSimulatedUsers } from "./write";

const BATCH_USERS = 500;
const MAX_PLOT_POINTS = 20_000;

export type SimulationSummary = {
  jobId: number;
  options: SimulationOptions;
  catalogMovies: number;
  users: number;
  usersCreated: number;
  watches: number;
  ratings: number;
  distinctMovies: number;
  interactionsAdded: number;
  interactionsUpdated: number;
  interactionsUnchanged: number;
  interactionsRemoved: number;
  durationMs: number;
};

export type SimulationHooks = {
  /** After each batch is written; a returned promise is awaited before the next batch and the outcome. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /**
   * Called with the outcome before the job row records it (a returned promise is awaited), so what
   * it logs is in the job's log by the time the job reads finished.
   */
  onOutcome?: (outcome: { status: "succeeded"; summary: SimulationSummary } | { status: "cancelled"; usersWritten: number }) => void | Promise<void>;
  /** Collect the data for `renderSimulationPlot` (rating/watch pairs are capped at 20,000). */
  collectPlot?: boolean;
  /** Attach to an existing job row (one the admin UI queued and a worker claimed) instead of creating one. */
  jobId?: number;
  /**
   * Stops the run between batches, as a crawl stops between pages: the job ends `cancelled`, the
   * batches written so far stay, and SimulationCancelledError is thrown (a re-run finishes it). A
   * cancel request in the job's row (`POST /api/admin/jobs/{id}/cancel`) does the same.
   */
  signal?: AbortSignal;
};

/** The run was stopped through `hooks.signal`; its job is recorded `cancelled`. */
export class SimulationCancelledError extends Error {
  constructor(public readonly jobId: number, public readonly usersWritten: number, by = "the user") {
    super(`cancelled by ${by}`);
    this.name = "SimulationCancelledError";
  }
}

// Writes to SQLite are synchronous, so awaiting them never lets the event loop turn: without this
// a signal handler (the worker's SIGTERM) and timers (the job heartbeat) waited for the whole run.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runSimulation(
  input: SimulationOptionsInput = {},
  hooks: SimulationHooks = {},
): Promise<SimulationSummary & { plot?: PlotData }> {
  const parsed = simulationOptionsSchema.safeParse(input);
  if (!parsed.success) throw new ApiError("bad_request", `invalid simulation options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const options = parsed.data;
  const started = Date.now();
  const db = getDb();
  const items = await loadSimulationCatalog(db);
  if (items.length === 0) {
    throw new ApiError("not_ready", "the catalog is empty: run `npm run prepare-data` (or a crawl) before simulating");
  }

  // a run of its own (the CLI, prepare-data) first settles jobs whose process died, as a crawl or
  // training run does; a queued job's worker was started by enqueueJob, which already did
  if (hooks.jobId === undefined) await failStaleJobs();
  const job = hooks.jobId !== undefined ? { id: hooks.jobId } : await createJob("simulate", options);
  const totals = { usersCreated: 0, watches: 0, ratings: 0, added: 0, updated: 0, removed: 0 };
  const itemCounts = new Map<number, number>();
  const points: PlotData["points"] = [];
  try {
    const world = buildWorld(items, options);
    let batch: SimUser[] = [];
    const flush = async (done: number) => {
      const counts = await writeSimulatedUsers(db, batch);
      totals.usersCreated += counts.usersCreated;
      totals.added += counts.interactionsAdded;
      totals.updated += counts.interactionsUpdated;
      totals.removed += counts.interactionsRemoved;
      batch = [];
      await hooks.onProgress?.(done, options.users);
      await updateJob(job.id, { progress: done / options.users, message: `${formatNumber(done)}/${formatCount(options.users, "user")}` });
      await yieldToEventLoop();
      if (done < options.users) {
        if (hooks.signal?.aborted) throw new SimulationCancelledError(job.id, done, await stoppedBy(job.id, hooks.signal));
        // asked from any app instance (this run may be on another host, where no signal reaches)
        const request = await readCancelRequest(job.id);
        if (request) throw new SimulationCancelledError(job.id, done, request.by);
      }
    };
    for (let n = 0; n < options.users; n++) {
      const user = simulateUser(world, n);
      const watched = new Map<number, number>();
      for (const i of user.interactions) {
        if (i.kind === "watch") {
          totals.watches++;
          itemCounts.set(i.movieId, (itemCounts.get(i.movieId) ?? 0) + 1);
          watched.set(i.movieId, i.watchSeconds ?? 0);
        } else {
          totals.ratings++;
          if (hooks.collectPlot && points.length < MAX_PLOT_POINTS) {
            points.push({ rating: i.value ?? 0, watchSeconds: watched.get(i.movieId) ?? 0 });
          }
        }
      }
      batch.push(user);
      if (batch.length === BATCH_USERS) await flush(n + 1);
    }
    if (batch.length > 0) await flush(options.users);

    const generated = totals.watches + totals.ratings;
    const summary: SimulationSummary = {
      jobId: job.id,
      options,
      catalogMovies: items.length,
      users: options.users,
      usersCreated: totals.usersCreated,
      watches: totals.watches,
      ratings: totals.ratings,
      distinctMovies: itemCounts.size,
      interactionsAdded: totals.added,
      interactionsUpdated: totals.updated,
      interactionsUnchanged: generated - totals.added - totals.updated,
      interactionsRemoved: totals.removed,
      durationMs: Date.now() - started,
    };
    const { options: _opts, jobId: _id, ...stats } = summary;
    await hooks.onOutcome?.({ status: "succeeded", summary });
    await finishJob(job.id, { status: "succeeded", stats, message: simulationOutcome(summary) });
    return hooks.collectPlot
      ? { ...summary, plot: { points, itemCounts: [...itemCounts.values()], title: `Simulated: ${options.users} users, seed ${options.seed}` } }
      : summary;
  } catch (err) {
    if (err instanceof SimulationCancelledError) {
      const message = `stopped at ${formatNumber(err.usersWritten)}/${formatCount(options.users, "user")}; re-run to finish`;
      await hooks.onOutcome?.({ status: "cancelled", usersWritten: err.usersWritten });
      await finishJob(job.id, { status: "cancelled", error: err.message, message });
    } else await finishJob(job.id, { status: "failed", error: (err as Error).message });
    throw err;
  }
}

/**
 * A simulation job's outcome line: "1,000 users, 26,576 interactions", and what the run deleted
 * when it deleted anything ("…, 28,732 removed"): a user's simulated history is replaced, so an
 * earlier run with another seed, or simulated A/B traffic, can lose more rows than this one writes.
 */
export function simulationOutcome(s: Pick<SimulationSummary, "users" | "watches" | "ratings" | "interactionsRemoved">): string {
  const removed = s.interactionsRemoved > 0 ? `, ${formatNumber(s.interactionsRemoved)} removed` : "";
  return `${formatCount(s.users, "user")}, ${formatCount(s.watches + s.ratings, "interaction")}${removed}`;
}

/**
 * For `prepare`: simulate the default population when there are no interactions at all, so a
 * fresh install has something to train on, and real or imported data is never mixed with
 * simulated data behind the user's back. Also when the latest simulation is this very one and did
 * not finish (a first prepare interrupted part-way): otherwise its rerun found interactions, skipped
 * the rest and trained on the users written so far. A re-run rewrites the same users, so finishing
 * it is the simulation's own resume.
 */
export async function simulateIfEmpty(
  input: SimulationOptionsInput = {},
  hooks: SimulationHooks = {},
): Promise<({ skipped: true; existingInteractions: number }) | ({ skipped: false; resumed: boolean } & SimulationSummary)> {
  const existing = await countInteractions();
  if (existing > 0 && !(await interruptedRunOf(simulationOptionsSchema.parse(input)))) return { skipped: true, existingInteractions: existing };
  const { plot: _plot, ...summary } = await runSimulation(input, { ...hooks, collectPlot: false });
  return { skipped: false, resumed: existing > 0, ...summary };
}

/**
 * Is the latest simulation one with these options that failed or was killed? (Not one that was
 * cancelled: someone stopped it on purpose, and a restart must not finish it behind their back.)
 */
async function interruptedRunOf(options: SimulationOptions): Promise<boolean> {
  await failStaleJobs(); // a killed run's job still says `running` until this
  const [last] = await listJobs({ kind: "simulate", limit: 1 });
  if (!last || last.status !== "failed") return false;
  const params = simulationOptionsSchema.safeParse(last.params);
  return params.success && (Object.keys(options) as (keyof SimulationOptions)[]).every((k) => params.data[k] === options[k]);
}
