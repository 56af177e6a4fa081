import { and, asc, desc, eq, gte, lte, max, min, sql } from "drizzle-orm";
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

/**
 * Read every interaction as (user, movie, weight) triples on typed arrays, one per pair, streaming
 * the table in user-id ranges so memory holds at most one chunk of row objects at a time.
 */
export async function loadTrainingData(chunkUsers = 5000): Promise<TrainingData> {
  const db = getDb();
  const [range] = await db.select({ lo: min(interactions.userId), hi: max(interactions.userId) }).from(interactions);
  let cap = 1 << 16;
  let users = new Int32Array(cap);
  let items = new Int32Array(cap);
  let weights = new Float32Array(cap);
  let timestamps = new Float64Array(cap);
  let n = 0;
  let rows = 0;
  let maxCreatedAt = 0;
  let hash = 0x811c9dc5;
  const grow = () => {
    cap *= 2;
    const u = new Int32Array(cap); u.set(users); users = u;
    const i = new Int32Array(cap); i.set(items); items = i;
    const w = new Float32Array(cap); w.set(weights); weights = w;
    const t = new Float64Array(cap); t.set(timestamps); timestamps = t;
  };
  if (range?.lo != null && range.hi != null) {
    for (let lo = range.lo; lo <= range.hi; lo += chunkUsers) {
      const chunk = await db
        .select({
          userId: interactions.userId,
          movieId: interactions.movieId,
          kind: interactions.kind,
          value: interactions.value,
          createdAt: interactions.createdAt,
        })
        .from(interactions)
        .where(and(gte(interactions.userId, lo), lte(interactions.userId, lo + chunkUsers - 1)))
        .orderBy(asc(interactions.userId), asc(interactions.movieId));
      for (const r of chunk) {
        rows++;
        if (r.createdAt > maxCreatedAt) maxCreatedAt = r.createdAt;
        hash = Math.imul(hash ^ r.userId, 0x01000193) ^ Math.imul(r.movieId, 0x9e3779b1) ^ (r.createdAt % 0x7fffffff);
        hash >>>= 0;
        const w = signalWeight(r.kind, r.value);
        if (n > 0 && users[n - 1] === r.userId && items[n - 1] === r.movieId) {
          if (w > weights[n - 1]) weights[n - 1] = w;
          if (r.createdAt > timestamps[n - 1]) timestamps[n - 1] = r.createdAt;
          continue;
        }
        if (w === 0) continue;
        if (n === cap) grow();
        users[n] = r.userId;
        items[n] = r.movieId;
        weights[n] = w;
        timestamps[n] = r.createdAt;
        n++;
      }
    }
  }
  return {
    users: users.slice(0, n),
    items: items.slice(0, n),
    weights: weights.slice(0, n),
    timestamps: timestamps.slice(0, n),
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
