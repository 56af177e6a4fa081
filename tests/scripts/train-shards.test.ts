import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb } from "@/lib/db";
import { queryArrays } from "@/lib/db/raw";
import { itemNeighbors, modelVersions, trainRuns, trainShards } from "@/lib/db/schema";
import { getServingVersionId } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { and, count, eq } from "drizzle-orm";
import { runScript } from "../helpers/run-script";
import { useTempDb } from "../helpers/temp-db";

// Sharded training as operators run it: N `npm run train -- --shards N --shard I --run ID`
// processes at once (one of them given its index the Kubernetes way, JOB_COMPLETION_INDEX), then
// `--finalize`. The caches they write must be identical, row for row and bit for bit, to the
// caches of one process training the same data with the same options.

let tmp: ReturnType<typeof useTempDb>;

beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  await runSimulation({ users: 220, seed: 11 });
}, 120_000);

afterAll(() => tmp.cleanup());

type Caches = { neighbors: unknown[][]; recommendations: unknown[][] };

async function caches(versionId: number): Promise<Caches> {
  return {
    neighbors: await queryArrays("SELECT movie_id, rank, neighbor_id, score FROM item_neighbors WHERE model_version_id = ? ORDER BY movie_id, rank", [versionId]),
    recommendations: await queryArrays(
      "SELECT user_id, rank, movie_id, score, anchor_movie_id FROM recommendations WHERE model_version_id = ? ORDER BY user_id, rank",
      [versionId],
    ),
  };
}

async function runShards(runId: string, shards: number, options: string[]) {
  const runs = await Promise.all(
    Array.from({ length: shards }, (_, i) =>
      // the last shard takes its index from the environment, as an Indexed Job pod does
      i === shards - 1
        ? runScript("train.ts", [...options, "--shards", String(shards), "--run", runId], { env: { JOB_COMPLETION_INDEX: String(i) }, timeoutMs: 180_000 })
        : runScript("train.ts", [...options, "--shards", String(shards), "--shard", String(i), "--run", runId], { timeoutMs: 180_000 }),
    ),
  );
  for (const r of runs) expect(r.code, r.stderr).toBe(0);
  return runs;
}

async function versionOfRun(runId: string): Promise<number> {
  const [run] = await getDb().select().from(trainRuns).where(eq(trainRuns.id, runId));
  return run.modelVersionId;
}

describe("train --shards", () => {
  it("3 shard processes + finalize write exactly the single-process caches (item-knn) and switch serving", async () => {
    const options = ["--model", "item-knn", "--params", '{"neighbors":30}', "--neighbors", "30", "--top-n", "20", "--seed", "5"];
    const single = await runTraining({ model: "item-knn", params: { neighbors: 30 }, neighbors: 30, topN: 20, seed: 5, force: true });
    const expected = await caches(single.versionId);
    expect(expected.neighbors.length).toBeGreaterThan(1000);
    expect(expected.recommendations.length).toBeGreaterThan(1000);

    const shardRuns = await runShards("knn-3", 3, options);
    expect(shardRuns.map((r) => r.stdout).join("\n")).toMatch(/shard 2\/3/);
    const versionId = await versionOfRun("knn-3");
    expect(versionId).not.toBe(single.versionId);
    // Nothing serves the sharded version before finalize.
    expect(await getServingVersionId()).toBe(single.versionId);

    const fin = await runScript("train.ts", ["--finalize", "--run", "knn-3"], { timeoutMs: 60_000 });
    expect(fin.code, fin.stderr).toBe(0);
    expect(fin.stdout).toMatch(/promoted/);
    expect(await getServingVersionId()).toBe(versionId);

    const got = await caches(versionId);
    expect(got.neighbors).toEqual(expected.neighbors);
    expect(got.recommendations).toEqual(expected.recommendations);
    // The validation metrics are measured the same way too.
    const [row] = await queryArrays<[string]>("SELECT metrics FROM model_versions WHERE id = ?", [versionId]);
    const [ref] = await queryArrays<[string]>("SELECT metrics FROM model_versions WHERE id = ?", [single.versionId]);
    const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
    expect(parse(row[0])).toEqual(parse(ref[0]));

    // Finalizing again reports the same run instead of switching anything.
    const again = await runScript("train.ts", ["--finalize", "--run", "knn-3"], { timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already finalized/);
  }, 300_000);

  it("the default model (EASE, fitted in every shard) gives the same caches from 2 shards", async () => {
    const single = await runTraining({ topN: 15, neighbors: 20, force: true });
    await runShards("ease-2", 2, ["--top-n", "15", "--neighbors", "20"]);
    const fin = await runScript("train.ts", ["--finalize", "--run", "ease-2", "--force"], { timeoutMs: 60_000 });
    expect(fin.code, fin.stderr).toBe(0);
    const got = await caches(await versionOfRun("ease-2"));
    const expected = await caches(single.versionId);
    expect(got.neighbors).toEqual(expected.neighbors);
    expect(got.recommendations).toEqual(expected.recommendations);
  }, 300_000);

  it("a shard killed at the barrier and started again (a Job retrying its pod) still gives the single-process caches", async () => {
    const options = ["--model", "item-knn", "--params", '{"neighbors":25}', "--neighbors", "25", "--top-n", "12"];
    const single = await runTraining({ model: "item-knn", params: { neighbors: 25 }, neighbors: 25, topN: 12, force: true });
    // Shard 1 alone: it writes its neighbour rows, then waits at the barrier for shard 0 ...
    let child: ChildProcess | undefined;
    const first = runScript("train.ts", [...options, "--shards", "2", "--shard", "1", "--run", "retry"], {
      timeoutMs: 120_000,
      onStderr: (_all, c) => (child = c),
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await queryArrays<[string]>("SELECT phase FROM train_shards WHERE run_id = 'retry' AND shard = 1");
      if (row?.[0] === "neighbors") break;
      if (Date.now() > deadline) throw new Error("shard 1 never reached the barrier");
      await new Promise((r) => setTimeout(r, 200));
    }
    // ... where it is killed outright.
    process.kill(-child!.pid!, "SIGKILL");
    expect((await first).signal).toBe("SIGKILL");
    // The retry deletes its range's rows before writing them again; shard 0 runs alongside.
    await runShards("retry", 2, options);
    const fin = await runScript("train.ts", ["--finalize", "--run", "retry", "--force"], { timeoutMs: 60_000 });
    expect(fin.code, fin.stderr).toBe(0);
    const got = await caches(await versionOfRun("retry"));
    const expected = await caches(single.versionId);
    expect(got.neighbors).toEqual(expected.neighbors);
    expect(got.recommendations).toEqual(expected.recommendations);
  }, 300_000);

  it("finalize refuses an incomplete run, and a shard refuses options that differ from its run's", async () => {
    const serving = await getServingVersionId();
    // One shard of two alone waits at the barrier; it is given a short one and fails clearly.
    const lone = await runScript("train.ts", ["--top-n", "10", "--shards", "2", "--shard", "0", "--run", "lonely"], {
      env: { MATINEE_TRAIN_BARRIER_MS: "1500" },
      timeoutMs: 120_000,
    });
    expect(lone.code).not.toBe(0);
    expect(lone.stderr).toMatch(/timed out waiting for the other shards of run lonely/);
    const fin = await runScript("train.ts", ["--finalize", "--run", "lonely"], { timeoutMs: 60_000 });
    expect(fin.code).not.toBe(0);
    expect(fin.stderr).toMatch(/shard 0 of run lonely failed/);
    expect(await getServingVersionId()).toBe(serving);

    const other = await runScript("train.ts", ["--top-n", "11", "--shards", "2", "--shard", "1", "--run", "lonely"], { timeoutMs: 60_000 });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/training run lonely is already failed/);

    const bad = await runScript("train.ts", ["--shards", "2", "--shard", "2", "--run", "x"], { timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard must be below --shards \(2\)/);
    const noRun = await runScript("train.ts", ["--shards", "2", "--shard", "0"], { env: { TRAIN_RUN_ID: undefined }, timeoutMs: 60_000 });
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/needs a run id/);
  }, 300_000);
});

/** A run's status and error, its version's status, and how many neighbour rows the version has. */
async function runState(runId: string) {
  const [run] = await getDb().select().from(trainRuns).where(eq(trainRuns.id, runId));
  const [version] = await getDb().select({ status: modelVersions.status }).from(modelVersions).where(eq(modelVersions.id, run.modelVersionId));
  const [rows] = await getDb().select({ n: count() }).from(itemNeighbors).where(eq(itemNeighbors.modelVersionId, run.modelVersionId));
  return { run: run.status, error: run.error, version: version.status, neighborRows: rows.n };
}

async function waitForPhase(runId: string, shard: number, phase: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await getDb().select({ phase: trainShards.phase }).from(trainShards).where(and(eq(trainShards.runId, runId), eq(trainShards.shard, shard)));
    if (row?.phase === phase) return;
    if (Date.now() > deadline) throw new Error(`shard ${shard} of ${runId} never reached ${phase}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("train --shards: a run nobody can finish", () => {
  const small = ["--model", "item-knn", "--params", '{"neighbors":10}', "--neighbors", "10", "--top-n", "5"];
  const plainRun = () => runScript("train.ts", ["--model", "popularity", "--top-n", "5", "--neighbors", "5"], { timeoutMs: 120_000 });

  it("a lone shard whose barrier expired: the next npm run train marks the run failed and deletes its rows (the QA repro)", async () => {
    const lone = await runScript("train.ts", [...small, "--shards", "2", "--shard", "0", "--run", "orphan"], { env: { MATINEE_TRAIN_BARRIER_MS: "1500" }, timeoutMs: 120_000 });
    expect(lone.code, lone.stderr).toBe(1);
    expect(lone.stderr).toMatch(/timed out waiting for the other shards of run orphan/);
    // what the QA pass found: left running, its version training, its partial rows kept
    expect(await runState("orphan")).toMatchObject({ run: "running", version: "training", neighborRows: expect.any(Number) });
    expect((await runState("orphan")).neighborRows).toBeGreaterThan(0);

    const next = await plainRun();
    expect(next.code, next.stderr).toBe(0);
    expect(await runState("orphan")).toEqual({
      run: "failed",
      error: expect.stringMatching(/^abandoned: no shard of it is running \(shard 0 failed: timed out waiting for the other shards of run orphan/),
      version: "failed",
      neighborRows: 0,
    });
    const fin = await runScript("train.ts", ["--finalize", "--run", "orphan"], { timeoutMs: 60_000 });
    expect(fin.code).toBe(1);
    expect(fin.stderr).toMatch(/^error: training run orphan failed \(abandoned: no shard of it is running/);
  }, 300_000);

  it("a shard alive at the barrier keeps its run through another training run; --abort ends it, and the shard stops", async () => {
    let child: ChildProcess | undefined;
    const shard1 = runScript("train.ts", [...small, "--shards", "2", "--shard", "1", "--run", "live"], { timeoutMs: 180_000, onStderr: (_all, c) => (child = c) });
    // should a check below fail, the shard must not outlive this file waiting at its barrier for an hour
    onTestFinished(() => {
      if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    });
    await waitForPhase("live", 1, "neighbors");
    // its heartbeat comes from a thread of its own while the main thread waits (or computes)
    await getDb().update(trainShards).set({ heartbeatAt: 1 }).where(eq(trainShards.runId, "live"));
    const beatBy = Date.now() + 20_000;
    while ((await getDb().select({ at: trainShards.heartbeatAt }).from(trainShards).where(eq(trainShards.runId, "live")))[0].at === 1) {
      if (Date.now() > beatBy) throw new Error("no heartbeat from shard 1 in 20 s");
      await new Promise((r) => setTimeout(r, 250));
    }

    // another training run meanwhile leaves it alone: it may still finish (its peer may come)
    const other = await plainRun();
    expect(other.code, other.stderr).toBe(0);
    const live = await runState("live");
    expect(live).toMatchObject({ run: "running", version: "training" });
    expect(live.neighborRows).toBeGreaterThan(0);

    // the orchestrator gives up on it (run.sh: the shards Job failed)
    const abort = await runScript("train.ts", ["--abort", "--run", "live"], { timeoutMs: 60_000 });
    expect(abort.code, abort.stderr).toBe(0);
    expect(abort.stdout).toMatch(/^training run live: aborted; model version \d+ failed, its cache rows deleted$/m);
    const stopped = await shard1;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/error: training run live was marked failed \(aborted with npm run train -- --abort\) while shard 1 worked on it; start a new run/);
    expect(await runState("live")).toEqual({ run: "failed", error: "aborted with npm run train -- --abort", version: "failed", neighborRows: 0 });

    const [late, again, unknown, stray] = await Promise.all([
      runScript("train.ts", [...small, "--shards", "2", "--shard", "0", "--run", "live"], { timeoutMs: 60_000 }),
      runScript("train.ts", ["--abort", "--run", "live"], { timeoutMs: 60_000 }),
      runScript("train.ts", ["--abort", "--run", "nope"], { timeoutMs: 60_000 }),
      runScript("train.ts", ["--abort", "--run", "live", "--force"], { timeoutMs: 60_000 }),
    ]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/training run live is already failed \(aborted with npm run train -- --abort\)/);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/training run live: already failed \(model version \d+\); nothing to do/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: there is no training run "nope"\n$/);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^error: --force does not apply to --abort/);
  }, 300_000);
});
