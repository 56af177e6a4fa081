import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as retrain } from "@/app/api/cron/retrain/route";
import { listPopularMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { getServingVersion, invalidateServingSnapshot } from "@/lib/mlops/registry";
import { call } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// An import (npm run import) keeps each row's own timestamp, usually years before the serving
// model's newest interaction: the scheduled retrain must still see it as new data.
vi.mock("@/lib/jobs/enqueue", async (importActual) => {
  const actual = await importActual<typeof import("@/lib/jobs/enqueue")>();
  return { ...actual, enqueueJob: vi.fn(async () => ({ id: 99 })) };
});

let env: Awaited<ReturnType<typeof useTrainedDb>>;
const auth = { authorization: "Bearer cron-secret-for-tests" };
beforeAll(async () => {
  env = await useTrainedDb({ users: 60, model: "popularity" });
  process.env.CRON_SECRET = "cron-secret-for-tests";
  resetEnvForTests();
}, 120_000);
afterAll(() => {
  delete process.env.CRON_SECRET;
  resetEnvForTests();
  env.cleanup();
});

describe("/api/cron/retrain after an import of older interactions", () => {
  it("queues a retrain: the data changed although nothing is newer than the training snapshot", async () => {
    expect((await call(retrain, "/api/cron/retrain", { headers: auth })).json).toMatchObject({ queued: false });
    const trainedUpTo = Number((await getServingVersion())!.snapshot.maxCreatedAt);
    const [user] = await getDb().insert(users).values({ name: "imported 1", source: "imported", externalId: "ml:1" }).returning();
    const films = await listPopularMovies({ k: 20 });
    await getDb()
      .insert(interactions)
      .values(films.map((m, i) => ({ userId: user.id, movieId: m.id, kind: "rating" as const, value: 4, source: "imported" as const, createdAt: trainedUpTo - 86_400_000 * (400 + i) })));
    invalidateServingSnapshot();
    const res = await call(retrain, "/api/cron/retrain", { headers: auth });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ queued: true, jobId: 99 });
    expect(enqueueJob).toHaveBeenCalledTimes(1);
  });
});
