import { spawn } from "node:child_process";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db";
import { experimentClicks, experimentImpressions } from "@/lib/db/schema";
import { getExperimentReport } from "@/lib/experiments/service";
import { promoteModelVersion } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../helpers/trained-db";

// `npm run simulate -- --traffic N` end to end: the real script in a child process against a
// temporary database with simulated users (seed 7) and two trained versions.

type Run = { code: number | null; stdout: string; stderr: string };
let tmp: Awaited<ReturnType<typeof useTrainedDb>>;

beforeAll(async () => {
  tmp = await useTrainedDb({ users: 200, model: "item-knn" }); // v1
  await runTraining({ model: "popularity", topN: 30, neighbors: 30, force: true }); // v2
  await promoteModelVersion(1);
  closeDb(); // the child process writes; reopen afterwards
}, 120_000);
afterAll(() => tmp.cleanup());

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts", "simulate.ts"), ...args], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run simulate -- --traffic", () => {
  it("says clearly when no experiment runs, and rejects bad flags", async () => {
    const [none, zero, badVersions, unknownVersion] = await Promise.all([
      run(["--traffic", "20", "--seed", "7"]),
      run(["--traffic", "0"]),
      run(["--traffic", "20", "--versions", "1"]),
      run(["--traffic", "20", "--versions", "1,99"]),
    ]);
    // a version that does not exist is a bad argument (exit 2, as `npm run models -- promote 99`)
    expect(unknownVersion.code).toBe(2);
    expect(unknownVersion.stderr).toMatch(/^error: There is no model version 99\./m);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no A\/B experiment is running: start one on \/admin\/experiments, or pass --versions/);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--traffic/);
    expect(badVersions.code).toBe(2);
    expect(badVersions.stderr).toMatch(/--versions/);
  }, 60_000);

  it("starts an experiment, sends visits through it, and the arms differ the way the models do", async () => {
    const res = await run(["--traffic", "800", "--versions", "1,2", "--split", "50,50", "--seed", "7", "--json"]);
    expect(res.stderr).toMatch(/simulate --traffic/);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ experimentId: 1, startedExperiment: true, visits: 800 });
    const [a, b] = summary.arms;
    expect(a.visits + b.visits + summary.fallbackVisits).toBe(800);
    expect(Math.abs(a.visits - b.visits)).toBeLessThan(200); // a 50/50 split over ~200 users

    // What the run says it did is what the database holds.
    const db = getDb();
    const [shown] = await db.select({ n: count() }).from(experimentImpressions);
    expect(shown.n).toBe(a.shown + b.shown);
    const [clicks] = await db.select({ n: count() }).from(experimentClicks);
    expect(clicks.n).toBe(a.clicks + b.clicks);
    const report = await getExperimentReport(1);
    expect(report.arms.map((arm) => arm.watches)).toEqual([a.watches, b.watches]);
    // Personalised picks (item-knn) match the simulated tastes better than popularity does.
    expect(report.arms[0].watchRate!.rate).toBeGreaterThan(report.arms[1].watchRate!.rate);
    expect(report.arms[1].vsControl!.watchRate!.pValue).toBeLessThan(0.05);
    closeDb();

    // A second start while it runs is refused; plain traffic joins the running experiment.
    const [again, more] = await Promise.all([
      run(["--traffic", "10", "--versions", "1,2", "--seed", "7"]),
      run(["--traffic", "30", "--seed", "7"]),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/experiment 1 is already running/);
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(/^experiment #1: 30 visits/);
    expect(more.stdout).toMatch(/A v1: \d+ impressions, \d+ pairs, CTR [\d.]+% \[[\d.]+–[\d.]+\]/);
    // p-values as the admin report writes them, not raw floats (3.12e-17)
    expect(more.stdout).toMatch(/A v1: .* \(control\)$/m);
    expect(more.stdout).toMatch(/B v2: .*; vs control: CTR (p < 0\.0001|p = [01]\.\d{4}|—), watch rate (p < 0\.0001|p = [01]\.\d{4})$/m);
    expect(more.stdout).not.toMatch(/e-\d/);
  }, 120_000);
});
