import { spawn } from "node:child_process";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { jobs, modelEvents, movies } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { createJob, getJob } from "@/lib/jobs/queries";
import { JobClaimError, runJob } from "@/lib/jobs/runner";
import { launchWorker } from "@/lib/jobs/worker-process";
import { getServingVersionId } from "@/lib/mlops/registry";
import { FAKE_TMDB_TOKEN, startFakeTmdb } from "../../helpers/fake-tmdb";
import { useTrainedDb } from "../../helpers/trained-db";

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  tmp = await useTrainedDb({ users: 150 });
});
afterAll(() => tmp.cleanup());

const admin = { id: 1, email: "admin@example.com" };
const queue = (kind: "train" | "simulate" | "crawl", params: unknown) => enqueueJob(kind, params, admin, vi.fn());
const jobCount = async () => (await getDb().select({ n: count() }).from(jobs))[0].n;

/** Run `fn` with TMDB_API_KEY and TMDB_BASE_URL pointing at a fake TMDB, then put them back. */
async function withFakeTmdb(options: Parameters<typeof startFakeTmdb>[0], fn: (fake: Awaited<ReturnType<typeof startFakeTmdb>>) => Promise<void>) {
  const fake = await startFakeTmdb(options);
  process.env.TMDB_API_KEY = FAKE_TMDB_TOKEN;
  process.env.TMDB_BASE_URL = fake.baseUrl;
  resetEnvForTests();
  try {
    await fn(fake);
  } finally {
    delete process.env.TMDB_API_KEY;
    delete process.env.TMDB_BASE_URL;
    resetEnvForTests();
    await fake.close();
  }
}

describe("runJob (the worker's side, in-process)", () => {
  it("runs a retraining on the queued job's row, and records the gate's promotion with who asked", async () => {
    const before = await getServingVersionId();
    const job = await queue("train", { model: "item-knn", params: { neighbors: 20 }, force: true });
    const rows = await jobCount();
    const progress: [string, number][] = [];
    const printed: string[] = [];
    const done = await runJob(job.id, { onProgress: (stage, fraction) => progress.push([stage, fraction]), onLog: (line) => printed.push(line) });
    expect(done).toMatchObject({ id: job.id, status: "succeeded", progress: 1, startedAt: expect.any(Number) });
    // the caller sees the training's stages as it runs (train --job-id draws its bar from them);
    // log lines stay log lines
    expect(progress.map(([stage]) => stage)).toEqual(expect.arrayContaining(["load", "validate", "fit", "write"]));
    expect(progress.at(-1)?.[1]).toBe(1);
    expect(progress.every(([, f]) => f >= 0 && f <= 1)).toBe(true);
    expect(printed).toEqual([expect.stringMatching(/^retraining item-knn/)]);
    expect(await jobCount()).toBe(rows); // attached to the queued row, no second job
    const versionId = done.stats.versionId as number;
    expect(await getServingVersionId()).toBe(versionId);
    expect(done.log).toMatch(/retraining item-knn \(forced promotion\), requested by admin@example.com/);
    const [event] = await getDb().select().from(modelEvents).where(eq(modelEvents.modelVersionId, versionId));
    expect(event).toMatchObject({ action: "promote", fromVersionId: before, actorUserId: admin.id, actorLabel: `admin@example.com via training job #${job.id}` });
  });

  it("says a scheduled retraining was started by the schedule, in its log and the promotion's audit row", async () => {
    const job = await enqueueJob("train", { model: "popularity", force: true }, { trigger: "schedule" }, vi.fn());
    const done = await runJob(job.id);
    expect(done.status).toBe("succeeded");
    expect(done.log).toMatch(/retraining popularity \(forced promotion\), requested by the retrain schedule/);
    const [event] = await getDb().select().from(modelEvents).where(eq(modelEvents.modelVersionId, done.stats.versionId as number));
    expect(event).toMatchObject({ action: "promote", actorUserId: null, actorLabel: `the retrain schedule via training job #${job.id}` });
  });

  it("runs a simulation attached to the job, with progress in its log", async () => {
    const job = await queue("simulate", { users: 40, seed: 3 });
    const rows = await jobCount();
    const done = await runJob(job.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1, message: expect.stringMatching(/^40 users/) });
    expect(done.stats).toMatchObject({ users: 40, requestedBy: admin.email });
    expect(done.log).toMatch(/40\/40 users written/);
    expect(await jobCount()).toBe(rows);
  });

  it("says what a simulation removed, in its outcome, its log and its stats (as npm run simulate says 'N removed')", async () => {
    // another seed replaces each simulated user's history: what the first run wrote and the
    // second did not generate is deleted (A/B traffic's simulated rows go the same way)
    expect((await runJob((await queue("simulate", { users: 30, seed: 5 })).id)).status).toBe("succeeded");
    const done = await runJob((await queue("simulate", { users: 30, seed: 6 })).id);
    const removed = done.stats.interactionsRemoved as number;
    expect(removed).toBeGreaterThan(0);
    const written = (done.stats.watches as number) + (done.stats.ratings as number);
    // was: "30 users, N interactions", and a log line without the removed rows
    expect(done.message).toBe(`30 users, ${written.toLocaleString("en-US")} interactions, ${removed.toLocaleString("en-US")} removed`);
    expect(done.log).toMatch(new RegExp(`interactions \\d+ added, \\d+ updated, \\d+ unchanged, ${removed} removed\\n`));
    // the same users again: nothing removed, nothing to say about it
    const same = await runJob((await queue("simulate", { users: 30, seed: 6 })).id);
    expect(same.stats).toMatchObject({ interactionsRemoved: 0, interactionsAdded: 0 });
    expect(same.message).toBe(`30 users, ${written.toLocaleString("en-US")} interactions`);
    expect(same.log).toMatch(/, 0 removed\n/);
  });

  it("stops a simulation between batches when its signal aborts: the job ends cancelled, a re-run finishes it", async () => {
    const job = await queue("simulate", { users: 1_500, seed: 11 });
    const controller = new AbortController();
    const done = await runJob(job.id, { signal: controller.signal, onClaimed: () => controller.abort() });
    expect(done).toMatchObject({ status: "cancelled", error: "cancelled by the user", message: expect.stringMatching(/^stopped at 500\/1,500 users/) });
    expect(done.log).toMatch(/cancelled after 500\/1500 users; start the same simulation again to finish \(a new job/);
    expect(done.log).not.toMatch(/failed:/);
    const again = await runJob((await queue("simulate", { users: 1_500, seed: 11 })).id);
    expect(again).toMatchObject({ status: "succeeded", progress: 1 });
    expect(again.stats).toMatchObject({ usersCreated: 1_000 });
  });

  it("runs a crawl with the page range, recorded in the job the admin started (no second row)", async () => {
    await withFakeTmdb({ perPage: 3 }, async (fake) => {
      const job = await queue("crawl", { pages: { from: 1, to: 1 }, region: "KR", language: "ko-KR" });
      const rows = await jobCount();
      const printed: string[] = [];
      const done = await runJob(job.id, { onLog: (line) => printed.push(line) });
      expect(done).toMatchObject({ status: "succeeded", progress: 1, message: expect.stringMatching(/^1 page, \d new, \d updated, 0 errors$/) });
      expect(done.stats).toMatchObject({ pagesDone: 1, requestedBy: admin.email });
      expect(done.log).toMatch(/page 1: done, 3 movies/);
      expect(printed.join("\n")).toMatch(/page 1: done, 3 movies/);
      expect(await jobCount()).toBe(rows);
      for (const id of fake.idsOnPage(1)) expect((await getDb().select().from(movies).where(eq(movies.id, id)))[0]?.title).toBe(`영화 ${id}`);
    });
  });

  it("says a crawl of pages already done fetched nothing and how to redo them; restart (the form's Start over) fetches them again", async () => {
    await withFakeTmdb({ perPage: 2 }, async (fake) => {
      const crawl = (params: Record<string, unknown> = {}) => queue("crawl", { pages: { from: 7, to: 8 }, ...params }).then((job) => runJob(job.id));
      expect((await crawl()).status).toBe("succeeded");
      fake.requests.length = 0;
      const again = await crawl();
      // was: "0 pages, 0 new, 0 updated, 0 errors", with only the log knowing why
      expect(again).toMatchObject({ status: "succeeded", progress: 1, message: "nothing fetched: pages 7-8 were already done; start over (“Start over” in the admin, --restart on the command line) to fetch them again" });
      expect(again.stats).toMatchObject({ pagesAlreadyDone: 2, pagesDone: 0 });
      expect(fake.requests.filter((r) => r.pathname === "/3/movie/popular")).toEqual([]);

      const restarted = await crawl({ restart: true });
      expect(restarted).toMatchObject({ status: "succeeded", params: { restart: true }, message: "2 pages, 0 new, 4 updated, 0 errors" });
      expect(restarted.stats).toMatchObject({ pagesAlreadyDone: 0, pagesDone: 2 });
      expect(restarted.log).toMatch(/crawling TMDB popular pages 7-8 \(KR, ko-KR\), starting over \(pages already done are fetched again\), requested by admin@example.com/);
      expect(restarted.log).toMatch(/restart: forgot 2 completed pages of popular:KR:ko-KR/);
      expect(fake.requests.filter((r) => r.pathname === "/3/movie/popular").map((r) => r.query.get("page"))).toEqual(["7", "8"]);
    });
  });

  it("asks for posters in the crawl's own language unless told otherwise", async () => {
    await withFakeTmdb({ perPage: 2 }, async (fake) => {
      const imageLanguages = () => new Set(fake.requests.map((r) => r.query.get("include_image_language")).filter(Boolean));
      const job = await queue("crawl", { pages: { from: 1, to: 1 }, region: "US", language: "en-US" });
      expect((await runJob(job.id)).status).toBe("succeeded");
      expect(imageLanguages()).toEqual(new Set(["en,null"]));
      fake.requests.length = 0;
      const ja = await queue("crawl", { pages: { from: 2, to: 2 }, region: "US", language: "en-US", imageLanguage: "ja" });
      expect((await runJob(ja.id)).status).toBe("succeeded");
      expect(imageLanguages()).toEqual(new Set(["ja,null"]));
    });
  });

  it("fails the job with the service's message when the service throws", async () => {
    const job = await queue("crawl", { pages: { from: 1, to: 2 } }); // no TMDB_API_KEY here
    const done = await runJob(job.id);
    expect(done).toMatchObject({ status: "failed", error: expect.stringMatching(/TMDB_API_KEY is not set/) });
    expect(done.log).toMatch(/failed: TMDB_API_KEY is not set/);
  });

  it("refuses a job that is not queued (already claimed or finished) or does not exist", async () => {
    const job = await queue("simulate", { users: 5 });
    await runJob(job.id);
    await expect(runJob(job.id)).rejects.toThrow(JobClaimError);
    await expect(runJob(job.id)).rejects.toThrow(/is succeeded, not queued/);
    await expect(runJob(987_654)).rejects.toThrow(/there is no job #987654/);
  });

  it("fails a job whose params this version cannot read with one line naming each field, not zod's JSON", async () => {
    // rows another version of the app queued: a model this one does not know, a flag of another type, a field added since
    const skewed = await createJob("train", { model: "wals", force: "yes", priority: 1 }, "queued");
    const printed: string[] = [];
    const done = await runJob(skewed.id, { onLog: (line) => printed.push(line) });
    expect(done.status).toBe("failed");
    expect(done.error).toBe(
      "Invalid train job parameters: model: must be one of popularity, item-knn, user-knn, ease; force: must be true or false; priority: unknown field",
    );
    expect(printed).toEqual([`failed: ${done.error}`]);
    expect(done.log.trimEnd().split("\n")).toHaveLength(1);
    // the model's own parameters too, named as the API names them
    const badParams = await createJob("train", { model: "ease", params: { lambda: -1 } }, "queued");
    expect((await runJob(badParams.id)).error).toBe("Invalid train job parameters: params.lambda: must be more than 0");
    const simulate = await createJob("simulate", { users: "many" }, "queued");
    expect((await runJob(simulate.id)).error).toBe("Invalid simulate job parameters: users: must be a number");
  });

  it("fails kinds the worker cannot run (an import needs its file on the CLI)", async () => {
    const job = await createJob("import", {}, "queued");
    const done = await runJob(job.id);
    expect(done).toMatchObject({ status: "failed", error: expect.stringMatching(/npm run import/) });
  });
});

describe("scripts/worker.ts stopped by SIGTERM", () => {
  it("ends a large simulation within a batch: job cancelled, exit 143, users left unwritten", async () => {
    const job = await queue("simulate", { users: 30_000, seed: 13 });
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--job", String(job.id)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let sentAt = 0;
    child.stdout.on("data", (d) => {
      out += d;
      if (!sentAt && /users written/.test(out)) {
        sentAt = Date.now();
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(sentAt, out).toBeGreaterThan(0);
    expect(Date.now() - sentAt, out).toBeLessThan(2_000); // the whole run takes ~15 s
    expect(code, out).toBe(143);
    expect(out).toMatch(new RegExp(`job #${job.id} cancelled: stopped at`));
    const row = await getJob(job.id);
    expect(row).toMatchObject({ status: "cancelled", error: "cancelled by SIGTERM to its worker" }); // was "the user", whoever sent it
    expect(row!.progress).toBeLessThan(0.5);
  }, 60_000);
});

describe("scripts/worker.ts --next", () => {
  it("prints its pid once it has claimed a job, as --job N does (docs/admin.md: kill <worker pid>)", async () => {
    const job = await queue("simulate", { users: 5, seed: 21 });
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--next"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).toBe(0);
    expect(out.split("\n")[0]).toBe(`worker ${child.pid}: job #${job.id} (simulate)`);
    expect(out).toMatch(new RegExp(`job #${job.id} succeeded`));
  }, 60_000);
});

describe("launchWorker (a real detached worker process)", () => {
  it("runs a queued job to success outside this process", async () => {
    const job = await enqueueJob("simulate", { users: 30, seed: 9 }, admin, launchWorker);
    const deadline = Date.now() + 40_000;
    let current = await getJob(job.id);
    while (current && (current.status === "queued" || current.status === "running") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      current = await getJob(job.id);
    }
    expect(current).toMatchObject({ status: "succeeded", progress: 1 });
    expect(current?.workerPid).not.toBe(process.pid);
    // the last progress line and the summary are logged before the job reads succeeded
    expect(current?.log).toMatch(/30\/30 users written\n\S+ done in [\d.]+s: \d+ new users, \d+ watches/);
  }, 45_000);
});
