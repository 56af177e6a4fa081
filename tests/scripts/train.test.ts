import { spawn, spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, rawRows } from "@/lib/db";
import { getServingVersionId } from "@/lib/mlops/registry";
import { getJob } from "@/lib/jobs/queries";
import { insertQueuedJob } from "@/lib/jobs/queue";
import { runSimulation } from "@/lib/simulate/run";
import { seedCatalog } from "@/lib/catalog/seed";
import { runTraining } from "@/lib/recs/train";
import { integrityCheck } from "../helpers/db-integrity";
import { testingPostgres, useTempDb } from "../helpers/temp-db";

// The CLI as a child process, so it can be killed for real.
// `node --import tsx` runs the script in this very process (the tsx CLI would fork a grandchild).
const TSX = ["--import", "tsx"];
const trainCli = (db: string, args: string[]) =>
  spawn(process.execPath, [...TSX, "scripts/train.ts", ...args], { env: { ...process.env, DATABASE_PATH: db }, stdio: ["ignore", "pipe", "pipe"] });

type State = {
  integrity: string;
  serving: number;
  versions: { id: number; status: string; stage: string }[];
  recRows: (version: number) => number;
  neighborRows: (version: number) => number;
};

/**
 * The database as the CLI left it. SQLite: a separate read-only connection to the file, so this
 * process never opens it for writing. PostgreSQL: this process's client (closed again after).
 */
async function inspect(file: string): Promise<State> {
  type Query = <T>(text: string) => Promise<T[]>;
  const read = async (all: Query, integrity: () => Promise<string>): Promise<State> => {
    const rowCounts = async (table: string) => new Map((await all<{ v: number; n: number }>(`select model_version_id as v, count(*) as n from ${table} group by model_version_id`)).map((r) => [r.v, r.n]));
    const [serving] = await all<{ value: string }>("select value from app_state where key = 'serving_model_version'");
    const recs = await rowCounts("recommendations");
    const neighbors = await rowCounts("item_neighbors");
    return {
      integrity: await integrity(),
      serving: Number(serving.value),
      versions: await all("select id, status, stage from model_versions order by id"),
      recRows: (version) => recs.get(version) ?? 0,
      neighborRows: (version) => neighbors.get(version) ?? 0,
    };
  };
  if (testingPostgres()) {
    try {
      return await read((text) => rawRows(sql.raw(text)), integrityCheck);
    } finally {
      await closeDb();
    }
  }
  const db = new Database(file, { readonly: true });
  try {
    return await read(
      async <T>(text: string) => db.prepare(text).all() as T[],
      async () => db.pragma("integrity_check", { simple: true }) as string,
    );
  } finally {
    db.close();
  }
}

describe("npm run train", () => {
  let tmp: ReturnType<typeof useTempDb>;
  let firstVersion: number;
  beforeAll(async () => {
    tmp = useTempDb();
    await seedCatalog();
    await runSimulation({ users: 400, seed: 3 });
    firstVersion = (await runTraining({ model: "item-knn" })).versionId;
    await closeDb(); // the child processes own the database from here
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("rejects bad arguments with a clear message and exit code 2", () => {
    const res = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "nope"], { env: { ...process.env, DATABASE_PATH: tmp.file }, encoding: "utf8" });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--model: must be one of/);
    expect(res.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("a run killed while writing its caches leaves serving untouched; the next run cleans up and promotes", async () => {
    const child = trainCli(tmp.file, ["--model", "item-knn", "--force"]);
    // Kill as soon as the run is writing the recommendation cache of its new version.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("training never reached the write stage")), 60_000);
      child.stderr.on("data", (chunk: Buffer) => {
        if (/writing recommendation cache|write/.test(chunk.toString())) {
          child.kill("SIGKILL");
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await new Promise((r) => child.once("exit", r).once("close", r));

    const after = await inspect(tmp.file);
    expect(after.integrity).toBe("ok");
    expect(after.serving).toBe(firstVersion);
    const killed = after.versions.find((v) => v.id > firstVersion);
    expect(killed?.status).toBe("training"); // left half-written…
    expect(after.recRows(firstVersion)).toBeGreaterThan(0); // …while serving's cache is intact

    const rerun = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "item-knn", "--force"], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      encoding: "utf8",
    });
    expect(rerun.status, rerun.stderr).toBe(0);
    const final = await inspect(tmp.file);
    expect(final.integrity).toBe("ok");
    const killedNow = final.versions.find((v) => v.id === killed!.id);
    expect(killedNow?.status).toBe("failed");
    expect(final.recRows(killed!.id)).toBe(0);
    expect(final.neighborRows(killed!.id)).toBe(0);
    expect(final.serving).toBeGreaterThan(killed!.id);
    expect(final.versions.find((v) => v.id === final.serving)).toMatchObject({ status: "ready", stage: "production" });
    expect(final.versions.find((v) => v.id === firstVersion)?.stage).toBe("archived");
  }, 120_000);

  it("the promotion gate keeps a worse model as a candidate unless forced", async () => {
    const res = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "popularity", "--tolerance", "0"], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      encoding: "utf8",
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/kept as candidate/);
    const state = await inspect(tmp.file);
    const newest = state.versions.at(-1)!;
    expect(newest).toMatchObject({ status: "ready", stage: "candidate" });
    expect(state.serving).not.toBe(newest.id);
    expect(await getServingVersionId().catch(() => null)).not.toBe(newest.id);
  }, 120_000);

  it("EASE over its item limit is one line saying how to train anyway, plain and sharded", async () => {
    // maxItems 5 stands for a catalog past the default 8,000 items EASE's dense fit allows.
    const runs = [[], ["--shards", "1", "--shard", "0", "--run", "ease-too-big"]].map((extra) =>
      spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "ease", "--params", '{"maxItems":5}', ...extra], {
        env: { ...process.env, DATABASE_PATH: tmp.file },
        encoding: "utf8",
      }),
    );
    for (const res of runs) {
      expect(res.status, res.stderr).toBe(1);
      const errors = res.stderr.split("\n").filter((l) => l.startsWith("error: "));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^error: EASE would fit \d+ items .*maxItems = 5.*minItemCount.*--model item-knn/);
      expect(res.stderr).not.toMatch(/at .*\.ts:\d+|EaseTooManyItemsError/); // no stack trace
    }
    const state = await inspect(tmp.file);
    expect(state.integrity).toBe("ok");
    expect(state.versions.find((v) => v.id === state.serving)).toMatchObject({ status: "ready", stage: "production" });
  }, 120_000);

  it("--job-id runs that queued train job here: claims it (no worker can take it too) and trains its own model", async () => {
    const { job } = await insertQueuedJob("train", { model: "popularity", params: {}, force: false }, { requestedBy: "admin@example.com" });
    await closeDb();
    const stray = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--job-id", String(job!.id), "--model", "ease"], { env: { ...process.env, DATABASE_PATH: tmp.file }, encoding: "utf8" });
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/^error: --model does not apply to --job-id/);
    const res = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--job-id", String(job!.id)], { env: { ...process.env, DATABASE_PATH: tmp.file }, encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    // progress on stderr as plain `npm run train` shows it (it used to say nothing until the end)
    expect(res.stderr).toMatch(/^train: \d+\/100 \(\d+%\) [\d.]+s (load|validate|fit)/m);
    expect(res.stderr).toMatch(/^train: 100\/100 \(100%\) [\d.]+s \w+/m);
    expect(res.stdout).toMatch(/^retraining popularity, requested by admin@example.com\n/);
    const row = (await getJob(job!.id))!;
    expect(row).toMatchObject({ status: "succeeded", workerPid: res.pid });
    const state = await inspect(tmp.file);
    const trained = state.versions.at(-1)!;
    const [version] = await rawRows<{ algorithm: string; job_id: number }>(sql.raw(`select algorithm, job_id from model_versions where id = ${trained.id}`));
    expect(version).toEqual({ algorithm: "popularity", job_id: job!.id });
    // a job already claimed (by this run, here finished) cannot be run again
    const again = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--job-id", String(job!.id)], { env: { ...process.env, DATABASE_PATH: tmp.file }, encoding: "utf8" });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/it is succeeded; it must name a queued train job/);
    await closeDb();
  }, 120_000);
});
