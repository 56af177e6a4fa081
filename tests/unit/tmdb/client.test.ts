import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backoffDelay, createTmdbClient, parseRetryAfter, type RetryEvent, type TmdbClientOptions } from "@/lib/tmdb/client";
import { TmdbError } from "@/lib/tmdb/errors";
import { FAKE_TMDB_TOKEN, startFakeTmdb, type FakeTmdb } from "../../helpers/fake-tmdb";

let fake: FakeTmdb;
beforeEach(async () => {
  fake = await startFakeTmdb();
});
afterEach(async () => {
  await fake.close();
});

function client(overrides: Partial<TmdbClientOptions> = {}) {
  const retries: RetryEvent[] = [];
  const c = createTmdbClient({
    accessToken: FAKE_TMDB_TOKEN,
    baseUrl: fake.baseUrl,
    intervalMs: 0,
    timeoutMs: 1000,
    retries: 3,
    backoffBaseMs: 20,
    onRetry: (e) => retries.push(e),
    ...overrides,
  });
  return { ...c, retryEvents: retries };
}

async function rejection(promise: Promise<unknown>): Promise<TmdbError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TmdbError);
  return err as TmdbError;
}

describe("createTmdbClient", () => {
  it("sends tmdb-ts requests to TMDB_BASE_URL with the bearer token and extra query", async () => {
    const { tmdb } = client({ query: { include_image_language: "ko,null" } });
    const details = await tmdb.movies.details(101, ["images"], "ko-KR");
    expect(details.id).toBe(101);
    expect(details.images.posters.map((p) => p.iso_639_1)).toEqual(["ko", null]);
    const [req] = fake.requests;
    expect(req.pathname).toBe("/3/movie/101");
    expect(req.auth).toBe(`Bearer ${FAKE_TMDB_TOKEN}`);
    expect(req.query.get("language")).toBe("ko-KR");
    expect(req.query.get("include_image_language")).toBe("ko,null");
  });

  it("keeps the minimum interval between request starts", async () => {
    const starts: number[] = [];
    const { tmdb } = client({
      intervalMs: 60,
      fetch: (input, init) => {
        starts.push(performance.now());
        return fetch(input, init);
      },
    });
    for (let i = 0; i < 4; i++) await tmdb.genres.movies();
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(58);
  });

  it("waits for Retry-After on 429, then succeeds", async () => {
    fake.addFault({ match: "/movie/popular", status: 429, headers: { "retry-after": "1" }, body: '{"status_code":25}' });
    const c = client();
    const page = await c.tmdb.movies.popular({ page: 1 });
    expect(page.results).toHaveLength(5);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].at - fake.requests[0].at).toBeGreaterThanOrEqual(950);
    expect(c.retryEvents).toMatchObject([{ attempt: 1, delayMs: 1000 }]);
    expect(c.stats).toEqual({ requests: 2, retries: 1 });
  });

  it("retries 5xx with growing backoff and gives up after the retry budget", async () => {
    fake.addFault({ match: "/genre/", status: 503, times: Infinity, body: "Service Unavailable" });
    const c = client({ retries: 2, random: () => 1 });
    const err = await rejection(c.tmdb.genres.movies());
    expect(err.kind).toBe("http");
    expect(err.details).toMatchObject({ status: 503, attempts: 3 });
    expect(err.message).toMatch(/\(gave up after 3 attempts\)$/);
    expect(err.transient).toBe(true);
    expect(c.retryEvents.map((e) => e.delayMs)).toEqual([20, 40]);
    expect(fake.requests).toHaveLength(3);
  });

  it("times out a slow response and retries it", async () => {
    fake.addFault({ match: "/genre/", delayMs: 400 });
    const c = client({ timeoutMs: 100 });
    const list = await c.tmdb.genres.movies();
    expect(list.genres.length).toBeGreaterThan(0);
    expect(c.retryEvents[0].reason).toMatch(/no complete response within 100 ms/);
  });

  it("reports a timeout after retries when the server stays slow", async () => {
    fake.addFault({ match: "/genre/", delayMs: 300, times: Infinity });
    const err = await rejection(client({ timeoutMs: 50, retries: 1 }).tmdb.genres.movies());
    expect(err.kind).toBe("timeout");
    expect(err.message).toMatch(/\(gave up after 2 attempts\)$/);
    // no retry: one attempt (was: "gave up after 1 attempts")
    const once = await rejection(client({ timeoutMs: 50, retries: 0 }).tmdb.genres.movies());
    expect(once.message).toMatch(/\(gave up after 1 attempt\)$/);
  });

  it("retries network errors (connection refused)", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = client({ baseUrl: `http://127.0.0.1:${port}/3`, retries: 2 });
    const err = await rejection(c.tmdb.genres.movies());
    expect(err.kind).toBe("network");
    expect(c.stats.requests).toBe(3);
  });

  it("does not retry malformed JSON, a 401 or a 404", async () => {
    fake.addFault({ match: "/movie/popular", body: '{"page":1,"results":[{"id":1' });
    const c = client();
    expect((await rejection(c.tmdb.movies.popular({ page: 1 }))).kind).toBe("malformed");

    const wrongKey = client({ accessToken: "nope" });
    const auth = await rejection(wrongKey.tmdb.genres.movies());
    expect(auth.kind).toBe("auth");
    expect(auth.message).toMatch(/rejected the access token \(401: Invalid API key/);

    const missing = await rejection(c.tmdb.people.details(1));
    expect(missing).toMatchObject({ kind: "http", details: { status: 404 } });
    expect(missing.transient).toBe(false);
    expect(fake.requests).toHaveLength(3);
  });

  it("stops waiting when cancelled", async () => {
    fake.addFault({ match: "/genre/", status: 429, headers: { "retry-after": "30" } });
    const controller = new AbortController();
    const pending = client({ signal: controller.signal }).tmdb.genres.movies();
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(pending)).kind).toBe("aborted");
  });
});

describe("backoffDelay", () => {
  it("doubles per attempt, caps, and jitters within the upper half", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 100, 10_000, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
