import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPopularMovies } from "@/lib/catalog/queries";
import { closeDb, getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { checkAndRecordDrift, computeDrift, getDriftOverview, getLastDrift } from "@/lib/mlops/drift";
import { invalidateServingSnapshot } from "@/lib/mlops/registry";
import { useTempDb } from "../../helpers/temp-db";
import { useTrainedDb } from "../../helpers/trained-db";

// What the admin overview's drift panel reads.

afterAll(() => {
  delete process.env.DRIFT_AUTO_RETRAIN;
  delete process.env.CRON_SECRET;
  resetEnvForTests();
});

describe("getDriftOverview without a serving model", () => {
  it("says there is nothing to compare with", async () => {
    const tmp = useTempDb();
    try {
      const o = await getDriftOverview();
      expect(o.current).toMatchObject({ modelVersion: null, score: null, drifted: false, note: "no serving model" });
      expect(o.axes.map((a) => [a.key, a.psi, a.flagged])).toEqual([
        ["popularity", null, false],
        ["genre", null, false],
        ["activity", null, false],
      ]);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("getDriftOverview with a serving model", () => {
  let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
  beforeAll(async () => {
    closeDb();
    invalidateServingSnapshot();
    tmp = await useTrainedDb({ users: 120, model: "popularity" });
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("too little new data: window sizes, no score, nothing flagged; auto-retrain and schedule off by default", async () => {
    const o = await getDriftOverview();
    expect(o.current.modelVersion).toBe(tmp.trained.versionId);
    expect(o.current.recentInteractions).toBe(0);
    expect(o.current.baselineInteractions).toBe(tmp.trained.interactions);
    expect(o.current.score).toBeNull();
    expect(o.current.note).toMatch(/not enough new interactions/);
    expect(o.axes.every((a) => a.psi === null && !a.flagged)).toBe(true);
    expect(o).toMatchObject({ autoRetrain: false, scheduled: false, lastCheck: null });
  });

  it("after a burst of horror-only watches: genre drift is flagged per axis, without recording a check", async () => {
    const horror = await listPopularMovies({ k: 40, genre: "Horror" });
    const later = Date.now() + 1000;
    for (let u = 0; u < 20; u++) {
      const [user] = await getDb().insert(users).values({ name: `fan ${u}` }).returning();
      await getDb()
        .insert(interactions)
        .values(horror.slice(u % 10, (u % 10) + 10).map((m) => ({ userId: user.id, movieId: m.id, kind: "watch" as const, source: "app" as const, createdAt: later })));
    }
    process.env.DRIFT_AUTO_RETRAIN = "1";
    process.env.CRON_SECRET = "s3cret-for-tests";
    resetEnvForTests();

    const o = await getDriftOverview();
    expect(o.current.recentInteractions).toBe(200);
    const genre = o.axes.find((a) => a.key === "genre")!;
    expect(genre.psi).toBeGreaterThan(0.25);
    expect(genre.flagged).toBe(true);
    for (const a of o.axes) expect(a.flagged).toBe(a.psi! > o.current.threshold);
    expect(o.current.score).toBe(Math.max(...o.axes.map((a) => a.psi!)));
    expect(o.current.drifted).toBe(true);
    expect(o).toMatchObject({ autoRetrain: true, scheduled: true, lastCheck: null });
    expect(await getLastDrift()).toBeNull(); // showing it is read-only

    const recorded = await checkAndRecordDrift();
    expect((await getDriftOverview()).lastCheck).toMatchObject({ checkedAt: recorded.checkedAt, score: recorded.score });
  });

  it("callers at the same time share one computation (each reads every interaction); a later call computes afresh", async () => {
    const [a, b] = [computeDrift(), computeDrift()];
    expect(a).toBe(b);
    const first = await a;
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect((await computeDrift()).checkedAt).toBeGreaterThan(first.checkedAt);
  });
});
