import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollbackServing } from "@/lib/mlops/actions";
import { getServingVersionId, hasCache, invalidateServingSnapshot } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../../helpers/trained-db";

// Training prunes the caches of all but the serving version and the 3 newest ready ones "so a
// rollback to a recent version is instant". Candidates the gate kept count among those 3: three
// rejected experiments must not take the rollback target's cache with them.

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  invalidateServingSnapshot();
  tmp = await useTrainedDb({ users: 60, model: "popularity" }); // v1
}, 120_000);
afterAll(() => tmp.cleanup());

describe("rollback after candidate runs", () => {
  it("the previous production version keeps its cache through three runs the gate refused", async () => {
    await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // v2 serves, v1 is the rollback target
    expect(await getServingVersionId()).toBe(2);
    // tolerance -1: the gate refuses even an equal nDCG, so each run is kept as a candidate
    for (let i = 0; i < 3; i++) expect((await runTraining({ model: "popularity", topN: 10, neighbors: 10, tolerance: -1 })).promoted).toBe(false);
    expect(await hasCache(1)).toBe(true);
    const back = await rollbackServing({ userId: null, label: "test" });
    expect(back).toMatchObject({ servingVersion: 1, previousVersion: 2 });
  });
});
