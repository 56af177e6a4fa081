import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { closeDb, getDb } from "@/lib/db";
import { insertQueuedJob } from "@/lib/jobs/queue";
import { runTraining } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { runScript, STACK_FRAME, type ScriptRun } from "../helpers/run-script";
import { useTempDb } from "../helpers/temp-db";

// A full disk or a read-only database while a model trains: the run fails with one clear line and
// a non-zero exit, its job row and model version say failed, and serving is untouched (pointer,
// the serving version's cache rows, integrity). The faults are injected into the real CLI / worker
// process by tests/reliability/fixtures/sqlite-faults.cjs (see its header for what it simulates).

const PRELOAD = ["tests/reliability/fixtures/sqlite-faults.cjs"];
const MODEL = ["--model", "item-knn", "--force"];

let tmp: ReturnType<typeof useTempDb>;
let servingAtStart: number;

type State = {
  integrity: string;
  serving: number;
  pageCount: number;
  versions: { id: number; status: string; stage: string; job_id: number | null }[];
  jobs: { id: number; kind: string; status: string; error: string | null }[];
  cacheRows: (version: number) => { recs: number; neighbors: number };
  /** sha256 over the version's cached rows: "unchanged" means byte-for-byte the same cache. */
  cacheSha: (version: number) => string;
};

function inspect(): State {
  const db = new Database(tmp.file, { readonly: true });
  try {
    const count = (table: string, v: number) => (db.prepare(`select count(*) n from ${table} where model_version_id = ?`).get(v) as { n: number }).n;
    const sha = (v: number) => {
      const h = createHash("sha256");
      for (const r of db.prepare("select user_id, rank, movie_id, score, anchor_movie_id from recommendations where model_version_id = ? order by user_id, rank").raw().iterate(v)) h.update(JSON.stringify(r));
      for (const r of db.prepare("select movie_id, rank, neighbor_id, score from item_neighbors where model_version_id = ? order by movie_id, rank").raw().iterate(v)) h.update(JSON.stringify(r));
      return h.digest("hex");
    };
    const versions = db.prepare("select id, status, stage, job_id from model_versions order by id").all() as State["versions"];
    const state: State = {
      integrity: db.pragma("integrity_check", { simple: true }) as string,
      serving: Number((db.prepare("select value from app_state where key = 'serving_model_version'").get() as { value: string }).value),
      pageCount: db.pragma("page_count", { simple: true }) as number,
      versions,
      jobs: db.prepare("select id, kind, status, error from jobs order by id").all() as State["jobs"],
      cacheRows: () => ({ recs: 0, neighbors: 0 }),
      cacheSha: () => "",
    };
    // computed now, while the connection is open
    const rows = new Map(versions.map((v) => [v.id, { recs: count("recommendations", v.id), neighbors: count("item_neighbors", v.id) }]));
    const shas = new Map([[state.serving, sha(state.serving)]]);
    state.cacheRows = (v) => rows.get(v) ?? { recs: 0, neighbors: 0 };
    state.cacheSha = (v) => shas.get(v) ?? "";
    return state;
  } finally {
    db.close();
  }
}

function report(name: string, run: ScriptRun, after: State) {
  const rows = after.cacheRows(after.serving);
  console.log(
    `train-faults ${name}: exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s, "${run.stderr.trim().split("\n").at(-1)}"; ` +
      `serving v${after.serving} cache ${rows.recs} recommendation + ${rows.neighbors} neighbour rows unchanged (sha256), integrity ${after.integrity}`,
  );
}

/** One clear line: the last stderr line is the error, and no stack frame anywhere. */
function expectCleanFailure(run: ScriptRun, pattern: RegExp) {
  expect(run.timedOut).toBe(false);
  expect(run.code, run.stderr).toBe(1);
  const last = run.stderr.trim().split("\n").at(-1)!;
  expect(last).toMatch(/^error: /);
  expect(last).toMatch(pattern);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  await runSimulation({ users: 300, seed: 11 });
  servingAtStart = (await runTraining({ model: "item-knn", topN: 30, neighbors: 30 })).versionId;
  closeDb(); // the child processes own the database from here
}, 120_000);
afterAll(() => tmp.cleanup());

describe("training on a full disk or a read-only database", () => {
  it("full disk (the database cannot grow) during `npm run train`: clear failure, job and version failed, serving untouched", async () => {
    const before = inspect();
    expect(before.serving).toBe(servingAtStart);
    expect(before.cacheRows(servingAtStart).recs).toBeGreaterThan(1000);

    const run = await runScript("train.ts", MODEL, { env: { DATABASE_PATH: tmp.file, MATINEE_TEST_SQLITE_FAULT: "full:40" }, preload: PRELOAD, timeoutMs: 90_000 });
    expectCleanFailure(run, /training failed: the database refused a write \(SQLITE_FULL: database or disk is full\)/);

    const after = inspect();
    expect(after.integrity).toBe("ok");
    expect(after.pageCount).toBeLessThanOrEqual(before.pageCount + 40); // the cap really held
    expect(after.serving).toBe(before.serving);
    expect(after.cacheSha(after.serving)).toBe(before.cacheSha(before.serving));
    const failed = after.versions.filter((v) => !before.versions.some((b) => b.id === v.id));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: "failed", stage: "candidate" });
    expect(after.cacheRows(failed[0].id)).toEqual({ recs: 0, neighbors: 0 }); // partial cache removed
    const job = after.jobs.find((j) => j.id === failed[0].job_id)!;
    expect(job).toMatchObject({ kind: "train", status: "failed" });
    expect(job.error).toMatch(/database or disk is full/);
    report("full disk (train CLI)", run, after);
  }, 120_000);

  it("full disk during an admin retrain job (the worker): the job row says failed, serving untouched", async () => {
    // What POST /api/admin/jobs does, minus starting the worker: the test starts it, with the fault.
    getDb();
    const { job } = await insertQueuedJob("train", { model: "item-knn", params: {}, force: true }, { requestedBy: "admin@test" });
    closeDb();
    const before = inspect();

    const run = await runScript("worker.ts", ["--job", String(job!.id)], {
      env: { DATABASE_PATH: tmp.file, MATINEE_TEST_SQLITE_FAULT: "full:40" },
      preload: PRELOAD,
      timeoutMs: 90_000,
    });
    expectCleanFailure(run, /database or disk is full/);
    expect(run.stdout).toMatch(new RegExp(`job #${job!.id} failed`));

    const after = inspect();
    expect(after.integrity).toBe("ok");
    expect(after.serving).toBe(before.serving);
    expect(after.cacheSha(after.serving)).toBe(before.cacheSha(before.serving));
    expect(after.jobs.find((j) => j.id === job!.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/database or disk is full/) });
    const version = after.versions.find((v) => v.job_id === job!.id)!;
    expect(version.status).toBe("failed");
    expect(after.cacheRows(version.id)).toEqual({ recs: 0, neighbors: 0 });
    report("full disk (admin job worker)", run, after);
  }, 120_000);

  it("database turns read-only in the middle of the cache write: clear failure, serving untouched, the next run cleans up", async () => {
    const before = inspect();
    const run = await runScript("train.ts", MODEL, {
      env: { DATABASE_PATH: tmp.file, MATINEE_TEST_SQLITE_FAULT: "readonly-at:recommendations" },
      preload: PRELOAD,
      timeoutMs: 90_000,
    });
    expectCleanFailure(run, /training failed: the database refused a write \(SQLITE_READONLY: attempt to write a readonly database\)/);

    const after = inspect();
    expect(after.integrity).toBe("ok");
    expect(after.serving).toBe(before.serving);
    expect(after.cacheSha(after.serving)).toBe(before.cacheSha(before.serving));
    // Nothing could record the failure (the database refuses every write): the version stays
    // `training` with the neighbour rows written before the switch, the job `running`; serving
    // never reads either.
    const [stuck] = after.versions.filter((v) => !before.versions.some((b) => b.id === v.id));
    expect(stuck.status).toBe("training");
    expect(after.cacheRows(stuck.id).neighbors).toBeGreaterThan(0);
    expect(after.cacheRows(stuck.id).recs).toBe(0);
    expect(after.jobs.find((j) => j.id === stuck.job_id)?.status).toBe("running");
    report(`read-only at the cache write (v${stuck.id} left with ${after.cacheRows(stuck.id).neighbors} neighbour rows)`, run, after);

    // Writable again: the next run marks the dead run's job and version failed, deletes its rows, and serves.
    const rerun = await runScript("train.ts", MODEL, { env: { DATABASE_PATH: tmp.file }, timeoutMs: 90_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    const final = inspect();
    expect(final.integrity).toBe("ok");
    expect(final.versions.find((v) => v.id === stuck.id)?.status).toBe("failed");
    expect(final.cacheRows(stuck.id)).toEqual({ recs: 0, neighbors: 0 });
    expect(final.jobs.find((j) => j.id === stuck.job_id)).toMatchObject({ status: "failed", error: expect.stringMatching(/abandoned/) });
    expect(final.serving).toBeGreaterThan(stuck.id);
    expect(final.cacheRows(final.serving).recs).toBeGreaterThan(1000);
  }, 180_000);
});
