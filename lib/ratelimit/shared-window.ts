import { sql } from "drizzle-orm";
import { prepared } from "@/lib/db/prepared";
import { rateLimits } from "@/lib/db/schema";
import type { RateLimitResult } from "./fixed-window";

// A fixed-window limit for high-traffic routes (the public API), shared by every app instance
// through the `rate_limits` table like the sign-in limits, but without a database write per
// request: each instance counts locally and adds its count to the shared row at most every
// FLUSH_MS or every FLUSH_BATCH requests, and on every request once the key is near its limit.
// Far from the limit, a key may therefore go over by what other instances counted since their
// last flush (at most a second's worth of their traffic); near the limit every request is counted
// in the database first, and a key over the limit is refused without touching the database.

const FLUSH_MS = 1000;
const FLUSH_BATCH = 50;
const NEAR_LIMIT = 0.8; // share of the limit from which every request is counted in the database
const MAX_KEYS = 100_000; // local states kept per process before they are flushed and dropped

type KeyState = {
  windowStart: number;
  /** The shared count as of our last flush (every instance's requests in this window). */
  shared: number;
  /** Requests counted here since the last flush. */
  pending: number;
  lastFlushAt: number;
};

const states = new Map<string, KeyState>();

function flush(key: string, state: KeyState, now: number): void {
  if (state.pending === 0) return;
  const add = prepared("shared-window-add", (db) =>
    db
      .insert(rateLimits)
      .values({ key: sql.placeholder("key"), windowStart: sql.placeholder("windowStart"), count: sql.placeholder("n") })
      .onConflictDoUpdate({
        target: [rateLimits.key, rateLimits.windowStart],
        set: { count: sql`${rateLimits.count} + ${sql.placeholder("n")}` },
      })
      .returning({ count: rateLimits.count })
      .prepare(),
  );
  const row = add.get({ key, windowStart: state.windowStart, n: state.pending });
  state.shared = row?.count ?? state.shared + state.pending;
  state.pending = 0;
  state.lastFlushAt = now;
}

function readShared(key: string, windowStart: number): number {
  const read = prepared("shared-window-read", (db) =>
    db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${sql.placeholder("key")} and ${rateLimits.windowStart} = ${sql.placeholder("windowStart")}`)
      .prepare(),
  );
  return read.get({ key, windowStart })?.count ?? 0;
}

/** Forget local counts (tests; a process that shares nothing loses nothing but precision). */
export function resetSharedWindows(): void {
  states.clear();
}

/** Count one request for `key` and say whether it is within `limit` per `windowMs`. */
export function countSharedWindow(key: string, limit: number, windowMs: number, now = Date.now()): RateLimitResult {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  let state = states.get(key);
  if (!state || state.windowStart !== windowStart) {
    if (state) flush(key, state, now); // the finished window's tail still counts for that window
    if (states.size >= MAX_KEYS) {
      for (const [k, s] of states) flush(k, s, now);
      states.clear();
    }
    state = { windowStart, shared: readShared(key, windowStart), pending: 0, lastFlushAt: now };
    states.set(key, state);
  }
  const resetAt = windowStart + windowMs;
  const result = (count: number): RateLimitResult => ({
    ok: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  });

  // Already over the limit as of the last look at the shared row: refuse without a write, but
  // look again after FLUSH_MS in case the window was shared with a counter that got pruned.
  if (state.shared >= limit && now - state.lastFlushAt < FLUSH_MS) return result(state.shared + 1);

  state.pending++;
  const near = state.shared + state.pending >= limit * NEAR_LIMIT;
  if (near || state.pending >= FLUSH_BATCH || now - state.lastFlushAt >= FLUSH_MS) flush(key, state, now);
  return result(state.shared + state.pending);
}
