import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, STACK_FRAME } from "../helpers/run-script";

// `npm run prepare-data` migrates, seeds, simulates and trains: --help and a mistyped flag must do
// none of that. (The prepare itself is run by tests/e2e and bench:startup.)

let dir: string;
let db: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-prepare-"));
  db = path.join(dir, "matinee.db");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm start arguments", () => {
  it("--help says what it does and exits 0 without building, preparing or serving; a stray flag exits 2", async () => {
    const help = await runScript("start.ts", ["--help"], { env: { DATABASE_PATH: db, DATABASE_URL: undefined } });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm start\n/);
    for (const name of ["PORT", "DATABASE_PATH", "AUTH_SECRET"]) expect(help.stdout).toContain(name);
    const bogus = await runScript("start.ts", ["--port", "80"], { env: { DATABASE_PATH: db, DATABASE_URL: undefined } });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr.split("\n")[0]).toBe("error: Unknown option '--port'");
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("npm run prepare-data arguments", () => {
  it("--help says what it does and which variables it reads, exits 0 and leaves the database alone", async () => {
    const run = await runScript("prepare.ts", ["--help"], { env: { DATABASE_PATH: db, DATABASE_URL: undefined } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run prepare-data\n/);
    for (const name of ["DATABASE_PATH", "DATABASE_URL", "DATABASE_POOL_SIZE", "migrations", "catalog", "simulated users", "trained model"]) expect(run.stdout).toContain(name);
    expect(run.stderr).toBe("");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("an unknown flag or a stray argument exits 2 with one error line, before preparing anything", async () => {
    for (const args of [["--bogus"], ["--seed", "3"], ["extra"]]) {
      const run = await runScript("prepare.ts", args, { env: { DATABASE_PATH: db, DATABASE_URL: undefined } });
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^error: (Unknown option '--bogus'|Unknown option '--seed'|Unexpected argument 'extra')/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout).toBe("");
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("npm run prepare-data while a training run is open", () => {
  it("no model serves yet and a train job is queued (an admin's retrain, a restarted pod's run): it says so and finishes, exit 0", async () => {
    const { useTempDb } = await import("../helpers/temp-db");
    const { closeDb } = await import("@/lib/db");
    const { seedCatalog } = await import("@/lib/catalog/seed");
    const { runSimulation } = await import("@/lib/simulate/run");
    const { insertQueuedJob } = await import("@/lib/jobs/queue");
    const tmp = useTempDb();
    try {
      await seedCatalog();
      await runSimulation({ users: 40, seed: 5 });
      const { job } = await insertQueuedJob("train", { model: "ease", params: {}, force: false });
      await closeDb();
      const run = await runScript("prepare.ts", [], { env: { DATABASE_PATH: tmp.file, DATABASE_URL: tmp.url ?? undefined } });
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`model: none serves yet; training job #${job!.id} is queued and will provide one`);
    } finally {
      await tmp.cleanup();
    }
  }, 60_000);
});

describe("npm run prepare-data during an unfinished simulate --scale load", () => {
  it("a service's refusal it does not expect itself is still one error line, exit 1 (runCli)", async () => {
    const { useTempDb } = await import("../helpers/temp-db");
    const { closeDb, getDb } = await import("@/lib/db");
    const { resolveScaleOptions } = await import("@/lib/simulate/scale");
    const { runScaleSimulation } = await import("@/lib/simulate/scale-run");
    const tmp = useTempDb();
    try {
      // a load killed after it dropped the interaction indexes, before its first users were in:
      // no interactions, so prepare simulates its default users, and that upsert is refused
      const crash = new Error("killed");
      const options = resolveScaleOptions({ users: 200, items: 5000, interactions: 8000, seed: 3 });
      await expect(runScaleSimulation(options, { batchUsers: 100, onProgress: () => { throw crash; } })).rejects.toBe(crash);
      getDb().$client.exec("DELETE FROM interactions");
      await closeDb();
      const run = await runScript("prepare.ts", [], { env: { DATABASE_PATH: tmp.file, DATABASE_URL: undefined } });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(/^error: a `simulate --scale` bulk load into this database is unfinished .*re-run `npm run simulate -- --scale 8000 --seed 3` to finish it/);
    } finally {
      await tmp.cleanup();
    }
  }, 60_000);
});
