import { sql } from "drizzle-orm";
import { queryArraysWithoutWaiting } from "@/lib/db/raw";
import { prepared } from "@/lib/db/prepared";
import { rateLimits } from "@/lib/db/schema";
import type { RateLimitResult } from "./fixed-window";

// A fixed-window limit for high-traffic routes (the public API), shared by every app instance
// through the `rate_limits` table like the sign-in limits, but without a database write per
// request: each instance counts locally and adds its count to the shared row at most every
// FLUSH_MS or every batch (2% of the limit, at least FLUSH_BATCH requests), and on every request
// once the key is near its limit.
// Far from the limit, a key may therefore go over by what other instances counted since their
// last flush (at most a second's worth of their traffic); near the limit every request is counted
// in the database first, and a key over the limit is refused without touching the database.

const FLUSH_MS = 1000;
const FLUSH_BATCH = 50; // the smallest batch; larger limits flush every 2% of the limit
const BATCH_SHARE = 0.02;
const NEAR_LIMIT = 0.8; // share of the limit from which every request is counted in the database
const MAX_KEYS = 100_000; // local states kept per process before they are flushed and dropped

type KeyState = {
  windowStart: number;
  /** The shared count as of our last flush (every instance's requests in this window). */
  shared: number;
  /** Requests counted here since the last flush. */
  pending: number;
  /** Requests being added to the shared row right now (a flush awaiting the database). */
  inflight: number;
  lastFlushAt: number;
};

const states = new Map<string, KeyState>();

const ADD_SQL =
  "insert into rate_limits (key, window_start, count) values (?, ?, ?) " +
  "on conflict (key, window_start) do update set count = rate_limits.count + excluded.count returning count";

async function flush(key: string, state: KeyState, now: number): Promise<void> {
  if (state.pending === 0) return;
  const n = state.pending;
  state.pending = 0;
  state.inflight += n;
  state.lastFlushAt = now;
  try {
    // waits at most 50 ms for another process's SQLite write lock (an import, a training run): a
    // busy database fails this flush, below, instead of stalling the server for busy_timeout (5 s)
    const [row] = await queryArraysWithoutWaiting<[number]>(ADD_SQL, [key, state.windowStart, n]);
    // Flushes may finish out of order: the shared count only grows within a window.
    state.shared = Math.max(state.shared + n, row?.[0] ?? 0);
  } catch (err) {
    // The limit fails open: a count that cannot be written (another process holding SQLite's
    // write lock, a database briefly away) is kept for the next flush, and the
    // request is answered, not failed for its bookkeeping (QA: reads 500ed during an import).
    state.pending += n;
    sharedCountUnavailable(err, now);
  } finally {
    state.inflight -= n;
  }
}

let lastWarnedAt = -Infinity;
/** Until when the shared count is left alone after it could not be read or written. */
let unavailableUntil = -Infinity;
/**
 * How long: a flush waits at most 50 ms for SQLite's write lock, but each try is a write (and on
 * PostgreSQL a round trip to a server that may be away); meanwhile this instance counts alone.
 */
const UNAVAILABLE_BACKOFF_MS = 5_000;

function sharedCountUnavailable(err: unknown, now: number): void {
  unavailableUntil = now + UNAVAILABLE_BACKOFF_MS;
  if (now - lastWarnedAt < 10_000) return;
  lastWarnedAt = now;
  console.warn(`rate limit: the shared count could not be read or written (${(err as Error)?.message ?? String(err)}); counting in this instance until it can`);
}

async function readShared(key: string, windowStart: number): Promise<number> {
  const read = prepared("shared-window-read", (db) =>
    db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${sql.placeholder("key")} and ${rateLimits.windowStart} = ${sql.placeholder("windowStart")}`),
  );
  const [row] = await read.execute({ key, windowStart });
  return row?.count ?? 0;
}

/** Forget local counts (tests; a process that shares nothing loses nothing but precision). */
export function resetSharedWindows(): void {
  states.clear();
  unavailableUntil = -Infinity;
}

/**
 * Count a request for `key` (`cost` requests' worth: a batch may cost more than one) and say
 * whether it is within `limit` per `windowMs`. Answers synchronously unless the database must be
 * read or written first (a new window, a batch to flush, or a key near its limit), so most
 * requests add no promise to the hot path.
 */
export function countSharedWindow(
  key: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
  cost = 1,
): RateLimitResult | Promise<RateLimitResult> {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const state = states.get(key);
  if (!state || state.windowStart !== windowStart) return startWindow(key, state, limit, windowMs, windowStart, now, cost);
  return countIn(key, state, limit, windowMs, now, cost);
}

async function startWindow(
  key: string,
  finished: KeyState | undefined,
  limit: number,
  windowMs: number,
  windowStart: number,
  now: number,
  cost: number,
): Promise<RateLimitResult> {
  if (states.size >= MAX_KEYS) {
    const all = [...states];
    states.clear();
    await Promise.all(all.map(([k, s]) => flush(k, s, now)));
  }
  const state: KeyState = { windowStart, shared: 0, pending: 0, inflight: 0, lastFlushAt: now };
  states.set(key, state);
  if (finished) await flush(key, finished, now); // the finished window's tail still counts for that window
  const shared = await (now < unavailableUntil ? Promise.resolve(0) : readShared(key, windowStart)).catch((err: unknown) => {
    sharedCountUnavailable(err, now);
    return 0; // this instance's own counts until a flush gets through
  });
  state.shared = Math.max(state.shared, shared);
  return countIn(key, state, limit, windowMs, now, cost);
}

function countIn(key: string, state: KeyState, limit: number, windowMs: number, now: number, cost: number): RateLimitResult | Promise<RateLimitResult> {
  const resetAt = state.windowStart + windowMs;
  const result = (count: number): RateLimitResult => ({
    ok: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  });

  // Already over the limit as of the last look at the shared row: refuse without a write, but
  // look again after FLUSH_MS in case the window was shared with a counter that got pruned.
  if (state.shared + state.inflight >= limit && now - state.lastFlushAt < FLUSH_MS) return result(state.shared + state.inflight + cost);

  // A batch (cost > 1) bigger than what is left is refused without counting it, so the caller
  // keeps what was left for a smaller one (a single request over the limit counts, as before).
  if (cost > 1 && state.shared + state.inflight + state.pending + cost > limit) {
    return { ...result(state.shared + state.inflight + state.pending), ok: false };
  }
  state.pending += cost;
  const counted = () => state.shared + state.inflight + state.pending;
  const near = counted() >= limit * NEAR_LIMIT;
  // A write per 50 requests is a real share of a busy instance's work (a SQLite commit); relative
  // to a large limit it buys no precision, so the batch grows with the limit.
  const batch = Math.max(FLUSH_BATCH, Math.floor(limit * BATCH_SHARE));
  // (the shared count failed a moment ago: count here alone for a while rather than make the
  // next requests wait on it too)
  if ((near || state.pending >= batch || now - state.lastFlushAt >= FLUSH_MS) && now >= unavailableUntil) {
    // The count this request sees includes itself even while its flush is in flight.
    const before = counted();
    return flush(key, state, now).then(() => result(Math.max(before, counted())));
  }
  return result(counted());
}
