import { count, eq, not, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { interactions, movieGenres } from "@/lib/db/schema";
import { getState, setState } from "@/lib/db/state";
import { getEnv } from "@/lib/env";
import { newSinceTraining } from "./new-data";
import { bucketIndex, psi } from "./psi";
import { getServingVersion, versionSnapshot } from "./registry";

// Drift: how different the interactions recorded since the serving model was trained are from
// the interactions it was trained on, along three axes (PSI each): which movies (by training
// popularity tier), which genres, and which users (by how active they were in training, or new).
// The score is the largest of the three.

export const MIN_RECENT_INTERACTIONS = 50;
const ACTIVITY_BOUNDS = [1, 2, 5, 10, 20, 50]; // interactions per user
const POPULARITY_TIERS = [0.01, 0.05, 0.2, 0.5, 1]; // top 1%, 5%, 20%, 50%, rest of training items
const DRIFT_STATE_KEY = "drift.latest";

export type DriftReport = {
  modelVersion: number | null;
  trainedUpTo: number;
  recentInteractions: number;
  /**
   * Interactions the model was trained on that the table still holds as training read them: the
   * baseline. Fewer than `trainedInteractions` when rows were deleted or changed in what training
   * reads (a new time, a like taken back) since; such a changed row counts as new, and a user left
   * with none counts as a new user. A change training does not read (a rating's stars, a watch's
   * seconds) leaves the row in the baseline.
   */
  baselineInteractions: number;
  /** How many interactions training read (the version's snapshot; null for versions without one, absent in checks recorded before it was kept). */
  trainedInteractions?: number | null;
  psi: { popularity: number; genre: number; activity: number } | null;
  score: number | null;
  threshold: number;
  drifted: boolean;
  checkedAt: number;
  note?: string;
};

async function countsBy(column: typeof interactions.movieId | typeof interactions.userId, where: SQL) {
  const rows = await getDb().select({ key: column, n: count() }).from(interactions).where(where).groupBy(column);
  return new Map(rows.map((r) => [r.key, r.n]));
}

async function genreCounts(where: SQL) {
  const rows = await getDb()
    .select({ key: movieGenres.genreId, n: count() })
    .from(interactions)
    .innerJoin(movieGenres, eq(movieGenres.movieId, interactions.movieId))
    .where(where)
    .groupBy(movieGenres.genreId);
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** Compare interactions newer than the serving model's snapshot with the ones it was trained on. */
export async function computeDrift(): Promise<DriftReport> {
  const threshold = getEnv().DRIFT_THRESHOLD;
  const version = await getServingVersion();
  const base = { threshold, checkedAt: Date.now(), drifted: false, psi: null, score: null };
  if (!version) {
    return { ...base, modelVersion: null, trainedUpTo: 0, recentInteractions: 0, baselineInteractions: 0, trainedInteractions: null, note: "no serving model" };
  }
  const { trainedUpTo } = versionSnapshot(version);
  // New since training: stamped after its newest interaction, or added or changed in what training
  // reads after it read the table (an import keeps its rows' older times). The retrain check draws
  // the same line (new-data.ts); a change training never reads (a rating's stars) is not new.
  const after = newSinceTraining(version);
  const before = not(after);
  const [baseItems, recentItems] = await Promise.all([countsBy(interactions.movieId, before), countsBy(interactions.movieId, after)]);
  const baselineInteractions = [...baseItems.values()].reduce((a, b) => a + b, 0);
  const recentInteractions = [...recentItems.values()].reduce((a, b) => a + b, 0);
  const trained = version.snapshot?.interactions;
  const trainedInteractions = typeof trained === "number" ? trained : null;
  const head = { ...base, modelVersion: version.id, trainedUpTo, recentInteractions, baselineInteractions, trainedInteractions };
  if (recentInteractions < MIN_RECENT_INTERACTIONS || baselineInteractions === 0) {
    return { ...head, note: `not enough new interactions since training (${recentInteractions} < ${MIN_RECENT_INTERACTIONS})` };
  }

  // Popularity tiers by training rank; movies unseen in training get their own bin.
  const ranked = [...baseItems.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const tierOf = new Map<number, number>();
  ranked.forEach(([movie], i) => tierOf.set(movie, bucketIndex((i + 1) / ranked.length, POPULARITY_TIERS)));
  const tierHist = (counts: Map<number, number>) => {
    const h = new Array(POPULARITY_TIERS.length + 1).fill(0);
    for (const [movie, n] of counts) h[tierOf.get(movie) ?? POPULARITY_TIERS.length] += n;
    return h;
  };

  const [baseGenres, recentGenres, baseUsers, recentUsers] = await Promise.all([
    genreCounts(before),
    genreCounts(after),
    countsBy(interactions.userId, before),
    countsBy(interactions.userId, after),
  ]);
  const genreKeys = [...new Set([...baseGenres.keys(), ...recentGenres.keys()])].sort((a, b) => a - b);
  // Activity tiers by each user's interactions in training; users new since training get their own
  // bin. Both windows are shares of interactions per tier of the user who made them, like the
  // popularity axis: counting each user's interactions within the windows instead compared a
  // whole history with a few days of it, which read ordinary traffic as drift (PSI > 10).
  const activityHist = (counts: Map<number, number>) => {
    const h = new Array(ACTIVITY_BOUNDS.length + 2).fill(0);
    for (const [user, n] of counts) {
      const trained = baseUsers.get(user);
      h[trained === undefined ? ACTIVITY_BOUNDS.length + 1 : bucketIndex(trained, ACTIVITY_BOUNDS)] += n;
    }
    return h;
  };
  const scores = {
    popularity: psi(tierHist(baseItems), tierHist(recentItems)),
    genre: psi(
      genreKeys.map((g) => baseGenres.get(g) ?? 0),
      genreKeys.map((g) => recentGenres.get(g) ?? 0),
    ),
    activity: psi(activityHist(baseUsers), activityHist(recentUsers)),
  };
  const score = Math.max(scores.popularity, scores.genre, scores.activity);
  return { ...head, psi: scores, score, drifted: score > threshold };
}

/** Compute drift and remember it (the admin overview and the metrics gauge read the last check). */
export async function checkAndRecordDrift(): Promise<DriftReport> {
  const report = await computeDrift();
  await setState(DRIFT_STATE_KEY, JSON.stringify(report));
  return report;
}

export async function getLastDrift(): Promise<DriftReport | null> {
  const raw = await getState(DRIFT_STATE_KEY);
  return raw ? (JSON.parse(raw) as DriftReport) : null;
}


export type DriftAxis = { key: keyof NonNullable<DriftReport["psi"]>; label: string; measures: string; psi: number | null; flagged: boolean };

export type DriftOverview = {
  /** Computed on request (read-only: it neither records the check nor queues a retrain). */
  current: DriftReport;
  axes: DriftAxis[];
  /** The last check recorded by /api/cron/drift, which is what can queue a retrain. */
  lastCheck: DriftReport | null;
  autoRetrain: boolean;
  /** Whether /api/cron/drift can run at all (CRON_SECRET is set). */
  scheduled: boolean;
};

const AXES: Omit<DriftAxis, "psi" | "flagged">[] = [
  { key: "popularity", label: "Item popularity", measures: "share of interactions per training-popularity tier (top 1%, 5%, 20%, 50%, rest, unseen)" },
  { key: "genre", label: "Genre mix", measures: "share of interactions per genre" },
  { key: "activity", label: "User activity", measures: "share of interactions per training-activity tier of the user (1, 2, ≤5, ≤10, ≤20, ≤50, more interactions in training; users with none: new since, or every one of theirs changed since in what training reads)" },
];

/** Drift as the admin overview shows it: a fresh computation, per axis, next to what the scheduled check would do. */
export async function getDriftOverview(): Promise<DriftOverview> {
  const env = getEnv();
  const [current, lastCheck] = await Promise.all([computeDrift(), getLastDrift()]);
  const axes = AXES.map((a) => {
    const value = current.psi?.[a.key] ?? null;
    return { ...a, psi: value, flagged: value !== null && value > current.threshold };
  });
  return { current, axes, lastCheck, autoRetrain: env.DRIFT_AUTO_RETRAIN, scheduled: Boolean(env.CRON_SECRET) };
}
