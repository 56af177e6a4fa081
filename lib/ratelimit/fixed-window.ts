import { and, eq, gt, lt, sql } from "drizzle-orm";
import { affectedRows, getDb } from "@/lib/db";
import { rateLimits } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";

export type RateLimitResult = {
  ok: boolean;
  limit: number;
  /** Attempts left in this window after this one. */
  remaining: number;
  /** When the current window ends (ms since the epoch). */
  resetAt: number;
  /** Whole seconds until the window ends, for Retry-After (at least 1). */
  retryAfterSeconds: number;
};

// Windows longer than this are refused so stale rows can be pruned without knowing each key's window.
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
let lastPrunedAt = 0;

/**
 * Count one attempt for `key` in a fixed window of `windowMs` and say whether it is allowed.
 * The counter lives in `rate_limits`, so every app instance sharing the database shares the
 * limit. The increment is one atomic upsert: concurrent attempts cannot both take the last slot.
 */
export async function rateLimit(
  key: string,
  limit: number,
  windowMs: number,
  options: { now?: number } = {},
): Promise<RateLimitResult> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs > MAX_WINDOW_MS) {
    throw new RangeError(`windowMs must be between 1000 and ${MAX_WINDOW_MS}`);
  }
  const now = options.now ?? Date.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const db = getDb();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  // Earlier windows of this key are finished; drop them now rather than letting them pile up.
  await db.delete(rateLimits).where(and(eq(rateLimits.key, key), lt(rateLimits.windowStart, windowStart)));
  await pruneOccasionally(now);

  const resetAt = windowStart + windowMs;
  return {
    ok: row.count <= limit,
    limit,
    remaining: Math.max(0, limit - row.count),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

/**
 * Take back one attempt counted for `key` in the current window (never below zero): for attempts
 * that turned out fine, such as a sign-in with the right password. A no-op once the window ended.
 */
export async function uncountAttempt(key: string, windowMs: number, options: { now?: number } = {}): Promise<void> {
  const windowStart = Math.floor((options.now ?? Date.now()) / windowMs) * windowMs;
  await getDb()
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart), gt(rateLimits.count, 0)));
}

/**
 * `rateLimit`, throwing ApiError `rate_limited` (429 with Retry-After and RateLimit headers) when
 * the attempt is over the limit. The policy the headers name is the key's prefix (`signin` for
 * `signin:…`).
 */
export async function enforceRateLimit(
  key: string,
  limit: number,
  windowMs: number,
  message = "Too many requests. Try again later.",
  options: { now?: number } = {},
): Promise<RateLimitResult> {
  const result = await rateLimit(key, limit, windowMs, options);
  if (!result.ok) {
    const policy = key.slice(0, Math.max(0, key.indexOf(":"))) || "default";
    throw new ApiError("rate_limited", message, { retryAfterSeconds: result.retryAfterSeconds }, rateLimitHeaders(result, policy, windowMs));
  }
  return result;
}

/**
 * The RateLimit header fields of the IETF draft (draft-ietf-httpapi-ratelimit-headers-10):
 * `RateLimit: "api";r=41;t=23` (requests left in this window, seconds until it resets) on every
 * counted response, and on a refusal also `RateLimit-Policy: "api";q=1200;w=60` (the quota and
 * its window in seconds) and `Retry-After`. The policy is a fixed fact of the deployment, so it
 * rides only on the answers that need it: each header field costs ~1.6 µs of CPU on every
 * response (docs/benchmarks.md; the draft's "Performance Considerations" allow leaving fields out).
 */
export function rateLimitHeaders(result: RateLimitResult, policy: string, windowMs: number): Record<string, string> {
  const name = `"${policy}"`; // an sf-string: policy names are ours, plain words
  const headers: Record<string, string> = { ratelimit: `${name};r=${result.remaining};t=${result.retryAfterSeconds}` };
  if (!result.ok) {
    headers["ratelimit-policy"] = `${name};q=${result.limit};w=${Math.round(windowMs / 1000)}`;
    headers["retry-after"] = String(result.retryAfterSeconds);
  }
  return headers;
}

/** Delete counters from windows that ended more than a day ago (keys that never came back). */
export async function pruneRateLimits(now = Date.now()): Promise<number> {
  return affectedRows(await getDb().delete(rateLimits).where(lt(rateLimits.windowStart, now - 2 * MAX_WINDOW_MS)));
}

async function pruneOccasionally(now: number) {
  if (now - lastPrunedAt < PRUNE_EVERY_MS) return;
  lastPrunedAt = now;
  await pruneRateLimits(now);
}
