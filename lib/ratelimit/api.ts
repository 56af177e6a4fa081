import { createHash } from "node:crypto";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { rateLimitHeaders, type RateLimitResult } from "./fixed-window";
import { countSharedWindow } from "./shared-window";

// The public API's limit: API_RATE_LIMIT requests per minute per client address, across all app
// instances (see shared-window.ts for how instances share the count). 0 turns it off.

export const API_WINDOW_MS = 60_000;
/** The policy name in the `RateLimit` and `RateLimit-Policy` headers of the public API. */
export const API_POLICY = "api";

// Hashed keys of recently seen addresses (hashing is most of this module's per-request cost).
const keys = new Map<string, string>();

function keyFor(ip: string): string {
  let key = keys.get(ip);
  if (key === undefined) {
    if (keys.size >= 10_000) keys.clear();
    // Addresses are hashed: bounded key length whatever a client sends, no raw IPs stored.
    key = `api:${createHash("sha256").update(ip).digest("base64url").slice(0, 22)}`;
    keys.set(ip, key);
  }
  return key;
}

/**
 * The client address, from X-Forwarded-For (Next sets it from the socket when a request arrives
 * without one, and keeps one a client sent): with TRUSTED_PROXIES = N proxies that append to it,
 * the Nth entry from the right, which a client cannot choose; unset, the first entry (right behind
 * a proxy that overwrites the header; exposed directly, a client can put anything there). Else
 * X-Real-IP.
 */
export function clientIp(headers: Headers): string {
  const header = headers.get("x-forwarded-for");
  if (header) {
    const hops = getEnv().TRUSTED_PROXIES;
    const entries = header.split(",");
    const forwarded = entries[hops === undefined ? 0 : Math.max(0, entries.length - hops)]?.trim();
    if (forwarded) return forwarded;
  }
  return headers.get("x-real-ip")?.trim() || "unknown";
}

/**
 * Count a public API request (`cost` requests' worth: a batch counts each user it asks for);
 * throws ApiError `rate_limited` (429 with Retry-After) when the client is over the limit. Returns
 * the RateLimit headers for the response (none when off); synchronously unless the shared count
 * had to be read or written (see shared-window.ts).
 */
export function limitPublicApi(
  request: Request,
  now = Date.now(),
  cost = 1,
): Record<string, string> | undefined | Promise<Record<string, string> | undefined> {
  const limit = getEnv().API_RATE_LIMIT;
  if (limit === 0) return undefined;
  const counted = countSharedWindow(keyFor(clientIp(request.headers)), limit, API_WINDOW_MS, now, cost);
  return counted instanceof Promise ? counted.then((r) => answer(r, limit, cost)) : answer(counted, limit, cost);
}

function answer(result: RateLimitResult, limit: number, cost: number): Record<string, string> {
  const headers = rateLimitHeaders(result, API_POLICY, API_WINDOW_MS);
  if (!result.ok) {
    throw new ApiError(
      "rate_limited",
      cost > 1 && result.remaining > 0
        ? `This batch counts one request per user, more than are left this minute (${result.remaining} left, at most ${limit} a minute). Ask for fewer users, or try again in ${result.retryAfterSeconds} s.`
        : `Too many requests: at most ${limit} per minute. Try again in ${result.retryAfterSeconds} s.`,
      { retryAfterSeconds: result.retryAfterSeconds },
      headers,
    );
  }
  return headers;
}
