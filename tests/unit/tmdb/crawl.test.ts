import fs from "node:fs";
import path from "node:path";
import { asc, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { crawlPages, genres, jobs, movieGenres, movies } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { requestCancel } from "@/lib/jobs/queries";
import { crawlPopularMovies, type CrawlOptions } from "@/lib/tmdb/crawl";
import { TmdbError } from "@/lib/tmdb/errors";
import { FAKE_GENRES, FAKE_TMDB_TOKEN, fakeMovieDetails, startFakeTmdb, type FakeTmdb } from "../../helpers/fake-tmdb";
import { useTempDb } from "../../helpers/temp-db";

let fake: FakeTmdb;
let tmp: ReturnType<typeof useTempDb>;

beforeEach(async () => {
  fake = await startFakeTmdb({ perPage: 5, shiftingList: true });
  process.env.TMDB_API_KEY = FAKE_TMDB_TOKEN;
  process.env.TMDB_BASE_URL = fake.baseUrl;
  tmp = useTempDb(); // resets the env cache too
});
afterEach(async () => {
  tmp.cleanup();
  await fake.close();
});

function crawl(overrides: Partial<CrawlOptions> = {}) {
  return crawlPopularMovies({
    pages: { from: 1, to: 3 },
    region: "KR",
    language: "ko-KR",
    imageLanguage: "ko",
    intervalMs: 0,
    timeoutMs: 1000,
    backoffBaseMs: 5,
    ...overrides,
  });
}

async function movieIds(): Promise<number[]> {
  const rows = await getDb().select({ id: movies.id }).from(movies).orderBy(asc(movies.id));
  return rows.map((r) => r.id);
}

async function completedPages(): Promise<number[]> {
  const rows = await getDb().select({ page: crawlPages.page }).from(crawlPages).orderBy(asc(crawlPages.page));
  return rows.map((r) => r.page);
}

async function rowCount(table: typeof movies | typeof genres | typeof jobs | typeof crawlPages): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(table);
  return row.n;
}

const detailRequests = () => fake.requests.filter((r) => /^\/3\/movie\/\d+$/.test(r.pathname));
const popularPagesRequested = () =>
  fake.requests.filter((r) => r.pathname === "/3/movie/popular").map((r) => Number(r.query.get("page")));

describe("crawlPopularMovies", () => {
  it("stores every movie of every page once, with genres, posters, resume state and a job", async () => {
    const out = path.join(tmp.dir, "snap", "crawl.json");
    const summary = await crawl({ outFile: out });

    expect(summary.status).toBe("succeeded");
    expect(await movieIds()).toEqual(fake.distinctIds(3));
    // the movie repeated on the next page (a shifting popular list) is fetched once
    expect(detailRequests()).toHaveLength(15);
    expect(popularPagesRequested()).toEqual([1, 2, 3]);
    const req = fake.requests.find((r) => r.pathname === "/3/movie/popular")!;
    expect(Object.fromEntries(req.query)).toMatchObject({ region: "KR", language: "ko-KR", page: "1" });

    const [movie] = await getDb().select().from(movies).where(eq(movies.id, 201));
    expect(movie).toMatchObject({ title: "영화 201", originalTitle: "Movie 201", posterPath: "/ko-201.jpg", placeholder: false });
    expect(await getDb().select().from(genres).orderBy(asc(genres.id))).toEqual([...FAKE_GENRES].sort((a, b) => a.id - b.id));
    expect(await getDb().select().from(movieGenres).where(eq(movieGenres.movieId, 201))).toHaveLength(2);

    expect(await completedPages()).toEqual([1, 2, 3]);
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ id: summary.jobId, kind: "crawl", status: "succeeded", progress: 1, error: null });
    expect(job.params).toMatchObject({ crawlKey: "popular:KR:ko-KR", pages: "1-3", region: "KR", language: "ko-KR" });
    expect(job.stats).toMatchObject({ pagesDone: 3, pagesFailed: 0, moviesAdded: 15, moviesUpdated: 0, duplicates: 2, errors: 0, genres: 4 });
    expect(job.startedAt).toBeTypeOf("number");
    expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt!);

    const snapshot = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(snapshot.movies.map((m: { id: number }) => m.id).sort()).toEqual(fake.distinctIds(3));
    expect(snapshot.pages.map((p: { page: number }) => p.page)).toEqual([1, 2, 3]);
    expect(snapshot.genres).toHaveLength(4);
  });

  it("resumes from the first incomplete page and refreshes everything with restart", async () => {
    await crawl({ pages: { from: 1, to: 2 } });
    fake.requests.length = 0;

    const resumed = await crawl({ pages: { from: 1, to: 3 } });
    expect(popularPagesRequested()).toEqual([3]);
    expect(resumed.stats).toMatchObject({ pagesAlreadyDone: 2, pagesDone: 1, moviesAdded: 5, moviesUpdated: 1 });
    expect(await movieIds()).toEqual(fake.distinctIds(3));

    fake.requests.length = 0;
    const restarted = await crawl({ pages: { from: 1, to: 3 }, restart: true });
    expect(popularPagesRequested()).toEqual([1, 2, 3]);
    expect(restarted.stats).toMatchObject({ pagesAlreadyDone: 0, pagesDone: 3, moviesAdded: 0, moviesUpdated: 15 });
    expect(await movieIds()).toEqual(fake.distinctIds(3));
    expect(await rowCount(crawlPages)).toBe(3);
    const statuses = await getDb().select({ status: jobs.status }).from(jobs);
    expect(statuses.map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("says in the job's outcome which pages were already done, and how to fetch them again when that was all of them", async () => {
    const message = async (summary: Promise<{ jobId: number }>) => (await getDb().select().from(jobs).where(eq(jobs.id, (await summary).jobId)))[0].message;
    expect(await message(crawl({ pages: { from: 1, to: 2 } }))).toMatch(/^2 pages, 10 new, 0 updated, 0 errors$/);
    // was: "0 pages, 0 new, 0 updated, 0 errors"
    expect(await message(crawl({ pages: { from: 1, to: 2 } }))).toBe("nothing fetched: pages 1-2 were already done; start over (“Start over” in the admin, --restart on the command line) to fetch them again");
    expect(await message(crawl({ pages: { from: 2, to: 2 } }))).toBe("nothing fetched: page 2 was already done; start over (“Start over” in the admin, --restart on the command line) to fetch it again");
    expect(await message(crawl({ pages: { from: 1, to: 3 } }))).toMatch(/^1 page, \d+ new, \d+ updated, 0 errors; 2 already done$/);
    expect(await message(crawl({ pages: { from: 1, to: 3 }, restart: true }))).toMatch(/^3 pages, 0 new, 15 updated, 0 errors$/);
  });

  it("rides out 429 (Retry-After), 500s and slow responses", async () => {
    fake.addFault({ match: "/movie/popular?page=2", status: 429, headers: { "retry-after": "0" } });
    fake.addFault({ match: "/movie/203?", status: 500, times: 2 });
    fake.addFault({ match: "/movie/304?", delayMs: 400 });
    const summary = await crawl({ timeoutMs: 150 });

    expect(summary.status).toBe("succeeded");
    expect(summary.stats).toMatchObject({ retries: 4, errors: 0, pagesDone: 3 });
    expect(await movieIds()).toEqual(fake.distinctIds(3));
  });

  it("reports and skips malformed responses without stopping", async () => {
    fake.addFault({ match: "/movie/popular?page=2", body: '{"page":2,"results":[{"id":201},{"id"' });
    fake.addFault({ match: "/movie/302?", body: JSON.stringify({ id: "302", title: 7 }) });
    const summary = await crawl();

    expect(summary.status).toBe("failed");
    expect(summary.failedPages).toEqual([2]);
    expect(summary.issues.map((i) => [i.kind, i.page, i.movieId])).toEqual([
      ["malformed", 2, undefined],
      ["malformed", 3, 302],
    ]);
    expect(await completedPages()).toEqual([1, 3]);
    expect(await movieIds()).not.toContain(302);
    const [job] = await getDb().select().from(jobs);
    expect(job.status).toBe("failed");
    // the error names the failed page and why, without opening the log
    expect(job.error).toBe("page 2 not completed; first error: [malformed] popular page 2: response is not valid JSON (37 bytes); re-run to retry it");
    expect(job.stats).toMatchObject({ pagesDone: 2, pagesFailed: 1, moviesSkipped: 1, errors: 2 });
    expect(job.log).toMatch(/popular page 2: response is not valid JSON/);

    // the next run fetches the failed page only; the skipped movie stays skipped until --restart
    fake.requests.length = 0;
    const rerun = await crawl();
    expect(rerun.status).toBe("succeeded");
    expect(popularPagesRequested()).toEqual([2]);
    expect(await movieIds()).toEqual(fake.distinctIds(3).filter((id) => id !== 302));
  });

  it("names what was malformed once in each warning", async () => {
    // Each parse error already names what it parsed; the crawl used to prefix it again
    // ("popular page 2: popular page 2: unexpected shape ...").
    fake.addFault({ match: "/genre/movie/list", body: JSON.stringify({ genres: "none" }) });
    fake.addFault({ match: "/movie/popular?page=2", body: JSON.stringify({ page: 2, total_pages: 500, results: "nope" }) });
    fake.addFault({ match: "/movie/302?", body: JSON.stringify({ ...fakeMovieDetails(302), title: "", original_title: "" }) });
    const summary = await crawl();
    expect(summary.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^genre list: unexpected shape \(genres: /),
      expect.stringMatching(/^popular page 2: unexpected shape \(results: /),
      expect.stringMatching(/^movie 302: unexpected shape \(title: /),
    ]);
    const [job] = await getDb().select().from(jobs);
    expect(job.log).toMatch(/popular page 2: unexpected shape/);
    expect(job.log).not.toMatch(/(genre list|popular page 2|movie 302): \1/);
  });

  it("fails fast on a rejected key and writes nothing", async () => {
    process.env.TMDB_API_KEY = "wrong";
    resetEnvForTests();
    const err = await crawl().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TmdbError);
    expect((err as TmdbError).kind).toBe("auth");
    expect(fake.requests).toHaveLength(1);
    for (const table of [jobs, movies, genres, crawlPages]) expect(await rowCount(table)).toBe(0);
  });

  it("fails fast on a missing key without calling TMDB", async () => {
    delete process.env.TMDB_API_KEY;
    resetEnvForTests();
    await expect(crawl()).rejects.toMatchObject({ kind: "auth", message: expect.stringMatching(/TMDB_API_KEY is not set/) });
    expect(fake.requests).toHaveLength(0);
    expect(await rowCount(jobs)).toBe(0);
  });

  it("gives up when page after page fails and keeps what it finished", async () => {
    fake.addFault({ match: (p) => p.includes("/movie/popular") && !p.includes("page=1&"), status: 502, times: Infinity });
    const summary = await crawl({ pages: { from: 1, to: 10 }, retries: 1 });

    expect(summary.status).toBe("failed");
    // the cause is in the error, not only in the log (the admin's job card shows the error)
    expect(summary.error).toMatch(/^gave up after 3 pages in a row failed \(pages 2, 3, 4; first error: \[\w+\] .*502.*\); is TMDB reachable\? Re-run to resume$/);
    expect(summary.failedPages).toEqual([2, 3, 4]);
    expect(await completedPages()).toEqual([1]);
    expect(popularPagesRequested()).toEqual([1, 2, 2, 3, 3, 4, 4]);
    // progress counts the pages completed (1 of 10), not the pages tried (4 of 10)
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ status: "failed", progress: 0.1, message: "1 page, 5 new, 0 updated, 3 errors" });
  });

  it("names a failed page's own error as the cause, not a movie skipped on an earlier page of the run", async () => {
    // page 2's list arrives but one of its movies keeps failing (a partial page counts as failed);
    // then pages 3 and 4 fail outright: the cause of giving up is TMDB's answer to the page lists
    fake.addFault({ match: "/movie/202?", status: 504, times: Infinity });
    fake.addFault({ match: (p) => p.includes("/movie/popular") && /page=[34]&/.test(p), status: 503, times: Infinity });
    const summary = await crawl({ pages: { from: 1, to: 10 }, retries: 0 });
    expect(summary.failedPages).toEqual([2, 3, 4]);
    expect(summary.issues[0]).toMatchObject({ page: 2, movieId: 202 });
    expect(summary.error).toMatch(/^gave up after 3 pages in a row failed \(pages 2, 3, 4; first error: \[\w+\] popular page 3: .*503/);
  });

  it("shows no progress when TMDB is unreachable and nothing was fetched", async () => {
    // was: "100% · 0 pages, 0 new…" under a full red bar: the pages tried counted as progress
    fake.addFault({ match: (p) => p.includes("/movie/popular"), status: 502, times: Infinity });
    const messages: string[] = [];
    const summary = await crawl({
      retries: 0,
      onEvent: (e) => {
        if (e.type !== "page") return;
        void getDb().select().from(jobs).then(([job]) => messages.push(`${job.progress} ${job.message}`));
      },
    });
    expect(summary.status).toBe("failed");
    expect(summary.stats).toMatchObject({ pagesDone: 0, pagesFailed: 3 });
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ status: "failed", progress: 0, message: "0 pages, 0 new, 0 updated, 3 errors" });
    // and while it ran: nothing done, the failures said as such
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(/^0 (0\/3 pages(, \d failed)?)$/);
  });

  it("stops cleanly when cancelled and resumes later", async () => {
    const controller = new AbortController();
    const summary = await crawl({
      pages: { from: 1, to: 5 },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "page" && e.page === 2) controller.abort();
      },
    });
    expect(summary.status).toBe("cancelled");
    expect(await completedPages()).toEqual([1, 2]);
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ status: "cancelled", error: "cancelled by the user" });

    const resumed = await crawl({ pages: { from: 1, to: 5 } });
    expect(resumed.stats).toMatchObject({ pagesAlreadyDone: 2, pagesDone: 3 });
    expect(await movieIds()).toEqual(fake.distinctIds(5));
  });

  it("stops before its next page when an admin asked through its job row (the crawl may run on another host)", async () => {
    let asked: Promise<boolean> | undefined;
    let jobId = 0;
    const summary = await crawl({
      pages: { from: 1, to: 5 },
      onEvent: (e) => {
        if (e.type === "plan") jobId = e.jobId;
        if (e.type === "page" && e.page === 2) asked = requestCancel(jobId, "admin@example.com");
      },
    });
    expect(await asked).toBe(true);
    expect(summary.status).toBe("cancelled");
    const done = await completedPages();
    expect(done.slice(0, 2)).toEqual([1, 2]);
    expect(done.length).toBeLessThan(5);
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ status: "cancelled", error: "cancelled by admin@example.com" });
  });
});
