import { desc, eq } from "drizzle-orm";
import { getDb, isPostgres, sqliteHandle } from "@/lib/db";
import { queryArraysNow, readConsistently, type ArrayQuery } from "@/lib/db/raw";
import { andThen, type MaybePromise } from "@/lib/util/maybe";
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
  /**
   * `maxInteractionId`: the largest interaction row id read. Rows with a larger id were added or
   * changed after training, whatever time they carry (an import keeps its rows' own, older times;
   * a row it changes takes a new id); rows with a larger training id (lib/mlops/new-data.ts) were
   * added or changed in what training reads.
   */
  snapshot: { interactions: number; pairs: number; maxCreatedAt: number; maxInteractionId: number; checksum: string };
};

/**
 * SIGNAL_WEIGHTS as one SQL expression over a row's kind and value columns (raw SQL names), so
 * the loader reads numbers only (no strings per row).
 */
function weightSql(kind: string, value: string): string {
  return `CASE
  WHEN ${kind} IN ('watchlist', 'like') AND ${value} = 0 THEN 0
  ${Object.entries(SIGNAL_WEIGHTS)
    .map(([name, w]) => `WHEN ${kind} = '${name}' THEN ${w}`)
    .join("\n  ")}
  ELSE 0 END`;
}

const WEIGHT_SQL = weightSql("kind", "value");

/**
 * SQL for an upsert on (user, movie, kind): whether the incoming row (`excluded`) changes what
 * training reads of the stored one, i.e. its time or its weight. A rating's stars, a watch's
 * seconds and the source are never read (every rating and watch weighs the same), so changing
 * only those leaves the training data as it was.
 */
export const TRAINING_FIELDS_CHANGED_SQL = `(excluded.created_at <> interactions.created_at
  OR ${weightSql("excluded.kind", "excluded.value")} <> ${weightSql("interactions.kind", "interactions.value")})`;

/**
 * Read every interaction as (user, movie, weight) triples on typed arrays, one per pair. The rows
 * stream in (user, movie) index order straight into arrays preallocated from the row count:
 * nothing is kept per interaction beyond a page of short-lived row arrays. 20M interactions take
 * 20M × 20 bytes (plus the caller's copies).
 */
export async function loadTrainingData(): Promise<TrainingData> {
  // One snapshot for the count and every page (PostgreSQL reads pages over several round trips).
  return readConsistently((query) => loadFrom(query));
}

async function loadFrom(query: ArrayQuery): Promise<TrainingData> {
  const [[count, maxId]] = await query<[number, number | null]>("SELECT count(*), max(id) FROM interactions");
  const cap = Number(count);
  const users = new Int32Array(cap);
  const items = new Int32Array(cap);
  const weights = new Float32Array(cap);
  const timestamps = new Float64Array(cap);
  let n = 0;
  let rows = 0;
  let maxCreatedAt = 0;
  let hash = 0x811c9dc5;
  for await (const page of interactionPages(query)) {
    for (const r of page) {
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
    if (rows === cap) break;
  }
  const fit = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (n === cap ? a : (a.slice(0, n) as T));
  return {
    users: fit(users),
    items: fit(items),
    weights: fit(weights),
    timestamps: fit(timestamps),
    snapshot: { interactions: rows, pairs: n, maxCreatedAt, maxInteractionId: Number(maxId ?? 0), checksum: hash.toString(16).padStart(8, "0") },
  };
}

type InteractionRow = [userId: number, movieId: number, weight: number, createdAt: number, kind: string];

/**
 * Every interaction in (user, movie, kind) order, in pages. SQLite streams one index-ordered query;
 * PostgreSQL reads keyset pages on the same unique index (a page per round trip).
 */
async function* interactionPages(query: ArrayQuery): AsyncGenerator<InteractionRow[]> {
  const columns = `user_id, movie_id, ${WEIGHT_SQL}, created_at, kind`;
  if (!isPostgres()) {
    const stmt = sqliteHandle().prepare(`SELECT ${columns} FROM interactions ORDER BY user_id, movie_id, kind`).raw(true);
    let page: InteractionRow[] = [];
    for (const r of stmt.iterate() as IterableIterator<InteractionRow>) {
      page.push(r);
      if (page.length === PAGE_ROWS) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
    return;
  }
  let after: [number, number, string] = [-1, -1, ""];
  for (;;) {
    const page = await query<InteractionRow>(
      `SELECT ${columns} FROM interactions WHERE (user_id, movie_id, kind) > (?, ?, ?) ORDER BY user_id, movie_id, kind LIMIT ${PAGE_ROWS}`,
      after,
    );
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1];
    after = [last[0], last[1], last[4]];
  }
}

const PAGE_ROWS = 50_000;

export type HistoryItem = {
  movieId: number;
  weight: number;
  createdAt: number;
  /** What the user did with the movie, the most telling positive signal first: watch, rating, like, watchlist. */
  kind: keyof typeof SIGNAL_WEIGHTS;
  /** The user's star rating of the movie (0.5–5), or null when they have not rated it. Training ignores it. */
  rating: number | null;
};

/**
 * Below this many stars a rated film is one the user did not like. Training still counts the
 * rating as a positive signal (SIGNAL_WEIGHTS: the evaluation protocol counts every rating), but
 * folding in does not start from it, and the home page neither anchors a row on it nor says a pick
 * is "because" of it.
 */
export const DISLIKED_BELOW = 2.5;

export function isDisliked(h: Pick<HistoryItem, "rating">): boolean {
  return h.rating !== null && h.rating < DISLIKED_BELOW;
}

const TELLING: Record<keyof typeof SIGNAL_WEIGHTS, number> = { watch: 4, rating: 3, like: 2, watchlist: 1 };

/** One user's positive history, newest first, for folding in without a retrain. */
export async function getUserHistory(userId: number): Promise<HistoryItem[]> {
  const rows = await getDb()
    .select({ movieId: interactions.movieId, kind: interactions.kind, value: interactions.value, createdAt: interactions.createdAt })
    .from(interactions)
    .where(eq(interactions.userId, userId))
    .orderBy(desc(interactions.createdAt));
  const byMovie = new Map<number, HistoryItem>();
  for (const r of rows) {
    const w = signalWeight(r.kind, r.value);
    const rating = r.kind === "rating" ? r.value : null;
    const prev = byMovie.get(r.movieId);
    if (!prev) byMovie.set(r.movieId, { movieId: r.movieId, weight: w, createdAt: r.createdAt, kind: r.kind, rating });
    else {
      if (rating !== null) prev.rating = rating;
      // the kind names a positive signal (a watchlist removal is not "saved")
      if (w > 0 && (prev.weight === 0 || TELLING[r.kind] > TELLING[prev.kind])) prev.kind = r.kind;
      if (w > prev.weight) prev.weight = w;
    }
  }
  return [...byMovie.values()].filter((h) => h.weight > 0);
}

/** A user's newest interaction: its time and the largest row id (both 0 when the user has none). */
export type UserActivity = { at: number; id: number };
export const NO_ACTIVITY: UserActivity = { at: 0, id: 0 };

/**
 * A user's newest interaction time and largest interaction row id: whether the model's list still
 * applies (serve.ts) depends on both, because an import adds rows that keep their own, older times.
 * Serving reads it through activity.ts, which remembers it. On SQLite the (user_id, created_at)
 * index covers it (the id is the rowid) and it is ready at once.
 */
export function getUserLastInteraction(userId: number): MaybePromise<UserActivity> {
  return andThen(
    queryArraysNow<[number | null, number | null]>("select max(created_at), max(id) from interactions where user_id = ?", [userId]),
    (rows) => {
      const [at, id] = rows[0] ?? [null, null];
      return at === null ? NO_ACTIVITY : { at: Number(at), id: Number(id) };
    },
  );
}
