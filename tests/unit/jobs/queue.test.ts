import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { listJobsForApi } from "@/lib/jobs/api";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { startHeartbeat } from "@/lib/jobs/heartbeat";
import { createJob, getJob } from "@/lib/jobs/queries";
import { claimJob } from "@/lib/jobs/queue";
import { modelVersions } from "@/lib/db/schema";
import { runTraining } from "@/lib/recs/train";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());
beforeEach(async () => {
  await getDb().delete(jobs);
});

const admin = { id: 1, email: "admin@example.com" };
const noWorker = vi.fn();

async function expectConflict(promise: Promise<unknown>, jobId: number) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect(err).toMatchObject({ code: "conflict", status: 409, details: { jobId } });
}

describe("enqueueJob", () => {
  it("queues a job with its resolved params and who asked, and starts one worker for it", async () => {
    const start = vi.fn();
    const job = await enqueueJob("train", { model: "item-knn" }, admin, start);
    expect(start).toHaveBeenCalledExactlyOnceWith(job.id);
    expect(job).toMatchObject({ kind: "train", status: "queued", progress: 0 });
    expect(job.params).toMatchObject({ model: "item-knn", force: false, params: expect.objectContaining({ neighbors: expect.any(Number) }) });
    expect(job.stats).toEqual({ requestedBy: admin.email, requestedById: admin.id });
  });

  it("records a scheduler as the job's trigger, not as an admin", async () => {
    const job = await enqueueJob("train", { model: "ease" }, { trigger: "schedule" }, vi.fn());
    expect(job.stats).toEqual({ trigger: "schedule" });
    const [listed] = await listJobsForApi();
    expect(listed).toMatchObject({ id: job.id, requestedBy: null, trigger: "schedule" });
  });

  it("allows one job of a kind at a time: 409 while one is queued or running, other kinds go ahead", async () => {
    const first = await enqueueJob("simulate", { users: 10 }, admin, noWorker);
    await expectConflict(enqueueJob("simulate", { users: 20 }, admin, noWorker), first.id);
    expect((await claimJob(first.id))?.status).toBe("running");
    await expectConflict(enqueueJob("simulate", { users: 20 }, admin, noWorker), first.id);
    // A training run started from the CLI (not through the queue) blocks the kind too.
    const cli = await createJob("train", {});
    await expectConflict(enqueueJob("train", { model: "ease" }, admin, noWorker), cli.id);
    await expect(enqueueJob("crawl", { pages: { from: 1, to: 2 } }, admin, noWorker)).resolves.toMatchObject({ status: "queued" });
  });

  it("allows the kind again once the job finished", async () => {
    const first = await enqueueJob("simulate", {}, admin, noWorker);
    await getDb().update(jobs).set({ status: "succeeded", finishedAt: Date.now() }).where(eq(jobs.id, first.id));
    const second = await enqueueJob("simulate", {}, admin, noWorker);
    expect(second.id).toBeGreaterThan(first.id);
  });

  it("rejects bad params with a 400 naming the field, before anything is queued", async () => {
    const bad = [
      ["train", { model: "nope" }, "model"],
      ["train", { model: "ease", params: { lambda: -1 } }, "params.lambda"],
      ["simulate", { users: 0 }, "users"],
      ["simulate", { users: 10, extra: 1 }, "extra"],
      ["crawl", { pages: { from: 5, to: 2 } }, "pages.to"],
      ["crawl", { pages: { from: 1, to: 2 }, region: "KOR" }, "region"], // ("kr" is read as KR)
    ] as const;
    const start = vi.fn();
    for (const [kind, params, field] of bad) {
      const err = await enqueueJob(kind, params, admin, start).catch((e: unknown) => e);
      expect(err, `${kind} ${JSON.stringify(params)}`).toMatchObject({ code: "bad_request" });
      expect(Object.keys((err as ApiError & { details: { fields: object } }).details.fields)).toContain(field);
    }
    expect(start).not.toHaveBeenCalled();
    expect(await getDb().select().from(jobs)).toEqual([]);
  });

  it("fails the job, instead of leaving it queued, when the worker cannot be started", async () => {
    const boom = () => {
      throw new Error("spawn ENOENT");
    };
    await expect(enqueueJob("simulate", {}, admin, boom)).rejects.toThrow("spawn ENOENT");
    const [job] = await getDb().select().from(jobs);
    expect(job).toMatchObject({ status: "failed", error: "could not start the worker: spawn ENOENT" });
    await expect(enqueueJob("simulate", {}, admin, noWorker)).resolves.toMatchObject({ status: "queued" });
  });
});

describe("a training run started without a job (npm run train)", () => {
  const outcome = (p: Promise<unknown>) => p.then(() => "trained", (e: Error) => e.message);

  it("refuses while a train job is queued: the admin's retrain would run beside it", async () => {
    const queued = await enqueueJob("train", { model: "ease" }, admin, noWorker);
    expect(await outcome(runTraining({ model: "popularity" }))).toBe(`a training run is already queued (job ${queued.id})`);
    expect(await getDb().select().from(jobs)).toHaveLength(1);
    expect(await getDb().select().from(modelVersions)).toHaveLength(0);
  });

  it("two started at once: one runs, the other is refused (the check and the job row are one step)", async () => {
    // an empty database: the run that goes ahead fails for want of data, which is not the point
    const results = await Promise.all([outcome(runTraining({ model: "popularity" })), outcome(runTraining({ model: "popularity" }))]);
    expect(results.filter((r) => r.startsWith("a training run is already running"))).toHaveLength(1);
    expect(await getDb().select().from(jobs)).toHaveLength(1);
  });
});

describe("stale jobs", () => {
  it("a job whose heartbeat stopped no longer blocks its kind, and shows as failed", async () => {
    const dead = await enqueueJob("train", { model: "ease" }, admin, noWorker);
    await claimJob(dead.id);
    // Its worker lived on another host (no pid check possible) and went silent two minutes ago.
    await getDb().update(jobs).set({ heartbeatAt: Date.now() - 120_000, workerHost: "elsewhere" }).where(eq(jobs.id, dead.id));
    const next = await enqueueJob("train", { model: "ease" }, admin, noWorker);
    expect(next.status).toBe("queued");
    expect(await getJob(dead.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/no heartbeat/) });
  });

  it("a running job whose worker process on this host is gone fails at once, heartbeat or not", async () => {
    const job = await enqueueJob("simulate", {}, admin, noWorker);
    await claimJob(job.id);
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => gone.on("exit", r));
    await getDb().update(jobs).set({ workerPid: gone.pid! }).where(eq(jobs.id, job.id));
    const [listed] = await listJobsForApi();
    expect(listed).toMatchObject({ id: job.id, status: "failed", error: expect.stringMatching(/process \d+ is gone/) });
  });

  it("a running job whose process is alive on this host is left alone, however quiet (a long synchronous stage)", async () => {
    const alive = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    await new Promise((r) => alive.on("spawn", r));
    try {
      const job = await enqueueJob("train", { model: "ease" }, admin, noWorker);
      await claimJob(job.id); // on this host, started after the process
      await getDb().update(jobs).set({ workerPid: alive.pid!, heartbeatAt: Date.now() - 600_000 }).where(eq(jobs.id, job.id));
      const [listed] = await listJobsForApi();
      expect(listed).toMatchObject({ id: job.id, status: "running" });
      await expectConflict(enqueueJob("train", { model: "ease" }, admin, noWorker), job.id);
    } finally {
      alive.kill();
    }
  });

  it("a live process that started after the job is not the job's (a reused pid): the job is failed", async () => {
    const later = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    await new Promise((r) => later.on("spawn", r));
    try {
      const job = await enqueueJob("simulate", {}, admin, noWorker);
      await claimJob(job.id);
      const tenMinutesAgo = Date.now() - 600_000;
      await getDb().update(jobs).set({ workerPid: later.pid!, startedAt: tenMinutesAgo, heartbeatAt: Date.now() }).where(eq(jobs.id, job.id));
      const [listed] = await listJobsForApi();
      expect(listed).toMatchObject({ id: job.id, status: "failed", error: expect.stringMatching(/process \d+ is gone/) });
    } finally {
      later.kill();
    }
  });

  it("the heartbeat thread keeps beating while the main thread is blocked", async () => {
    const job = await enqueueJob("train", { model: "ease" }, admin, noWorker);
    await claimJob(job.id);
    const beats: number[] = [];
    const heartbeat = startHeartbeat(job.id, 100, (at) => beats.push(at));
    try {
      await vi.waitFor(() => expect(beats.length).toBeGreaterThan(0), { timeout: 10_000 }); // the thread is up
      const from = Date.now();
      while (Date.now() - from < 1_000); // a synchronous stage: no timer of this thread can run
      const to = Date.now();
      await vi.waitFor(() => expect(beats.filter((at) => at > from && at < to).length).toBeGreaterThanOrEqual(3));
      // each beat reported was written: the row holds the newest one (or one the report of which was still on its way)
      await heartbeat.stop();
      expect((await getJob(job.id))?.heartbeatAt).toBeGreaterThanOrEqual(Math.max(...beats));
    } finally {
      await heartbeat.stop();
    }
  });

  it("a fresh running job is left alone", async () => {
    const job = await enqueueJob("simulate", {}, admin, noWorker);
    await claimJob(job.id);
    const [listed] = await listJobsForApi();
    expect(listed).toMatchObject({ id: job.id, status: "running" });
  });
});

describe("claimJob", () => {
  it("moves a queued job to running once, recording the worker", async () => {
    const job = await enqueueJob("simulate", {}, admin, noWorker);
    const claimed = await claimJob(job.id);
    expect(claimed).toMatchObject({ status: "running", workerPid: process.pid, startedAt: expect.any(Number) });
    expect(await claimJob(job.id)).toBeNull();
    expect(await claimJob(999_999)).toBeNull();
  });

  it("is atomic across processes: of six workers racing for one job, exactly one gets it", async () => {
    const job = await enqueueJob("simulate", {}, admin, noWorker);
    const at = Date.now() + 2_500; // every process is up and waiting by then
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => {
        const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/unit/jobs/fixtures/claim.ts", String(job.id), String(at)], {
          env: { ...process.env, DATABASE_PATH: tmp.file },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        return new Promise<string>((resolve) => child.on("exit", () => resolve(out)));
      }),
    );
    const winners = outputs.filter((o) => o.startsWith("claimed by "));
    expect(outputs.filter((o) => o === "missed")).toHaveLength(5);
    expect(winners).toHaveLength(1);
    expect((await getJob(job.id))?.workerPid).toBe(Number(winners[0].slice("claimed by ".length)));
  }, 30_000);
});
