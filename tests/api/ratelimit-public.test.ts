import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import Database from "better-sqlite3";
import { GET as movies } from "@/app/api/movies/route";
import { GET as movie } from "@/app/api/movies/[id]/route";
import { GET as ping } from "@/app/api/ping/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { POST as batch } from "@/app/api/recommend/batch/route";
import { POST as clicks } from "@/app/api/recommend/clicks/route";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/lib/db";
import { rateLimits } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { API_WINDOW_MS, countSharedWindow, resetSharedWindows } from "@/lib/ratelimit";
import { call, expectErrorShape } from "../helpers/call";
import { parseRateLimit, untilWindowHasLeft } from "../helpers/ratelimit";
import { testingPostgres } from "../helpers/temp-db";
import { useTrainedDb } from "../helpers/trained-db";

// The public API limit (API_RATE_LIMIT per minute per client address, shared by all instances
// through the database). Handlers are called in-process; X-Forwarded-For stands for the socket
// address Next puts there.

// Sessions come from next/headers inside Next; here nobody is signed in.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));

const LIMIT = 5;
let env: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  process.env.API_RATE_LIMIT = String(LIMIT);
  env = await useTrainedDb({ users: 40 });
}, 120_000);
afterAll(() => {
  delete process.env.API_RATE_LIMIT;
  resetEnvForTests();
  env.cleanup();
});
beforeEach(() => resetSharedWindows());

const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
/** The `RateLimit` field of the public API's policy, or a failed expectation. */
const budget = (res: { headers: Headers }) => {
  const parsed = parseRateLimit(res.headers.get("ratelimit"));
  expect(parsed, `RateLimit: ${res.headers.get("ratelimit")}`).not.toBeNull();
  expect(parsed!.policy).toBe("api");
  return parsed!;
};

describe("public API rate limit", () => {
  // each test fills a budget on the real clock: not across a window boundary
  beforeEach(() => untilWindowHasLeft(API_WINDOW_MS, 5_000));

  it(`allows ${LIMIT} requests a minute per address, then answers 429 with Retry-After`, async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await call(recommend, "/api/recommend?userId=3&k=3", from("203.0.113.1"));
      expect(res.status).toBe(200);
      expect(budget(res).remaining).toBe(LIMIT - i - 1);
      expect(budget(res).reset).toBeGreaterThanOrEqual(1);
      expect(budget(res).reset).toBeLessThanOrEqual(60);
      // the policy (a fixed fact of the deployment) rides only on refusals
      expect(res.headers.get("ratelimit-policy")).toBeNull();
    }
    const over = await call(recommend, "/api/recommend?userId=3&k=3", from("203.0.113.1"));
    expect(over.status).toBe(429);
    const error = expectErrorShape(over.json);
    expect(error.code).toBe("rate_limited");
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(budget(over)).toEqual({ policy: "api", remaining: 0, reset: retryAfter });
    expect(over.headers.get("ratelimit-policy")).toBe(`"api";q=${LIMIT};w=60`);
    // the budget is per client across the public routes, not per route
    expect((await call(movies, "/api/movies", from("203.0.113.1"))).status).toBe(429);
    // another address is not affected
    expect((await call(recommend, "/api/recommend?userId=3&k=3", from("198.51.100.7"))).status).toBe(200);
  });

  it("counts a batch as one request per distinct user it asks for", async () => {
    const post = (userIds: number[]) => call(batch, "/api/recommend/batch", { method: "POST", body: { userIds, k: 2 }, ...from("203.0.113.20") });
    const three = await post([3, 4, 5, 5]);
    expect(three.status).toBe(200);
    expect(budget(three).remaining).toBe(LIMIT - 3);
    const over = await post([6, 7, 8]);
    expect(over.status).toBe(429);
    expect(expectErrorShape(over.json)).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/^This batch counts one request per user, more than are left this minute \(1 left, at most 5 a minute\)/) });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(over.headers.get("ratelimit-policy")).toBe(`"api";q=${LIMIT};w=60`);
    // the refused batch's users were not counted (was: all of them, locking the client out until
    // the window ended): what is left still serves a smaller request
    expect(budget(over).remaining).toBe(1);
    const single = await post([6]);
    expect(single.status).toBe(200);
    expect(budget(single).remaining).toBe(0);
    expect((await post([7])).status).toBe(429);
    // a batch larger than the whole limit is refused from a fresh address too
    const big = await call(batch, "/api/recommend/batch", { method: "POST", body: { userIds: [1, 2, 3, 4, 5, 6], k: 2 }, ...from("203.0.113.21") });
    expect(big.status).toBe(429);
  });

  it("does not count health checks or the trivial route", async () => {
    for (let i = 0; i < LIMIT + 3; i++) expect((await call(health, "/api/health", from("203.0.113.2"))).status).toBe(200);
    for (let i = 0; i < LIMIT + 3; i++) expect((await ping()).status).toBe(200);
    expect((await call(recommend, "/api/recommend?userId=3&k=3", from("203.0.113.2"))).status).toBe(200);
  });

  it("a bad request still counts, and a 429 wins over validation once over the limit", async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await call(recommend, "/api/recommend?userId=abc", from("203.0.113.3"));
      expect(res.status).toBe(400);
      // a counted failure tells the caller its budget like a success does
      expect(budget(res).remaining).toBe(LIMIT - i - 1);
      expect(budget(res).reset).toBeGreaterThan(0);
    }
    expect((await call(recommend, "/api/recommend?userId=abc", from("203.0.113.3"))).status).toBe(429);
  });

  it("counts click reports too (a write, like interactions)", async () => {
    const report = () => call(clicks, "/api/recommend/clicks", { method: "POST", body: { movieId: 603, userId: 3 }, ...from("203.0.113.5") });
    for (let i = 0; i < LIMIT; i++) {
      const res = await report();
      expect(res.status).toBe(401); // no API key: refused, but counted
      expect(budget(res).remaining).toBe(LIMIT - i - 1);
    }
    expect((await report()).status).toBe(429);
  });

  it("leaves the budget off answers a CDN may keep (one client's budget is not another's), but still counts them", async () => {
    const cached = await call(movies, "/api/movies", from("203.0.113.6"));
    expect(cached.status).toBe(200);
    expect(cached.headers.get("cache-control")).toMatch(/^public/);
    expect(cached.headers.get("ratelimit")).toBeNull();
    expect(cached.headers.get("x-request-id")).toBeTruthy();
    const personal = await call(recommend, "/api/recommend?userId=3&k=3", from("203.0.113.6"));
    expect(personal.headers.get("cache-control")).toBe("no-store");
    expect(budget(personal).remaining).toBe(LIMIT - 2);
  });

  it("a refusal after the count (path parameters, not found) carries the RateLimit headers too", async () => {
    const bad = await call(movie, "/api/movies/abc", { ...from("203.0.113.4"), params: { id: "abc" } });
    expect(bad.status).toBe(400);
    expect(budget(bad).remaining).toBe(LIMIT - 1);
    const missing = await call(movie, "/api/movies/999999999", { ...from("203.0.113.4"), params: { id: "999999999" } });
    expect(missing.status).toBe(404);
    expect(budget(missing).remaining).toBe(LIMIT - 2);
  });
});

describe("shared window counting", () => {
  const limit = 100;
  const t0 = Math.floor(Date.now() / API_WINDOW_MS) * API_WINDOW_MS + 1000;

  it("fails open: a count the database cannot take is kept for the next flush, and the request is still answered", async () => {
    // what another process holding SQLite's write lock past busy_timeout looks like to a flush
    // (QA: public reads answered 500 during an import)
    const rename = (from: string, to: string) =>
      testingPostgres() ? (getDb() as any).execute(sql.raw(`ALTER TABLE ${from} RENAME TO ${to}`)) : (getDb() as any).$client.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = Math.floor(Date.now() / API_WINDOW_MS) * API_WINDOW_MS + 1_000; // all in one window
    await rename("rate_limits", "rate_limits_away");
    try {
      for (let i = 0; i < 3; i++) expect((await countSharedWindow("k:away", 1_000, API_WINDOW_MS, t + i)).ok).toBe(true);
      expect(warned.mock.calls.some((c) => /^rate limit: the shared count could not be read or written/.test(String(c[0])))).toBe(true);
    } finally {
      await rename("rate_limits_away", "rate_limits");
      warned.mockRestore();
    }
    // for a while after, this instance counts alone (each try could wait out busy_timeout, and
    // the request that flushes with it): answered at once, no flush
    expect(countSharedWindow("k:away", 1_000, API_WINDOW_MS, t + 1_500)).not.toBeInstanceOf(Promise);
    // then the counts kept locally reach the shared row at the next flush
    await countSharedWindow("k:away", 1_000, API_WINDOW_MS, t + 6_000);
    const [row] = await getDb().select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, "k:away"));
    expect(row?.count).toBe(5);
  });

  it.skipIf(testingPostgres())("does not wait for another process's SQLite write lock (an import): the flush fails at once instead of stalling the server", async () => {
    const other = new Database(process.env.DATABASE_PATH!);
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = Math.floor(Date.now() / API_WINDOW_MS) * API_WINDOW_MS + 2_000;
    await countSharedWindow("k:locked", 1_000, API_WINDOW_MS, t); // the window's start, before the lock
    other.exec("BEGIN IMMEDIATE"); // holds the write lock, as a running import does
    try {
      const started = performance.now();
      // a second later: this request flushes (better-sqlite3 would wait out busy_timeout, 5 s, synchronously)
      expect((await countSharedWindow("k:locked", 1_000, API_WINDOW_MS, t + 1_000)).ok).toBe(true);
      expect(performance.now() - started).toBeLessThan(2_500);
      // the count did not land (the lock holder sees no row), and is kept for a later flush
      expect(other.prepare("select count from rate_limits where key = ?").get("k:locked")).toBeUndefined();
    } finally {
      other.exec("ROLLBACK");
      other.close();
      warned.mockRestore();
    }
    // the connection waits for locks as before for everything else
    expect((getDb() as any).$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    await countSharedWindow("k:locked", 1_000, API_WINDOW_MS, t + 7_000); // after the backoff: flushed
    const [row] = await getDb().select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, "k:locked"));
    expect(row?.count).toBe(3);
  });

  it("is exact for one instance and starts again in the next window", async () => {
    let allowed = 0;
    for (let i = 0; i < 300; i++) if ((await countSharedWindow("k:one", limit, API_WINDOW_MS, t0 + i)).ok) allowed++;
    expect(allowed).toBe(limit);
    expect((await countSharedWindow("k:one", limit, API_WINDOW_MS, t0 + API_WINDOW_MS)).ok).toBe(true);
  });

  it("flushes every 2% of a large limit (at least every 50 requests) or every second", async () => {
    const shared = async (key: string) =>
      (await getDb().select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, key)))[0]?.count ?? 0;
    const big = 10_000; // batches of 200
    for (let i = 0; i < 199; i++) await countSharedWindow("k:big", big, API_WINDOW_MS, t0 + i);
    expect(await shared("k:big")).toBe(0);
    await countSharedWindow("k:big", big, API_WINDOW_MS, t0 + 199);
    expect(await shared("k:big")).toBe(200);
    for (let i = 0; i < 60; i++) await countSharedWindow("k:big", big, API_WINDOW_MS, t0 + 300 + i);
    expect(await shared("k:big")).toBe(200);
    await countSharedWindow("k:big", big, API_WINDOW_MS, t0 + 199 + 1000); // a second after the last flush
    expect(await shared("k:big")).toBe(261);
    // the default-sized limit keeps batches of 50
    for (let i = 0; i < 50; i++) await countSharedWindow("k:small", 1200, API_WINDOW_MS, t0 + i);
    expect(await shared("k:small")).toBe(50);
  });

  it("two instances sharing the database go over by at most one unflushed batch each", async () => {
    // A second module instance = a second app process with its own local counts.
    const a = { countSharedWindow };
    vi.resetModules();
    const b = await import("@/lib/ratelimit/shared-window");
    expect(b.countSharedWindow).not.toBe(a.countSharedWindow);
    let allowed = 0;
    // A takes 60 requests (one flush at 50, 10 still local), then B runs until refused, then A.
    for (let i = 0; i < 60; i++) if ((await a.countSharedWindow("k:two", limit, API_WINDOW_MS, t0 + i)).ok) allowed++;
    for (let i = 0; i < 200; i++) if ((await b.countSharedWindow("k:two", limit, API_WINDOW_MS, t0 + 100 + i)).ok) allowed++;
    for (let i = 0; i < 200; i++) if ((await a.countSharedWindow("k:two", limit, API_WINDOW_MS, t0 + 400 + i)).ok) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(limit);
    expect(allowed).toBeLessThanOrEqual(limit + 50);
    // a second later both have flushed and agree: nothing more is allowed in this window
    expect((await a.countSharedWindow("k:two", limit, API_WINDOW_MS, t0 + 2000)).ok).toBe(false);
    expect((await b.countSharedWindow("k:two", limit, API_WINDOW_MS, t0 + 2000)).ok).toBe(false);
  });
});
