import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientIp, forgiveSignIn, limitSignIn, SIGN_IN_EMAIL_LIMIT, SIGN_IN_LIMIT } from "@/lib/auth/limits";
import { getDb, sqliteHandle } from "@/lib/db";
import { rateLimits } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { enforceRateLimit, pruneRateLimits, rateLimit, uncountAttempt } from "@/lib/ratelimit";
import { untilWindowHasLeft } from "../../helpers/ratelimit";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const MIN = 60_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (10 * MIN)); // the start of a 10-minute window

describe("rateLimit (fixed window in the database)", () => {
  it("allows `limit` attempts per window, then refuses with the time to the next window", async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rateLimit("t:basic", 3, 10 * MIN, { now: T0 + i * 1000 }));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3].resetAt).toBe(T0 + 10 * MIN);
    expect(results[3].retryAfterSeconds).toBe(10 * 60 - 3);
  });

  it("starts counting again in the next window and forgets the old one", async () => {
    for (let i = 0; i < 3; i++) await rateLimit("t:window", 2, 10 * MIN, { now: T0 + i });
    expect((await rateLimit("t:window", 2, 10 * MIN, { now: T0 + 10 * MIN - 1 })).ok).toBe(false);
    expect((await rateLimit("t:window", 2, 10 * MIN, { now: T0 + 10 * MIN })).ok).toBe(true);
    const rows = (await getDb().select().from(rateLimits)).filter((r) => r.key === "t:window");
    expect(rows).toEqual([{ key: "t:window", windowStart: T0 + 10 * MIN, count: 1 }]);
  });

  it("keeps keys independent", async () => {
    expect((await rateLimit("t:a", 1, 10 * MIN, { now: T0 })).ok).toBe(true);
    expect((await rateLimit("t:a", 1, 10 * MIN, { now: T0 })).ok).toBe(false);
    expect((await rateLimit("t:b", 1, 10 * MIN, { now: T0 })).ok).toBe(true);
  });

  it("never lets concurrent attempts exceed the limit", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => rateLimit("t:burst", 5, 10 * MIN, { now: T0 })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  });

  it("enforceRateLimit throws 429 rate_limited with Retry-After", async () => {
    await enforceRateLimit("t:enforce", 1, MIN, "slow down", { now: T0 });
    const err = await enforceRateLimit("t:enforce", 1, MIN, "slow down", { now: T0 + 15_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.message).toBe("slow down");
    expect(err.headers["retry-after"]).toBe("45");
    // the draft's fields, named after the key's prefix; the reset agrees with Retry-After
    expect(err.headers.ratelimit).toBe('"t";r=0;t=45');
    expect(err.headers["ratelimit-policy"]).toBe('"t";q=1;w=60');
  });

  it("uncountAttempt takes back one attempt of the current window, never below zero, and leaves other windows alone", async () => {
    for (let i = 0; i < 2; i++) await rateLimit("t:uncount", 2, 10 * MIN, { now: T0 });
    await uncountAttempt("t:uncount", 10 * MIN, { now: T0 + 1000 });
    expect((await rateLimit("t:uncount", 2, 10 * MIN, { now: T0 + 2000 })).ok).toBe(true); // 2 of 2 again
    expect((await rateLimit("t:uncount", 2, 10 * MIN, { now: T0 + 3000 })).ok).toBe(false);
    // a later window has no attempts to take back: no row appears, none goes negative
    await uncountAttempt("t:uncount", 10 * MIN, { now: T0 + 10 * MIN });
    await uncountAttempt("t:never", 10 * MIN, { now: T0 });
    for (let i = 0; i < 5; i++) await uncountAttempt("t:uncount", 10 * MIN, { now: T0 });
    const rows = (await getDb().select().from(rateLimits)).filter((r) => r.key.startsWith("t:uncount") || r.key === "t:never");
    expect(rows).toEqual([{ key: "t:uncount", windowStart: T0, count: 0 }]);
  });

  it("rejects nonsense limits and windows", async () => {
    await expect(rateLimit("t:x", 0, MIN)).rejects.toThrow(RangeError);
    await expect(rateLimit("t:x", 1, 10)).rejects.toThrow(RangeError);
    await expect(rateLimit("t:x", 1, 7 * 24 * 60 * MIN)).rejects.toThrow(RangeError);
  });

  it("prunes counters of keys that never came back", async () => {
    await rateLimit("t:stale", 1, MIN, { now: T0 - 3 * 24 * 60 * MIN });
    expect(await pruneRateLimits(T0)).toBeGreaterThanOrEqual(1);
    expect((await getDb().select().from(rateLimits)).some((r) => r.key === "t:stale")).toBe(false);
  });

  // The public API adds a row per client per minute, kept two days: pruning must not scan them all.
  it.skipIf(testingPostgres())("prunes by searching the window_start index on SQLite, not by a scan", async () => {
    const db = sqliteHandle();
    const prepare = vi.spyOn(db, "prepare");
    await pruneRateLimits(T0);
    const statement = prepare.mock.calls.map(([text]) => String(text)).find((text) => /^delete from/i.test(text));
    prepare.mockRestore();
    expect(statement).toBeDefined();
    const plan = db
      .prepare(`explain query plan ${statement}`)
      .all(T0)
      .map((row) => (row as { detail: string }).detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH rate_limits USING (COVERING )?INDEX rate_limits_window_idx \(window_start<\?\)$/)]);
  });
});

describe("sign-in limits", () => {
  it(`allows ${SIGN_IN_LIMIT.limit} attempts per email + IP, then 429; other IPs and emails are unaffected`, async () => {
    for (let i = 0; i < SIGN_IN_LIMIT.limit; i++) await limitSignIn("victim@example.com", "10.0.0.1");
    await expect(limitSignIn("Victim@Example.com ", "10.0.0.1")).rejects.toMatchObject({ code: "rate_limited" });
    await expect(limitSignIn("victim@example.com", "10.0.0.2")).resolves.toBeUndefined();
    await expect(limitSignIn("other@example.com", "10.0.0.1")).resolves.toBeUndefined();
  });

  it("counts only failed attempts: one forgiven after its right password does not use up the limit, earlier failures stay", async () => {
    // limitSignIn and forgiveSignIn read the clock; keep them inside one window
    await untilWindowHasLeft(SIGN_IN_LIMIT.windowMs, 5_000);
    for (let i = 0; i < SIGN_IN_LIMIT.limit + 5; i++) {
      await limitSignIn("regular@example.com", "10.0.0.3");
      await forgiveSignIn(" Regular@Example.com", "10.0.0.3"); // the same account, as typed
    }
    await limitSignIn("regular@example.com", "10.0.0.3"); // a typo: counts
    for (let i = 1; i < SIGN_IN_LIMIT.limit; i++) await limitSignIn("regular@example.com", "10.0.0.3");
    await expect(limitSignIn("regular@example.com", "10.0.0.3")).rejects.toMatchObject({ code: "rate_limited" });
  });

  it(`forgives on the email's own limit too (${SIGN_IN_EMAIL_LIMIT.limit} across addresses)`, async () => {
    await untilWindowHasLeft(SIGN_IN_EMAIL_LIMIT.windowMs, 10_000);
    for (let i = 0; i < SIGN_IN_EMAIL_LIMIT.limit + 5; i++) {
      const ip = `10.1.${Math.floor(i / 5)}.${i % 5}`; // under the per-address limit everywhere
      await limitSignIn("traveller@example.com", ip);
      await forgiveSignIn("traveller@example.com", ip);
    }
    await expect(limitSignIn("traveller@example.com", "10.2.0.1")).resolves.toBeUndefined();
  });

  it("stores hashed keys, not emails", async () => {
    expect((await getDb().select().from(rateLimits)).some((r) => r.key.includes("victim"))).toBe(false);
  });

  it("reads the client IP from X-Forwarded-For, then X-Real-IP", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.8" }))).toBe("203.0.113.8");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
