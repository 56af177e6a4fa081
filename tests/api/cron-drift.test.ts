import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as drift, POST as postDrift } from "@/app/api/cron/drift/route";
import { GET as retrain, POST as postRetrain } from "@/app/api/cron/retrain/route";
import { getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { getLastDrift } from "@/lib/mlops/drift";
import { getServingVersion } from "@/lib/mlops/registry";
import { listPopularMovies } from "@/lib/catalog/queries";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// The worker launch is replaced: these tests check the decision, not a background training run.
// The params are still validated as the real enqueueJob does (a train job needs a model).
vi.mock("@/lib/jobs/enqueue", async (importActual) => {
  const actual = await importActual<typeof import("@/lib/jobs/enqueue")>();
  return {
    ...actual,
    enqueueJob: vi.fn(async (kind: "train", params: unknown) => {
      actual.resolveJobParams(kind, params);
      return { id: 4242 };
    }),
  };
});

let env: Awaited<ReturnType<typeof useTrainedDb>>;
const auth = { authorization: "Bearer cron-secret-for-tests" };
beforeAll(async () => {
  env = await useTrainedDb({ users: 120 });
  process.env.CRON_SECRET = "cron-secret-for-tests";
  resetEnvForTests();
}, 120_000);
afterAll(() => {
  delete process.env.CRON_SECRET;
  delete process.env.DRIFT_AUTO_RETRAIN;
  resetEnvForTests();
  env.cleanup();
});

describe("/api/cron/retrain", () => {
  it("refuses without the secret", async () => {
    expect((await call(retrain, "/api/cron/retrain")).status).toBe(401);
    expect((await call(retrain, "/api/cron/retrain", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("a POST takes no input: a body other than {} is refused before anything runs (was: ignored, and a retrain queued)", async () => {
    for (const [handler, path] of [[postRetrain, "/api/cron/retrain"], [postDrift, "/api/cron/drift"]] as const) {
      const json = await call(handler, path, { method: "POST", headers: auth, body: { force: true } });
      expect(json.status).toBe(400);
      expect(expectErrorShape(json.json).details).toMatchObject({ fields: { force: expect.any(Array) } });
      expect((await call(handler, path, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "garbage" })).status).toBe(415);
      expect((await call(handler, path, { method: "POST", headers: auth, body: "x".repeat(70_000) })).status).toBe(413);
      expect((await call(handler, path, { method: "POST", headers: auth, body: {} })).status).toBe(200);
    }
    expect(enqueueJob).not.toHaveBeenCalled();
  });

  it("skips when nothing happened since the serving version was trained", async () => {
    const res = await call(retrain, "/api/cron/retrain", { headers: auth });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ queued: false });
    expect(enqueueJob).not.toHaveBeenCalled();
  });

  it("drift is not computed on too little new data", async () => {
    const res = await call(drift, "/api/cron/drift", { headers: auth });
    expect(res.json).toMatchObject({ score: null, drifted: false });
    expect(res.json.note).toMatch(/not enough new interactions/);
  });

  it("after a burst of horror-only activity from new users: drift is flagged, and a retrain is queued", async () => {
    const horror = await listPopularMovies({ k: 40, genre: "Horror" });
    const db = getDb();
    const later = Date.now() + 1000;
    for (let u = 0; u < 30; u++) {
      const [user] = await db.insert(users).values({ name: `drifter ${u}` }).returning();
      await db.insert(interactions).values(
        horror.slice(u % 10, (u % 10) + 15).map((m) => ({ userId: user.id, movieId: m.id, kind: "watch" as const, source: "app" as const, createdAt: later })),
      );
    }
    process.env.DRIFT_AUTO_RETRAIN = "1";
    resetEnvForTests();
    const res = await call(drift, "/api/cron/drift", { headers: auth });
    expect(res.status).toBe(200);
    expect(res.json.recentInteractions).toBe(450);
    expect(res.json.psi.genre).toBeGreaterThan(0.25);
    expect(res.json.drifted).toBe(true);
    expect(res.json.retrain).toMatchObject({ queued: true, jobId: 4242 });
    expect((await getLastDrift())?.score).toBe(res.json.score);

    const again = await call(retrain, "/api/cron/retrain", { headers: auth });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ queued: true, jobId: 4242 });
    // both retrain the serving version's algorithm
    const serving = await getServingVersion();
    expect(vi.mocked(enqueueJob).mock.calls).toEqual([
      ["train", { model: serving?.algorithm }, { trigger: "drift" }],
      ["train", { model: serving?.algorithm }, { trigger: "schedule" }],
    ]);
  });
});
