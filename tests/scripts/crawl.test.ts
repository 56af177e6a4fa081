import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { asc, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { crawlPages, jobs, movieGenres, movies } from "@/lib/db/schema";
import { FAKE_TMDB_TOKEN, startFakeTmdb, type FakeTmdb } from "../helpers/fake-tmdb";
import { useTempDb } from "../helpers/temp-db";

// `npm run crawl` end to end: the real script in a child process against the fake TMDB server.

const TSX = path.resolve("node_modules/.bin/tsx");
const SCRIPT = path.resolve("scripts/crawl.ts");

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

let fake: FakeTmdb;
let tmp: ReturnType<typeof useTempDb>;

beforeEach(async () => {
  fake = await startFakeTmdb({ perPage: 5, shiftingList: true });
  tmp = useTempDb();
});
afterEach(async () => {
  tmp.cleanup();
  await fake.close();
});

function runCrawl(args: string[], env: Record<string, string | undefined> = {}, onStart?: (child: ChildProcess) => void): Promise<Run> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_PATH: tmp.file,
    TMDB_API_KEY: FAKE_TMDB_TOKEN,
    TMDB_BASE_URL: fake.baseUrl,
    ...env,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a kill reaches the node process tsx starts as well
    const child = spawn(TSX, [SCRIPT, ...args], { env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart?.(child);
  });
}

async function movieIds(): Promise<number[]> {
  const rows = await getDb().select({ id: movies.id }).from(movies).orderBy(asc(movies.id));
  return rows.map((r) => r.id);
}

describe("npm run crawl", () => {
  it("prints help and rejects bad flags with exit 2", async () => {
    // independent runs go in parallel: each child pays node + tsx start-up
    const [help, bad] = await Promise.all([runCrawl(["--help"]), runCrawl(["--pages", "0-3", "--language", "klingon"])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run crawl/);
    expect(help.stdout).toMatch(/--image-language/);

    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pages: pages must satisfy/);
    expect(bad.stderr).toMatch(/--language: expected a TMDB language/);
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 2 with one clear line on a missing or rejected key, writing nothing", async () => {
    const dbFile = path.join(tmp.dir, "untouched.db");
    const [missing, rejected] = await Promise.all([
      runCrawl(["--pages", "1-2"], { TMDB_API_KEY: undefined, DATABASE_PATH: dbFile }),
      runCrawl(["--pages", "1-2"], { TMDB_API_KEY: "expired", DATABASE_PATH: dbFile }),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^error: TMDB_API_KEY is not set[^\n]*$/);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr.trim()).toMatch(/^error: TMDB rejected the access token \(401: Invalid API key[^\n]*$/);
    expect(fs.existsSync(dbFile)).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it("stops on SIGTERM or Ctrl-C after the current request, 143 or 130 as every script, and the next run resumes", async () => {
    const args = ["--pages", "1-6", "--interval", "0.002", "--timeout", "5"];
    const stopAt = (pathname: string, signal: NodeJS.Signals) => (child: ChildProcess) => {
      fake.onRequest = (req) => {
        if (req.pathname === pathname) process.kill(-child.pid!, signal);
      };
    };
    const termed = await runCrawl(args, {}, stopAt("/3/movie/203", "SIGTERM"));
    expect(termed.code, termed.stderr).toBe(143); // was 130, and "Ctrl-C" in its message
    expect(termed.stderr).toMatch(/SIGTERM: finishing the current step/);
    expect(termed.stderr).toMatch(/error: interrupted: re-run the same command to resume/);
    const interrupted = await runCrawl(args, {}, stopAt("/3/movie/403", "SIGINT"));
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toMatch(/interrupted: finishing the current step \(Ctrl-C again to kill\)/);
    fake.onRequest = undefined;
    const db = getDb();
    // who stopped each (was "cancelled by the user" for both)
    expect((await db.select().from(jobs).orderBy(asc(jobs.id))).map((j) => [j.status, j.error])).toEqual([
      ["cancelled", "cancelled by SIGTERM"],
      ["cancelled", "cancelled by Ctrl-C"],
    ]);
    expect((await db.select().from(crawlPages).orderBy(asc(crawlPages.page))).map((p) => p.page)).toEqual([1, 2, 3]);
    const resumed = await runCrawl(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/3 pages to fetch, 3 already done/);
    expect(await movieIds()).toEqual(fake.distinctIds(6));
  });

  it("survives SIGKILL mid-page: the next run resumes and every movie lands exactly once", async () => {
    const args = ["--pages", "1-6", "--interval", "0.002", "--timeout", "5"];
    // kill while page 4's details are being fetched: pages 1-3 are committed, page 4 is not
    const killed = await runCrawl(args, {}, (child) => {
      fake.onRequest = (req) => {
        if (req.pathname === "/3/movie/403") process.kill(-child.pid!, "SIGKILL");
      };
    });
    fake.onRequest = undefined;
    expect(killed.signal).toBe("SIGKILL");
    const db = getDb();
    const pagesAfterKill = await db.select().from(crawlPages).orderBy(asc(crawlPages.page));
    expect(pagesAfterKill.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(await movieIds()).toEqual(fake.distinctIds(3)); // nothing of page 4 leaked in
    const [firstJob] = await db.select().from(jobs);
    expect(firstJob.status).toBe("running");

    fake.requests.length = 0;
    const out = path.join(tmp.dir, "snapshot.json");
    const resumed = await runCrawl([...args, "--out", out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/3 pages to fetch, 3 already done/);
    expect(resumed.stderr).toMatch(/pages: 3\/3 \(100%\)/); // plain progress lines when not a TTY
    expect(resumed.stdout).toMatch(/succeeded .*pages 3 done, 3 already done, 0 failed/);
    const popular = fake.requests.filter((r) => r.pathname === "/3/movie/popular").map((r) => r.query.get("page"));
    expect(popular).toEqual(["4", "5", "6"]);

    expect(await movieIds()).toEqual(fake.distinctIds(6));
    const [{ n: links }] = await db.select({ n: count() }).from(movieGenres);
    expect(links).toBe(fake.distinctIds(6).length * 2);

    const allJobs = await db.select().from(jobs).orderBy(asc(jobs.id));
    expect(allJobs.map((j) => [j.kind, j.status])).toEqual([
      ["crawl", "failed"],
      ["crawl", "succeeded"],
    ]);
    expect(allJobs[0].error).toMatch(/abandoned: process \d+ is gone/);
    expect(allJobs[1].stats).toMatchObject({ pagesAlreadyDone: 3, pagesDone: 3, pagesFailed: 0, errors: 0 });
    const pages = await db.select().from(crawlPages).orderBy(asc(crawlPages.page));
    expect(pages.map((p) => [p.page, p.jobId])).toEqual([
      [1, allJobs[0].id],
      [2, allJobs[0].id],
      [3, allJobs[0].id],
      [4, allJobs[1].id],
      [5, allJobs[1].id],
      [6, allJobs[1].id],
    ]);
    const snapshot = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(snapshot.pages.map((p: { page: number }) => p.page)).toEqual([4, 5, 6]);
    const [stillThere] = await db.select().from(movies).where(eq(movies.id, 101));
    expect(stillThere.posterPath).toBe("/ko-101.jpg");
  });

  it("exits 1 naming the pages to retry when some failed", async () => {
    fake.addFault({ match: "/movie/popular?page=2", status: 503, times: Infinity });
    const run = await runCrawl(["--pages", "1-3", "--interval", "0", "--retries", "0"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/warn: popular page 2: HTTP 503/);
    // the bar counts the pages completed, as the admin's job progress does: 2 of 3, never 3 of 3
    expect(run.stderr).toMatch(/pages: 2\/3 \(67%\)/);
    expect(run.stderr).not.toMatch(/pages: 3\/3/);
    expect(run.stderr).toMatch(/error: page 2 not completed; first error: \[http\] popular page 2: HTTP 503 .*; re-run to retry it/);
    const pages1and3 = new Set([...fake.idsOnPage(1), ...fake.idsOnPage(3)]);
    expect(await movieIds()).toEqual([...pages1and3].sort((a, b) => a - b));
    expect(await getDb().select({ page: crawlPages.page }).from(crawlPages)).toEqual([{ page: 1 }, { page: 3 }]);
  });
});
