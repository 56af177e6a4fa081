import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promoteVersion } from "@/lib/mlops/actions";
import { getServingVersionId, hasCache, invalidateServingSnapshot, pruneOldCaches } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../../helpers/trained-db";

// A promotion racing a training run's cache pruning (an admin promotes an older version while a
// run finishes): the version that ends up serving must still have its cache.

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
