// Experiments on the serving path: which experiment runs (cached briefly per process), which arm
// a user is in, serving that arm's model version, and logging what was shown to that user. With no
// experiment running this costs one cached lookup per request and never writes.
import type { Experiment } from "@/lib/db/schema";
import { getModelVersion, versionSnapshot, type VersionSnapshot } from "@/lib/mlops/registry";
import { recommendForUser, type RecommendOptions, type Recommendations } from "@/lib/recs/serve";
import { isFresh } from "@/lib/util/fresh";
import type { MaybePromise } from "@/lib/util/maybe";
import { findImpressionArm, findRunningExperiment, insertClick, insertImpressions } from "./queries";
import { assignArm } from "./stats";
import { logError } from "@/lib/util/log";

export type ImpressionSurface = "api" | "home" | "simulated";
/** An arm: its key and weight, and its version with what that was trained on. */
export type ServingArm = VersionSnapshot & { key: string; weight: number };
export type RunningExperiment = { id: number; arms: ServingArm[] };
export type ExperimentTag = { id: number; arm: string };

/**
 * Whether a list served for `userId` is shown to that user (or to a server of the site that shows
 * it to them): only then is it counted as impressions, since anyone who may call the public API
 * could otherwise add shown pairs to any user's arm. Asked only while an experiment runs and the
 * list is personalised, so serving pays nothing for it otherwise. For the API, lib/recs/access.ts
 * builds it from the request (`requestViewer`).
 */
export type ImpressionViewer = (userId: number) => MaybePromise<boolean>;

/**
 * The app's own surfaces, which show the list to its user: the home page renders the signed-in
 * user's own grid (getPersonalFeed is given the session's user), and simulated traffic is that
 * simulated user's visit.
 */
export const SHOWN_IN_APP: ImpressionViewer = () => true;

export const RUNNING_TTL_MS = 2_000;
let runningCache: { at: number; value: RunningExperiment | null } | undefined;

async function toRunning(experiment: Experiment): Promise<RunningExperiment> {
  const arms: ServingArm[] = [];
  for (const arm of experiment.arms) {
    const version = await getModelVersion(arm.versionId);
    // a version gone from the registry counts as trained on nothing: its users are folded in
    arms.push({ ...arm, ...versionSnapshot(version ?? { id: arm.versionId, snapshot: {} }) });
  }
  return { id: experiment.id, arms };
}

/**
 * The running experiment with each arm's version snapshot, re-read from the database at most every
 * 2 s per process (like the serving pointer): starting or stopping an experiment reaches every
 * instance within seconds, without a query per request.
 */
export async function getRunningExperiment(): Promise<RunningExperiment | null> {
  const cached = peekRunningExperiment();
  if (cached !== undefined) return cached;
  const row = await findRunningExperiment();
  const value = row ? await toRunning(row) : null;
  runningCache = { at: Date.now(), value };
  return value;
}

/** The cached running experiment while it is fresh, else undefined (no await on the hot path). */
export function peekRunningExperiment(now = Date.now()): RunningExperiment | null | undefined {
  return runningCache && isFresh(runningCache.at, RUNNING_TTL_MS, now) ? runningCache.value : undefined;
}

/** Forget the cached running experiment (after a start or stop in this process, and in tests). */
export function invalidateRunningExperiment(): void {
  runningCache = undefined;
}

/**
 * Recommendations for a user, through the running experiment when there is one: the user's arm
 * (by hash, stable) picks the model version, and a personalised response (`model` or
 * `folded_in`) shown to that user (`viewer`) is logged as one impression per item. A list for
 * anyone else (an anonymous API call) is served from the arm all the same but not logged. Popular
 * and random fallbacks are served from the arm's version too but not logged: they do not depend
 * on the model, so counting them would only dilute the difference between arms. A failed log
 * never fails the response.
 */
export function recommendWithExperiment(
  opts: RecommendOptions,
  surface: ImpressionSurface,
  viewer: ImpressionViewer,
): MaybePromise<Recommendations & { experiment?: ExperimentTag }> {
  if (opts.version) return recommendForUser(opts);
  // No experiment running (known without a query): straight to serving, no extra async step.
  const now = Date.now();
  const peeked = peekRunningExperiment(now);
  if (peeked === null) return recommendForUser(opts, now);
  return recommendInExperiment(opts, surface, viewer, peeked);
}

async function recommendInExperiment(
  opts: RecommendOptions,
  surface: ImpressionSurface,
  viewer: ImpressionViewer,
  peeked: RunningExperiment | undefined,
): Promise<Recommendations & { experiment?: ExperimentTag }> {
  const running = peeked !== undefined ? peeked : await getRunningExperiment();
  if (!running) return recommendForUser(opts);
  const arm = assignArm(running.arms, running.id, opts.userId);
  const result = await recommendForUser({ ...opts, version: arm });
  if (result.source !== "model" && result.source !== "folded_in") return result;
  const source = result.source;
  try {
    if (!(await viewer(opts.userId))) return { ...result, experiment: { id: running.id, arm: arm.key } };
    const at = Date.now();
    await insertImpressions(
      result.items.map((item) => ({
        experimentId: running.id,
        arm: arm.key,
        userId: opts.userId,
        movieId: item.id,
        rank: item.rank,
        modelVersionId: arm.versionId,
        source,
        surface,
        createdAt: at,
      })),
    );
  } catch (err) {
    logError(`experiments: impressions for user ${opts.userId} not logged`, err);
  }
  return { ...result, experiment: { id: running.id, arm: arm.key } };
}

export type ClickResult = { counted: boolean; experimentId: number | null; arm: string | null };

/**
 * A user opened a movie from their recommendations. Counted (once per user and movie) when an
 * experiment runs and showed them that movie; otherwise nothing is written.
 */
export async function recordRecommendationClick(userId: number, movieId: number, at = Date.now()): Promise<ClickResult> {
  const running = await getRunningExperiment();
  if (!running) return { counted: false, experimentId: null, arm: null };
  const arm = await findImpressionArm(running.id, userId, movieId, at);
  if (arm === null) return { counted: false, experimentId: running.id, arm: null };
  const counted = await insertClick({ experimentId: running.id, arm, userId, movieId, createdAt: at });
  return { counted, experimentId: running.id, arm };
}
