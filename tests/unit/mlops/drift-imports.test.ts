import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb, transaction } from "@/lib/db";
import { upsertInteractions } from "@/lib/interactions/queries";
import { interactions, movies, users } from "@/lib/db/schema";
import { computeDrift } from "@/lib/mlops/drift";
import { getServingVersion, invalidateServingSnapshot } from "@/lib/mlops/registry";
import { changedSignal } from "../../helpers/changed-interaction";
import { useTrainedDb } from "../../helpers/trained-db";

// An import keeps its rows' own times, usually older than the training data's newest. Those rows
// are still new to the serving model: drift must count them as recent, not fold them into the
// baseline the model was trained on (which it did when it split by time alone).

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  invalidateServingSnapshot();
  tmp = await useTrainedDb({ users: 150, model: "popularity" });
}, 120_000);
afterAll(() => tmp.cleanup());

describe("computeDrift after an import of old-dated rows", () => {
  it("counts the imported rows as recent and leaves the baseline as trained", async () => {
    const db = getDb();
    const serving = await getServingVersion();
    const snapshot = serving!.snapshot as { interactions: number; maxInteractionId?: number };
    expect(snapshot.maxInteractionId).toBeGreaterThan(0);
    const before = await computeDrift();
    expect(before.recentInteractions).toBe(0);
    expect(before.baselineInteractions).toBe(snapshot.interactions);

    const catalog = (await db.select({ id: movies.id }).from(movies).limit(12)).map((m) => m.id);
    const longAgo = Date.UTC(2015, 0, 1);
    let imported = 0;
    for (let u = 0; u < 30; u++) {
      const [user] = await db.insert(users).values({ name: `imported ${u}`, source: "imported", externalId: `ml:${u}` }).returning();
      const rows = catalog.slice(0, 10).map((movieId, i) => ({ userId: user.id, movieId, kind: "rating" as const, value: 4, source: "imported" as const, createdAt: longAgo + i }));
      await db.insert(interactions).values(rows);
      imported += rows.length;
    }
    const after = await computeDrift();
    expect(after.recentInteractions).toBe(imported);
    expect(after.baselineInteractions).toBe(snapshot.interactions);
    // 30 users the model never saw: the activity axis shows them
    expect(after.psi!.activity).toBeGreaterThan(0.25);
    expect(after.trainedInteractions).toBe(snapshot.interactions);
  });

  it("counts a training row an import changes in what training reads as new, and says how much of the training data is left", async () => {
    const serving = await getServingVersion();
    const snapshot = serving!.snapshot as { interactions: number };
    const before = await computeDrift();
    // the oldest watch, a second later (still older than the training data's newest): training
    // would read it differently (its time)
    const [watched] = await getDb()
      .select()
      .from(interactions)
      .where(and(eq(interactions.source, "simulated"), eq(interactions.kind, "watch")))
      .orderBy(asc(interactions.createdAt))
      .limit(1);
    expect(watched.createdAt + 1000).toBeLessThan(Number(serving!.snapshot.maxCreatedAt));
    await transaction((tx) => upsertInteractions(tx, [{ ...watched, source: "imported", createdAt: watched.createdAt + 1000 }]));
    const after = await computeDrift();
    expect(after.baselineInteractions).toBe(before.baselineInteractions - 1);
    expect(after.recentInteractions).toBe(before.recentInteractions + 1);
    expect(after.trainedInteractions).toBe(snapshot.interactions);
  });

  it("leaves a training row whose stars or watch seconds change in the baseline: training never reads those", async () => {
    const before = await computeDrift();
    const rows = await getDb().select().from(interactions).where(and(eq(interactions.source, "simulated"), inArray(interactions.kind, ["rating", "watch"]))).limit(40);
    const changed = rows.filter((r) => r.kind === "rating" || r.kind === "watch");
    expect(new Set(changed.map((r) => r.kind))).toEqual(new Set(["rating", "watch"]));
    // the same times, other values: each row takes a new id (serving folds its user in) ...
    const written = await transaction((tx) => upsertInteractions(tx, changed.map((r) => ({ ...r, source: "imported" as const, ...changedSignal(r) }))));
    expect(written).toBe(changed.length);
    const after = await getDb().select().from(interactions).where(inArray(interactions.userId, [...new Set(changed.map((r) => r.userId))]));
    const maxId = (await getServingVersion())!.snapshot.maxInteractionId as number;
    for (const r of changed) expect(after.find((a) => a.userId === r.userId && a.movieId === r.movieId && a.kind === r.kind)!.id).toBeGreaterThan(maxId);
    // ... but is no new data to drift
    const report = await computeDrift();
    expect(report.recentInteractions).toBe(before.recentInteractions);
    expect(report.baselineInteractions).toBe(before.baselineInteractions);
    // and changing such a row again keeps it so
    await transaction((tx) => upsertInteractions(tx, changed.slice(0, 5).map((r) => ({ ...r, source: "imported" as const, watchSeconds: (r.watchSeconds ?? 0) + 7, value: r.kind === "rating" ? 0.5 : r.value }))));
    expect((await computeDrift()).recentInteractions).toBe(before.recentInteractions);
  });
});
