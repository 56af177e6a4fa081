import { spawn, spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { getServingVersionId } from "@/lib/mlops/registry";
import { runSimulation } from "@/lib/simulate/run";
import { seedCatalog } from "@/lib/catalog/seed";
import { runTraining } from "@/lib/recs/train";
import { useTempDb } from "../helpers/temp-db";

// The CLI as a child process, so it can be killed for real.
// `node --import tsx` runs the script in this very process (the tsx CLI would fork a grandchild).
const TSX = ["--import", "tsx"];
const trainCli = (db: string, args: string[]) =>
  spawn(process.execPath, [...TSX, "scripts/train.ts", ...args], { env: { ...process.env, DATABASE_PATH: db }, stdio: ["ignore", "pipe", "pipe"] });

function inspect(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      integrity: db.pragma("integrity_check", { simple: true }),
      serving: Number((db.prepare("select value from app_state where key = 'serving_model_version'").get() as { value: string }).value),
      versions: db.prepare("select id, status, stage from model_versions order by id").all() as { id: number; status: string; stage: string }[],
      recRows: (version: number) => (db.prepare("select count(*) n from recommendations where model_version_id = ?").get(version) as { n: number }).n,
      neighborRows: (version: number) => (db.prepare("select count(*) n from item_neighbors where model_version_id = ?").get(version) as { n: number }).n,
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw err;
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
    closeDb(); // the child processes own the database from here
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

    const after = inspect(tmp.file);
    expect(after.integrity).toBe("ok");
    expect(after.serving).toBe(firstVersion);
    const killed = after.versions.find((v) => v.id > firstVersion);
    expect(killed?.status).toBe("training"); // left half-written…
    expect(after.recRows(firstVersion)).toBeGreaterThan(0); // …while serving's cache is intact
    after.close();

    const rerun = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "item-knn", "--force"], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      encoding: "utf8",
    });
    expect(rerun.status, rerun.stderr).toBe(0);
    const final = inspect(tmp.file);
    expect(final.integrity).toBe("ok");
    const killedNow = final.versions.find((v) => v.id === killed!.id);
    expect(killedNow?.status).toBe("failed");
    expect(final.recRows(killed!.id)).toBe(0);
    expect(final.neighborRows(killed!.id)).toBe(0);
    expect(final.serving).toBeGreaterThan(killed!.id);
    expect(final.versions.find((v) => v.id === final.serving)).toMatchObject({ status: "ready", stage: "production" });
    expect(final.versions.find((v) => v.id === firstVersion)?.stage).toBe("archived");
    final.close();
  }, 120_000);

  it("the promotion gate keeps a worse model as a candidate unless forced", async () => {
    const res = spawnSync(process.execPath, [...TSX, "scripts/train.ts", "--model", "popularity", "--tolerance", "0"], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      encoding: "utf8",
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/kept as candidate/);
    const state = inspect(tmp.file);
    const newest = state.versions.at(-1)!;
    expect(newest).toMatchObject({ status: "ready", stage: "candidate" });
    expect(state.serving).not.toBe(newest.id);
    state.close();
    expect(await getServingVersionId().catch(() => null)).not.toBe(newest.id);
  }, 120_000);
});
