import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as compare } from "@/app/api/admin/runs/compare/route";
import { GET as list } from "@/app/api/admin/runs/route";
import { registerAccount } from "@/lib/auth/accounts";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { runJob } from "@/lib/jobs/runner";
import { readSessionClaims } from "@/lib/auth/session";
import { runComparisonSchema, runListSchema } from "@/lib/mlops/runs";
import { runTraining } from "@/lib/recs/train";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
let adminId: number;
let userId: number;
beforeAll(async () => {
  tmp = await useTrainedDb({ users: 100, model: "popularity" }); // run 1
  await runTraining({ model: "item-knn", topN: 10, neighbors: 10, force: true }); // run 2, serving
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
}, 120_000);
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

describe("GET /api/admin/runs", () => {
  it("is for admins only", async () => {
    expect((await call(list, "/api/admin/runs")).status).toBe(401);
    signedInAs(userId);
    expect((await call(compare, "/api/admin/runs/compare?ids=1,2")).status).toBe(403);
  });

  it("lists runs newest first in the documented shape, never cached", async () => {
    signedInAs(adminId);
    const res = await call(list, "/api/admin/runs?limit=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = runListSchema.parse(res.json);
    expect(body.servingVersion).toBe(2);
    expect(body.items.map((r) => r.id)).toEqual([2]);
    expect(body.items[0]).toMatchObject({ algorithm: "item-knn", status: "ready", serving: true });
    expect((await call(list, "/api/admin/runs?limit=0")).status).toBe(400);
    expect((await call(list, "/api/admin/runs?bogus=1")).status).toBe(400);
  });
});

describe("GET /api/admin/runs/compare", () => {
  it("puts runs side by side with deltas against the first id", async () => {
    signedInAs(adminId);
    const res = await call(compare, "/api/admin/runs/compare?ids=2,1");
    expect(res.status, res.text).toBe(200);
    const body = runComparisonSchema.parse(res.json);
    expect(body.baseline).toBe(2);
    expect(body.runs.map((r) => r.id)).toEqual([2, 1]);
    expect(body.params[0]).toEqual({ key: "algorithm", values: ["item-knn", "popularity"], differs: true });
    const ndcg = body.metrics.find((m) => m.key === "ndcg@10")!;
    expect(ndcg.deltas[1]).toBeCloseTo(ndcg.values[1]! - ndcg.values[0]!, 12);
    expect(body.sameData).toBe(true);
  });

  it("404 naming unknown runs; 400 for too few, repeated or malformed ids", async () => {
    signedInAs(adminId);
    const missing = await call(compare, "/api/admin/runs/compare?ids=1,77");
    expect(missing.status).toBe(404);
    expect(expectErrorShape(missing.json)).toMatchObject({ code: "not_found", details: { missing: [77] } });
    for (const query of ["ids=1", "ids=1,1", "ids=1,x", "", "ids=1&ids=2", "ids=1,2&bogus=1"]) {
      const res = await call(compare, `/api/admin/runs/compare?${query}`);
      expect(res.status, query).toBe(400);
      expect(expectErrorShape(res.json).code).toBe("bad_request");
    }
    // a bad id is the `ids` field's problem, not an element's (`ids.1`)
    const malformed = await call(compare, "/api/admin/runs/compare?ids=1,x");
    expect(expectErrorShape(malformed.json).details).toEqual({ fields: { ids: ["must be run ids (version numbers such as 3)"] } });
  });
});

describe("who started a run", () => {
  it("names the trigger of a scheduled or drift retrain, as the job does", async () => {
    // a drift check past its threshold queues a retrain with DRIFT_AUTO_RETRAIN=1 (lib/mlops/cron.ts)
    const job = await enqueueJob("train", { model: "popularity" }, { trigger: "drift" }, vi.fn());
    const done = await runJob(job.id);
    expect(done.status).toBe("succeeded");
    const versionId = done.stats.versionId as number;
    signedInAs(adminId);
    const body = runListSchema.parse((await call(list, "/api/admin/runs")).json);
    expect(body.items.find((r) => r.id === versionId)).toMatchObject({ jobId: job.id, startedBy: null, trigger: "drift" });
    expect(body.items.find((r) => r.id === 1)).toMatchObject({ startedBy: null, trigger: null }); // npm run train
    const compared = runComparisonSchema.parse((await call(compare, `/api/admin/runs/compare?ids=1,${versionId}`)).json);
    expect(compared.runs.map((r) => r.trigger)).toEqual([null, "drift"]);
  });
});
