import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRunningExperiment } from "@/lib/experiments/queries";
import { createExperiment, stopExperiment } from "@/lib/experiments/service";
import { listModelEvents, promoteVersion } from "@/lib/mlops/actions";
import { count, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { itemNeighbors, recommendations, trainRuns } from "@/lib/db/schema";
import { createModelVersion, getServingVersionId, hasCache, invalidateServingSnapshot, listModelVersions, pruneOldCaches } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../../helpers/trained-db";

// Serving switches racing each other and a training run's cache pruning (an admin promotes an
// older version while a run finishes, two admins act at once): the version that ends up serving
// must still have its cache, and the audit trail and experiments must say what really happened.

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  invalidateServingSnapshot();
  tmp = await useTrainedDb({ users: 60, model: "popularity" }); // v1
  for (let i = 0; i < 3; i++) await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // v2..v4, v4 serves
}, 120_000);
afterAll(() => tmp.cleanup());

describe("promote during a prune", () => {
  it("never leaves a version serving without its cache", async () => {
    expect(await getServingVersionId()).toBe(4);
    expect(await hasCache(2)).toBe(true);
    // the prune would drop v2 (keeping the serving v4 and v3) while v2 is being promoted
    const [promote, dropped] = await Promise.allSettled([promoteVersion(2, { userId: null, label: "test" }), pruneOldCaches(2)]);
    const serving = await getServingVersionId();
    expect(await hasCache(serving!)).toBe(true);
    if (promote.status === "fulfilled") {
      expect(serving).toBe(2);
      expect(dropped.status === "fulfilled" && dropped.value).not.toContain(2);
    } else {
      expect(serving).toBe(4);
      expect((promote.reason as Error).message).toMatch(/cache was pruned/);
    }
  });
});

describe("a training run's prune while a sharded run is writing its caches", () => {
  it("leaves the caches of versions still in training alone (the sharded run would finalize without them)", async () => {
    // a sharded run in progress: its version is `training`, its shards have written some rows
    const version = await createModelVersion({ algorithm: "item-knn", params: {} });
    await getDb().insert(trainRuns).values({ id: "in-progress", modelVersionId: version.id, shards: 2, config: {} });
    await getDb().insert(itemNeighbors).values([{ modelVersionId: version.id, movieId: 11, rank: 1, neighborId: 12, score: 0.5 }]);
    await getDb().insert(recommendations).values([{ modelVersionId: version.id, userId: 2, rank: 1, movieId: 11, score: 0.5 }]);
    // meanwhile an ordinary run (an admin retrain, the drift check's) finishes and prunes
    await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true });
    const rows = async (table: typeof itemNeighbors | typeof recommendations) =>
      (await getDb().select({ n: count() }).from(table).where(eq(table.modelVersionId, version.id)))[0].n;
    expect(await rows(itemNeighbors)).toBe(1);
    expect(await rows(recommendations)).toBe(1);
  });
});

describe("two promotions at once", () => {
  it("the audit trail names the version each one actually replaced", async () => {
    const before = await getServingVersionId();
    const candidates = (await Promise.all([2, 3, 4, 5, 6].map(async (id) => ((await hasCache(id)) && id !== before ? id : null)))).filter((id): id is number => id !== null);
    const [a, b] = candidates;
    const results = await Promise.allSettled([promoteVersion(a, { userId: null, label: "admin a" }), promoteVersion(b, { userId: null, label: "admin b" })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const [second, first] = await listModelEvents(2); // newest first
    expect(first.fromVersionId).toBe(before);
    expect(second.fromVersionId).toBe(first.modelVersionId);
    expect(await getServingVersionId()).toBe(second.modelVersionId);
  });
});

describe("an experiment started during a prune", () => {
  it("never runs with an arm whose cache the prune dropped", async () => {
    const serving = (await getServingVersionId())!;
    const ready = (await listModelVersions(50)).filter((v) => v.status === "ready").map((v) => v.id); // newest first
    const cached = [];
    for (const id of ready.slice(1)) if (id !== serving && (await hasCache(id))) cached.push(id);
    const older = cached[0]; // neither serving nor the newest ready version: a prune keeping one drops it
    expect(older).toBeDefined();
    const [started] = await Promise.allSettled([
      createExperiment({ name: "race", primaryMetric: "watch_rate", arms: [{ versionId: serving, weight: 50 }, { versionId: older, weight: 50 }] }, { userId: null, label: "test" }),
      pruneOldCaches(1),
    ]);
    if (started.status === "fulfilled") expect(await hasCache(older)).toBe(true);
    else expect((started.reason as Error).message).toMatch(/cache was pruned/);
  });
});

describe("two admins stop one experiment at once, each promoting a different arm", () => {
  it("one wins; the version serving afterwards is the winner's arm", async () => {
    const running = await findRunningExperiment();
    if (running) await stopExperiment(running.id, {}, { userId: null, label: "test" });
    const serving = (await getServingVersionId())!;
    let other = 0;
    for (const v of await listModelVersions(50)) if (!other && v.status === "ready" && v.id !== serving && (await hasCache(v.id))) other = v.id;
    const experiment = await createExperiment(
      { name: "stop race", primaryMetric: "watch_rate", arms: [{ versionId: serving, weight: 50 }, { versionId: other, weight: 50 }] },
      { userId: null, label: "test" },
    );
    const results = await Promise.allSettled([
      stopExperiment(experiment.id, { promoteArm: "B" }, { userId: null, label: "admin 1" }),
      stopExperiment(experiment.id, { promoteArm: "A" }, { userId: null, label: "admin 2" }),
    ]);
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    const arm = won[0].experiment.arms.find((a) => a.key === won[0].experiment.winnerArm)!;
    expect(await getServingVersionId()).toBe(arm.versionId);
  });
});
