import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { itemNeighbors, modelEvents, type ModelVersion } from "@/lib/db/schema";
import { getModelsForAdmin, listModelEvents, pickRollbackTarget, promoteVersion, rollbackServing, switchServing } from "@/lib/mlops/actions";
import { getModelVersion, getServingVersionId } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../../helpers/trained-db";

type V = Pick<ModelVersion, "id" | "status" | "stage" | "finishedAt" | "createdAt">;
type E = { modelVersionId: number; fromVersionId: number | null; action: "promote" | "rollback"; at: number };

// Version n finished training at time n * 100; events happen at the times given.
const v = (id: number, stage: V["stage"], status: V["status"] = "ready"): V => ({ id, stage, status, finishedAt: id * 100, createdAt: id * 100 - 50 });
const pick = (versions: V[], events: E[], servingId: number, cached = (_id: number) => true) =>
  pickRollbackTarget({ versions, events, servingId, hasCache: cached }).id;

describe("pickRollbackTarget", () => {
  it("goes back to the version that served before, when training promoted each in turn", () => {
    expect(pick([v(1, "archived"), v(2, "archived"), v(3, "production")], [], 3)).toBe(2);
  });

  it("walks further back on a second rollback, never back to the version just rolled away from", () => {
    const versions = [v(1, "archived"), v(2, "production"), v(3, "archived")];
    const events: E[] = [{ modelVersionId: 2, fromVersionId: 3, action: "rollback", at: 1000 }];
    expect(pick(versions, events, 2)).toBe(1);
  });

  it("follows the real serving order, not version numbers, after a person promoted an older version", () => {
    // v3 served, then an admin promoted v1, then v2: the previous production version is v1.
    const versions = [v(1, "archived"), v(2, "production"), v(3, "archived")];
    const events: E[] = [
      { modelVersionId: 1, fromVersionId: 3, action: "promote", at: 1000 },
      { modelVersionId: 2, fromVersionId: 1, action: "promote", at: 2000 },
    ];
    expect(pick(versions, events, 2)).toBe(1);
  });

  it("dates a switch the trail does not know (CLI training) by the finish of the version that took over", () => {
    // v3 served, an admin promoted v1 at t=1000, then `npm run train` finished v4 at t=1500 and promoted it.
    const versions = [v(1, "archived"), v(2, "archived"), v(3, "archived"), { ...v(4, "production"), finishedAt: 1500 }];
    const events: E[] = [{ modelVersionId: 1, fromVersionId: 3, action: "promote", at: 1000 }];
    expect(pick(versions, events, 4)).toBe(1);
  });

  it("skips versions that never served, failed, or lost their cache", () => {
    const versions = [v(1, "archived"), v(2, "archived"), v(3, "candidate"), v(4, "candidate", "failed"), v(5, "production")];
    expect(pick(versions, [], 5)).toBe(2);
    expect(pick(versions, [], 5, (id) => id !== 2)).toBe(1);
    expect(pick(versions, [], 5, () => false)).toBeNull();
    expect(pick([v(1, "production")], [], 1)).toBeNull();
  });

  it("considers a rolled-back version again once someone promotes it again", () => {
    const versions = [v(1, "archived"), v(2, "production"), v(3, "archived")];
    const events: E[] = [
      { modelVersionId: 2, fromVersionId: 3, action: "rollback", at: 1000 },
      { modelVersionId: 3, fromVersionId: 2, action: "promote", at: 2000 },
      { modelVersionId: 2, fromVersionId: 3, action: "promote", at: 3000 },
    ];
    expect(pick(versions, events, 2)).toBe(3);
  });
});

describe("promoteVersion / rollbackServing on a real registry", () => {
  let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
  const alice = { userId: null, label: "cli:alice" };
  beforeAll(async () => {
    tmp = await useTrainedDb({ users: 120, model: "popularity" });
    await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // v2
    await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // v3
  });
  afterAll(() => tmp.cleanup());

  it("rolls back one serving version at a time, instantly, and records each switch", async () => {
    expect(await getServingVersionId()).toBe(3);
    expect(await rollbackServing(alice)).toMatchObject({ servingVersion: 2, previousVersion: 3, event: { action: "rollback", actorLabel: "cli:alice" } });
    expect(await getServingVersionId()).toBe(2);
    expect(await getModelVersion(3)).toMatchObject({ stage: "archived" });
    expect(await rollbackServing(alice)).toMatchObject({ servingVersion: 1, previousVersion: 2 });
    // v3 and v2 still have their caches, but each was rolled back away from: the refusal says so
    await expect(rollbackServing(alice)).rejects.toMatchObject({
      code: "conflict",
      message: "There is no earlier production version to roll back to: version 3 and version 2 were rolled back away from, and a rollback skips them. Promote one to serve it again.",
    });
    // the Models page's disabled button says the same (was: "No earlier production version still has its cache")
    expect(await getModelsForAdmin()).toMatchObject({
      rollbackTarget: null,
      noRollbackReason: "There is no earlier production version to roll back to: version 3 and version 2 were rolled back away from, and a rollback skips them. Promote one to serve it again.",
    });
    expect(await getServingVersionId()).toBe(1);
  });

  it("promotes a ready version, after which rollback returns to the one it replaced", async () => {
    expect(await promoteVersion(3, alice)).toMatchObject({ servingVersion: 3, previousVersion: 1, event: { action: "promote", fromVersionId: 1 } });
    expect((await rollbackServing(alice)).servingVersion).toBe(1);
    const trail = await listModelEvents();
    expect(trail.map((e) => [e.action, e.fromVersionId, e.modelVersionId])).toEqual([
      ["rollback", 3, 1],
      ["promote", 1, 3],
      ["rollback", 2, 1],
      ["rollback", 3, 2],
      // the training gate's own promotions (v1 by useTrainedDb, then v2 and v3)
      ["promote", 2, 3],
      ["promote", 1, 2],
      ["promote", null, 1],
    ]);
    expect(trail.at(-1)?.actorLabel).toBe("training gate (npm run train)");
  });

  it("refuses to promote an unknown version, the serving one, or one whose cache was pruned", async () => {
    await expect(promoteVersion(99, alice)).rejects.toMatchObject({ code: "not_found" });
    await expect(promoteVersion(1, alice)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/already serving/) });
    await getDb().delete(itemNeighbors).where(eq(itemNeighbors.modelVersionId, 2));
    await expect(promoteVersion(2, alice)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/pruned/) });
    expect(await getServingVersionId()).toBe(1);
    expect(await getDb().select().from(modelEvents)).toHaveLength(7);
  });

  it("refuses a rollback whose target is not the one the caller saw, and one another switch overtook; nothing switches", async () => {
    expect((await promoteVersion(3, alice)).servingVersion).toBe(3); // the rollback target is v1 again
    const events = (await getDb().select().from(modelEvents)).length;
    // a page showed "Roll back to v2" before someone else switched versions
    await expect(rollbackServing(alice, { to: 2 })).rejects.toMatchObject({
      code: "conflict",
      message: "A rollback would now serve version 1, not version 2 (version 3 serves now); nothing was switched.",
    });
    // chosen while v2 served, made after another switch: refused inside the switch's transaction
    await expect(switchServing(1, "rollback", alice, 2)).rejects.toMatchObject({
      code: "conflict",
      message: "Serving changed while this rollback was being made (version 3 serves now); nothing was switched.",
    });
    expect(await getServingVersionId()).toBe(3);
    expect(await getDb().select().from(modelEvents)).toHaveLength(events);
    expect(await rollbackServing(alice, { to: 1 })).toMatchObject({ servingVersion: 1, previousVersion: 3 });
    // with nothing left to roll back to, a `to` gets the reason there is none
    await expect(rollbackServing(alice, { to: 3 })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/^There is no earlier production version to roll back to: version 3 was rolled back away from/) });
  });
});
