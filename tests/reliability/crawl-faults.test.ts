import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_TMDB_TOKEN, startFakeTmdb, type FakeTmdb, type RandomFaultKind } from "../helpers/fake-tmdb";
import { runScript } from "../helpers/run-script";
import { useTempDb } from "../helpers/temp-db";

// `npm run crawl` against a fake TMDB that fails ~20% of all requests (seeded, so a failure can be
// replayed): 429 with Retry-After: 1, 500, answers later than the client's timeout, and 200s cut
// off half-way through the body. The crawl must finish in one run with every movie exactly once.

const PAGES = 15;
const PER_PAGE = 6;
const TIMEOUT_S = 0.5;

let fake: FakeTmdb;
let tmp: ReturnType<typeof useTempDb>;

beforeAll(async () => {
  fake = await startFakeTmdb({
    perPage: PER_PAGE,
    shiftingList: true, // each page repeats a movie of the previous one, as TMDB's list shifts
    randomFaults: { rate: 0.2, seed: 20_261_122, timeoutMs: TIMEOUT_S * 1000, retryAfter: "1" },
  });
  tmp = useTempDb();
});
afterAll(async () => {
  tmp.cleanup();
  await fake.close();
});

describe("crawl with 20% injected faults", () => {
  it("retries through 429 / 500 / timeouts / truncated bodies and stores every movie exactly once", async () => {
    const run = await runScript("crawl.ts", ["--pages", `1-${PAGES}`, "--interval", "0", "--timeout", String(TIMEOUT_S), "--retries", "6"], {
      env: { DATABASE_PATH: tmp.file, TMDB_API_KEY: FAKE_TMDB_TOKEN, TMDB_BASE_URL: fake.baseUrl },
      timeoutMs: 100_000,
    });
    expect(run.code, run.stderr).toBe(0);

    // The faults really happened, at about the rate asked for, of every kind.
    const faulted = fake.requests.filter((r) => r.randomFault);
    const byKind = (k: RandomFaultKind) => faulted.filter((r) => r.randomFault === k).length;
    const share = faulted.length / fake.requests.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
    for (const k of ["429", "500", "timeout", "truncated"] as const) expect(byKind(k), k).toBeGreaterThan(0);

    // Retry-After was honoured: the retry of a 429'd path came at least ~1 s later.
    for (const r of faulted.filter((f) => f.randomFault === "429")) {
      const retry = fake.requests.find((n) => n.at >= r.at && n !== r && n.path === r.path);
      expect(retry, `no retry after 429 on ${r.path}`).toBeDefined();
      expect(retry!.at - r.at).toBeGreaterThanOrEqual(950);
    }

    // Every movie exactly once: all expected ids, no others, none written twice, genres linked once.
    const expected = fake.distinctIds(PAGES);
    const db = new Database(tmp.file, { readonly: true });
    try {
      const ids = db.prepare("select id from movies order by id").pluck().all() as number[];
      expect(ids).toEqual(expected);
      expect((db.prepare("select count(*) from movie_genres").pluck().get() as number)).toBe(expected.length * 2);
      const pages = db.prepare("select page from crawl_pages order by page").pluck().all() as number[];
      expect(pages).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
      const job = db.prepare("select status, stats from jobs where kind = 'crawl'").get() as { status: string; stats: string };
      expect(job.status).toBe("succeeded");
      const stats = JSON.parse(job.stats);
      expect(stats).toMatchObject({ pagesDone: PAGES, pagesFailed: 0, moviesAdded: expected.length, moviesUpdated: 0, moviesSkipped: 0, errors: 0 });
      expect(stats.duplicates).toBe(PAGES - 1); // the repeated movie of each later page was not fetched again
      expect(stats.retries).toBeGreaterThanOrEqual(faulted.length);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      console.log(
        `crawl-faults: ${fake.requests.length} requests, ${faulted.length} faults injected ` +
          `(429: ${byKind("429")}, 500: ${byKind("500")}, timeout: ${byKind("timeout")}, truncated: ${byKind("truncated")}), ` +
          `${stats.retries} retries, ${ids.length} movies on ${pages.length} pages, crawl took ${(run.ms / 1000).toFixed(1)} s`,
      );
    } finally {
      db.close();
    }
  }, 120_000);
});
