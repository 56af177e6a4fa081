import os from "node:os";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { itemNeighbors, jobs, modelVersions, recommendations, trainRuns, trainShards, type TrainShard } from "@/lib/db/schema";
import { cleanUpAbandonedVersions, createModelVersion, getModelVersion, pruneOldCaches } from "@/lib/mlops/registry";
import { getModelsForAdmin } from "@/lib/mlops/actions";
import { listModelsForApi } from "@/lib/mlops/api";
import { listRuns } from "@/lib/mlops/runs";
import { abortTrainingRun } from "@/lib/recs/shards";
import { deadPid, leaveJobRunning } from "../../helpers/abandoned-job";
import { useTempDb } from "../../helpers/temp-db";

// A sharded training run (lib/recs/shards.ts) whose shards all died or failed (a barrier that
// expired leaves its shard failed) is abandoned: the next training run's sweep marks it failed and
// deletes its rows; they used to stay `training` with their rows until someone ran --finalize. A
// run with a shard alive — its process on this host, or a fresh heartbeat from another machine —
// is never touched, nor one whose shards are all done (finalize's turn). The shards here are rows
// as the shard processes write them; tests/scripts/train-shards.test.ts runs the real processes.

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const here = os.hostname();
const MIN = 60_000;

type ShardRow = Partial<TrainShard> & { phase: TrainShard["phase"] };

/** A run of `shards.length` shards with these rows (undefined: that shard never joined), each with a neighbour and a recommendation row. */
async function run(id: string, shards: (ShardRow | undefined)[], createdAgo = 0) {
  const version = await createModelVersion({ algorithm: "item-knn", params: {} });
  await getDb().insert(trainRuns).values({ id, modelVersionId: version.id, shards: shards.length, config: {}, createdAt: Date.now() - createdAgo });
  for (const [shard, row] of shards.entries()) {
    if (row) await getDb().insert(trainShards).values({ runId: id, shard, dataChecksum: "c", updatedAt: Date.now(), ...row });
  }
  await getDb().insert(itemNeighbors).values({ modelVersionId: version.id, movieId: 11, rank: 1, neighborId: 12, score: 0.5 });
  await getDb().insert(recommendations).values({ modelVersionId: version.id, userId: 2, rank: 1, movieId: 11, score: 0.5 });
  return version.id;
}

const elsewhere = (heartbeatAgo: number): Partial<TrainShard> => ({ workerHost: "shard-pod-7f9c", workerPid: 1, startedAt: Date.now() - 10 * MIN, heartbeatAt: Date.now() - heartbeatAgo });
// (recorded once the process ran: a process that started after the record has only been given its pid)
const onThisHost = (pid: number, heartbeatAgo = 10 * MIN): Partial<TrainShard> => ({ workerHost: here, workerPid: pid, startedAt: Date.now(), heartbeatAt: Date.now() - heartbeatAgo });

async function state(runId: string, versionId: number) {
  const [r] = await getDb().select().from(trainRuns).where(eq(trainRuns.id, runId));
  const rows = async (table: typeof itemNeighbors | typeof recommendations) => (await getDb().select({ n: count() }).from(table).where(eq(table.modelVersionId, versionId)))[0].n;
  return { run: r.status, error: r.error, version: (await getModelVersion(versionId))?.status, neighbors: await rows(itemNeighbors), recommendations: await rows(recommendations) };
}

const kept = { run: "running", error: null, version: "training", neighbors: 1, recommendations: 1 };
const failed = (error: RegExp | string) => ({ run: "failed", error: typeof error === "string" ? error : expect.stringMatching(error), version: "failed", neighbors: 0, recommendations: 0 });

describe("sharded runs nobody can finish", () => {
  it("are failed by the next training run's sweep with why, their rows deleted; runs that may still finish are left alone", async () => {
    const dead = deadPid();
    const v = {
      // the QA repro: one shard of two, its barrier expired (it recorded itself failed), the other never came
      barrierExpired: await run("barrier-expired", [{ phase: "failed", error: "timed out waiting for the other shards of run barrier-expired (have 0 of 0..1); all shards must run at once" }, undefined]),
      // killed (Ctrl-C, kill -9) on this host: its pid is gone, however fresh its last heartbeat
      killedHere: await run("killed-here", [{ phase: "neighbors", ...onThisHost(dead, 0) }, { phase: "failed", error: "boom" }]),
      // killed on another machine: no heartbeat for two minutes (a live shard beats every 10 s)
      silentElsewhere: await run("silent-elsewhere", [{ phase: "running", ...elsewhere(2 * MIN) }, { phase: "neighbors", ...elsewhere(3 * MIN) }]),
      // rows written before shards recorded their process: judged by their last write
      legacyStale: await run("legacy-stale", [{ phase: "running", updatedAt: Date.now() - 5 * MIN }]),
      neverJoined: await run("never-joined", [undefined, undefined], 5 * MIN),

      // in progress on another machine: a fresh heartbeat (a peer waits for the failed shard's retry)
      aliveElsewhere: await run("alive-elsewhere", [{ phase: "neighbors", ...elsewhere(15_000) }, { phase: "failed", error: "OOMKilled" }]),
      // alive on this host however quiet: its process runs (this one)
      aliveHere: await run("alive-here", [{ phase: "running", ...onThisHost(process.pid, 10 * MIN) }, undefined]),
      // every shard done: waiting for --finalize
      complete: await run("complete", [{ phase: "done", ...onThisHost(dead) }, { phase: "done", ...elsewhere(30 * MIN) }]),
      justCreated: await run("just-created", [undefined, undefined]),
      legacyFresh: await run("legacy-fresh", [{ phase: "running", updatedAt: Date.now() - 20_000 }, undefined]),
    };

    // a job's own sweep (failStaleJobs) looks only at that job's version
    expect(await cleanUpAbandonedVersions({ jobId: 1 })).toBe(0);
    expect(await state("barrier-expired", v.barrierExpired)).toEqual(kept);

    expect(await cleanUpAbandonedVersions()).toBe(5);
    expect(await state("barrier-expired", v.barrierExpired)).toEqual(
      failed("abandoned: no shard of it is running (shard 0 failed: timed out waiting for the other shards of run barrier-expired (have 0 of 0..1); all shards must run at once)"),
    );
    expect(await state("killed-here", v.killedHere)).toEqual(failed(`abandoned: no shard of it is running (shard 0's process ${dead} is gone; shard 1 failed: boom)`));
    expect(await state("silent-elsewhere", v.silentElsewhere)).toEqual(failed(/^abandoned: no shard of it is running \(shard 0 sent no heartbeat for 1\d\d s; shard 1 sent no heartbeat for 1\d\d s\)$/));
    expect(await state("legacy-stale", v.legacyStale)).toEqual(failed(/shard 0 sent no heartbeat for 300 s/));
    expect(await state("never-joined", v.neverJoined)).toEqual(failed("abandoned: no shard of it ever ran"));
    for (const [id, version] of [["alive-elsewhere", v.aliveElsewhere], ["alive-here", v.aliveHere], ["complete", v.complete], ["just-created", v.justCreated], ["legacy-fresh", v.legacyFresh]] as const) {
      expect(await state(id, version), id).toEqual(kept);
    }
    // the kept versions keep their caches through the prune a training run ends with
    await pruneOldCaches(3);
    expect((await state("alive-elsewhere", v.aliveElsewhere)).neighbors).toBe(1);

    // the runs list says why (a sharded run has no job whose error would)
    const listed = (await listRuns()).items.find((r) => r.id === v.barrierExpired);
    expect(listed).toMatchObject({ status: "failed", outcome: expect.stringMatching(/^abandoned: no shard of it is running \(shard 0 failed: timed out waiting/) });
  });

  it("listing runs settles them too, as it settles a killed worker's job", async () => {
    const version = await run("listed", [{ phase: "failed", error: "timed out waiting for the other shards of run listed" }, undefined]);
    const listed = (await listRuns()).items.find((r) => r.id === version);
    expect(listed).toMatchObject({ status: "failed", outcome: expect.stringMatching(/^abandoned: no shard of it is running \(shard 0 failed: timed out/) });
    expect(await state("listed", version)).toMatchObject({ run: "failed", neighbors: 0 });
  });

  it("listing model versions (the API and the CLI's list, the admin Models page) settles them, and a killed worker's version", async () => {
    const sharded = await run("models-listed", [{ phase: "failed", error: "timed out waiting for the other shards of run models-listed" }, undefined]);
    const killedJob = await leaveJobRunning("train");
    const killedWorker = (await createModelVersion({ algorithm: "ease", params: {}, jobId: killedJob.id })).id;
    const api = await listModelsForApi({ limit: 100 });
    expect(api.items.find((v) => v.id === sharded)?.status).toBe("failed");
    expect(api.items.find((v) => v.id === killedWorker)?.status).toBe("failed");
    expect(await state("models-listed", sharded)).toMatchObject({ run: "failed", neighbors: 0 });

    const sharded2 = await run("admin-listed", [{ phase: "failed", error: "timed out waiting for the other shards of run admin-listed" }, undefined]);
    const killedWorker2 = (await createModelVersion({ algorithm: "ease", params: {}, jobId: (await leaveJobRunning("train")).id })).id;
    const admin = await getModelsForAdmin();
    expect(admin.versions.find((v) => v.id === sharded2)?.status).toBe("failed");
    expect(admin.versions.find((v) => v.id === killedWorker2)?.status).toBe("failed");
  });

  it("a killed worker's version ran until its job's last heartbeat: that is its duration, not 'unknown'", async () => {
    const job = await leaveJobRunning("train");
    const version = await createModelVersion({ algorithm: "ease", params: {}, jobId: job.id });
    const started = (await getModelVersion(version.id))!.createdAt;
    await getDb().update(jobs).set({ heartbeatAt: started + 42_000 }).where(eq(jobs.id, job.id));
    const listed = (await listRuns()).items.find((r) => r.id === version.id);
    expect(listed).toMatchObject({ status: "failed", durationMs: 42_000 });
    // a version with no job has no last sign of life: its duration stays unknown
    const orphan = await createModelVersion({ algorithm: "ease", params: {} });
    await cleanUpAbandonedVersions();
    expect(await getModelVersion(orphan.id)).toMatchObject({ status: "failed", durationMs: null });
  });

  it("--abort fails a run whatever its shards' state, but not one finalize got to", async () => {
    const alive = await run("abort-alive", [{ phase: "neighbors", ...elsewhere(5_000) }, undefined]);
    expect(await abortTrainingRun("abort-alive")).toEqual({ runId: "abort-alive", versionId: alive, alreadyFailed: false });
    expect(await state("abort-alive", alive)).toEqual(failed("aborted with npm run train -- --abort"));
    expect(await abortTrainingRun("abort-alive")).toMatchObject({ alreadyFailed: true });

    // finalized: it may serve, so rolling back is the way
    const done = await run("abort-finalized", [{ phase: "done" }]);
    await getDb().update(trainRuns).set({ status: "finalized" }).where(eq(trainRuns.id, "abort-finalized"));
    await expect(abortTrainingRun("abort-finalized")).rejects.toThrow(/^training run abort-finalized is finalized \(model version \d+\); to stop serving it, roll back/);
    // finalize has completed the version but not yet recorded the run: the version is left whole
    const racing = await run("abort-racing", [{ phase: "done" }]);
    await getDb().update(modelVersions).set({ status: "ready" }).where(eq(modelVersions.id, racing));
    await expect(abortTrainingRun("abort-racing")).rejects.toThrow(/is being finalized .* --finalize --run abort-racing to finish it/);
    expect(await state("abort-racing", racing)).toEqual({ ...kept, version: "ready" });
    expect((await state("abort-finalized", done)).neighbors).toBe(1);
    await expect(abortTrainingRun("no-such-run")).rejects.toThrow(/there is no training run "no-such-run"/);
  });
});
