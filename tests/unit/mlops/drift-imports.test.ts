import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
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

  it("counts a training row an import changes as new, and says how much of the training data is left", async () => {
    const serving = await getServingVersion();
    const snapshot = serving!.snapshot as { interactions: number };
    const before = await computeDrift();
    const [row] = await getDb().select().from(interactions).where(eq(interactions.source, "simulated")).limit(1);
    await transaction((tx) => upsertInteractions(tx, [{ ...row, source: "imported", ...changedSignal(row) }]));
    const after = await computeDrift();
    expect(after.baselineInteractions).toBe(before.baselineInteractions - 1);
    expect(after.recentInteractions).toBe(before.recentInteractions + 1);
    expect(after.trainedInteractions).toBe(snapshot.interactions);
  });
});
