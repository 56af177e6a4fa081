import { desc, eq, max, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { prepared } from "@/lib/db/prepared";
import { interactions } from "@/lib/db/schema";

/**
 * How signals become one implicit-feedback weight per (user, movie). Every rating, watch and like
 * counts as a positive interaction (the evaluation protocol treats every rating as positive too);
 * a watchlist add alone is a weaker signal. A removed watchlist entry (value 0) counts for nothing.
 */
export const SIGNAL_WEIGHTS = { rating: 1, watch: 1, like: 1, watchlist: 0.5 } as const;

function signalWeight(kind: keyof typeof SIGNAL_WEIGHTS, value: number | null): number {
  if ((kind === "watchlist" || kind === "like") && value === 0) return 0;
  return SIGNAL_WEIGHTS[kind];
}

export type TrainingData = {
  users: Int32Array;
  items: Int32Array;
  weights: Float32Array;
  timestamps: Float64Array;
  snapshot: { interactions: number; pairs: number; maxCreatedAt: number; checksum: string };
};

/** SIGNAL_WEIGHTS as one SQL expression, so the loader reads numbers only (no strings per row). */
const WEIGHT_SQL = `CASE
  WHEN kind IN ('watchlist', 'like') AND value = 0 THEN 0
  ${Object.entries(SIGNAL_WEIGHTS)
    .map(([kind, w]) => `WHEN kind = '${kind}' THEN ${w}`)
    .join("\n  ")}
  ELSE 0 END`;

/**
 * Read every interaction as (user, movie, weight) triples on typed arrays, one per pair. The rows
 * stream from one index-ordered query (user, movie) straight into arrays preallocated from the row
 * count: nothing is kept per interaction, and the only per-row allocation is better-sqlite3's short-
 * lived row array. 20M interactions take 20M × 20 bytes (plus the caller's copies).
 */
export async function loadTrainingData(): Promise<TrainingData> {
  const sqlite = getDb().$client;
  const cap = Number(sqlite.prepare("SELECT count(*) FROM interactions").pluck().get());
  const users = new Int32Array(cap);
  const items = new Int32Array(cap);
  const weights = new Float32Array(cap);
  const timestamps = new Float64Array(cap);
  let n = 0;
  let rows = 0;
  let maxCreatedAt = 0;
  let hash = 0x811c9dc5;
  const stmt = sqlite
    .prepare(`SELECT user_id, movie_id, ${WEIGHT_SQL}, created_at FROM interactions ORDER BY user_id, movie_id, kind`)
    .raw(true);
  for (const r of stmt.iterate() as IterableIterator<[number, number, number, number]>) {
    const userId = r[0];
    const movieId = r[1];
    const w = r[2];
    const createdAt = r[3];
    if (rows === cap) break; // rows added while reading belong to the next run
    rows++;
    if (createdAt > maxCreatedAt) maxCreatedAt = createdAt;
    hash = Math.imul(hash ^ userId, 0x01000193) ^ Math.imul(movieId, 0x9e3779b1) ^ (createdAt % 0x7fffffff);
    hash >>>= 0;
    if (n > 0 && users[n - 1] === userId && items[n - 1] === movieId) {
      if (w > weights[n - 1]) weights[n - 1] = w;
      if (createdAt > timestamps[n - 1]) timestamps[n - 1] = createdAt;
      continue;
    }
    if (w === 0) continue;
    users[n] = userId;
    items[n] = movieId;
    weights[n] = w;
    timestamps[n] = createdAt;
    n++;
  }
  const fit = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (n === cap ? a : (a.slice(0, n) as T));
  return {
    users: fit(users),
    items: fit(items),
    weights: fit(weights),
    timestamps: fit(timestamps),
    snapshot: { interactions: rows, pairs: n, maxCreatedAt, checksum: hash.toString(16).padStart(8, "0") },
  };
}

/** One user's positive history, newest first, for folding in without a retrain. */
export async function getUserHistory(userId: number): Promise<{ movieId: number; weight: number; createdAt: number }[]> {
  const rows = await getDb()
    .select({ movieId: interactions.movieId, kind: interactions.kind, value: interactions.value, createdAt: interactions.createdAt })
    .from(interactions)
    .where(eq(interactions.userId, userId))
    .orderBy(desc(interactions.createdAt));
  const byMovie = new Map<number, { movieId: number; weight: number; createdAt: number }>();
  for (const r of rows) {
    const w = signalWeight(r.kind, r.value);
    const prev = byMovie.get(r.movieId);
    if (!prev) byMovie.set(r.movieId, { movieId: r.movieId, weight: w, createdAt: r.createdAt });
    else if (w > prev.weight) prev.weight = w;
  }
  return [...byMovie.values()].filter((h) => h.weight > 0);
}

/** The newest interaction time of a user (0 when none): decides whether the cache is stale. */
export async function getUserLastInteractionAt(userId: number): Promise<number> {
  const stmt = prepared("user-last-interaction", (db) =>
    db.select({ t: max(interactions.createdAt) }).from(interactions).where(eq(interactions.userId, sql.placeholder("userId"))).prepare(),
  );
  const [row] = await stmt.execute({ userId });
  return row?.t ?? 0;
}
