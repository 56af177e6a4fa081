import { count, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { readArraysOffThread } from "@/lib/db/off-thread";
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

type Windows = { base: Map<number, number>; recent: Map<number, number> };

/**
 * Interactions per movie and per user, before and after the line `after` draws (both windows from
 * the same two scans, each grouped by window first, so neither walks an index row by row), read
 * off the event loop (readArraysOffThread): at 1.6M interactions the six grouped reads this made
 * before, on the server's own thread, held every request for 9 s.
 */
async function windowCounts(after: SQL): Promise<{ movies: Windows; users: Windows }> {
  const db = getDb();
  const recent = sql<number>`case when ${after} then 1 else 0 end`;
  const grouped = (column: typeof interactions.movieId | typeof interactions.userId) =>
    db.select({ recent, key: column, n: count() }).from(interactions).groupBy(sql`1`, sql`2`).toSQL();
  const [byMovie, byUser] = await readArraysOffThread([grouped(interactions.movieId), grouped(interactions.userId)]);
  const windows = (rows: unknown[][]): Windows => {
    const out: Windows = { base: new Map(), recent: new Map() };
    for (const [r, key, n] of rows) (Number(r) === 1 ? out.recent : out.base).set(Number(key), Number(n));
    return out;
  };
  return { movies: windows(byMovie), users: windows(byUser) };
}

/**
 * Interactions per genre from the per-movie counts: each interaction counts once for every genre
 * of its movie (as a join of the two tables would count it), and movies without interactions add
 * no genre.
 */
function genreCounts(perMovie: Map<number, number>, links: { movieId: number; genreId: number }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const { movieId, genreId } of links) {
    const n = perMovie.get(movieId);
    if (n) out.set(genreId, (out.get(genreId) ?? 0) + n);
  }
  return out;
}

let inFlight: Promise<DriftReport> | undefined;

/**
 * Compare interactions newer than the serving model's snapshot with the ones it was trained on.
 * Callers at the same time (two admins' overviews, a scheduled check) share one computation in
 * this process: each reads every interaction.
 */
export function computeDrift(): Promise<DriftReport> {
  inFlight ??= computeDriftNow().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function computeDriftNow(): Promise<DriftReport> {
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
  const { movies, users } = await windowCounts(newSinceTraining(version));
  const { base: baseItems, recent: recentItems } = movies;
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

  const links = await getDb().select({ movieId: movieGenres.movieId, genreId: movieGenres.genreId }).from(movieGenres);
  const [baseGenres, recentGenres] = [genreCounts(baseItems, links), genreCounts(recentItems, links)];
  const { base: baseUsers, recent: recentUsers } = users;
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
