import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as drift } from "@/app/api/cron/drift/route";
import { GET as retrain } from "@/app/api/cron/retrain/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { listPopularMovies } from "@/lib/catalog/queries";
import { resetEnvForTests } from "@/lib/env";
import { importInteractions } from "@/lib/interactions/import";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { eq } from "drizzle-orm";
import { invalidateServingSnapshot } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { call } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// Ratings re-imported with other stars but the same times change nothing training reads (every
// rating weighs the same): drift and the scheduled retrain must agree that there is no new data.
// Drift used to count each changed row as new, put its users in the "new user" bin (activity PSI
// 18 on the QA pass's 60 rows), flag drift and auto-retrain onto identical data.
vi.mock("@/lib/jobs/enqueue", async (importActual) => {
  const actual = await importActual<typeof import("@/lib/jobs/enqueue")>();
  return { ...actual, enqueueJob: vi.fn(async () => ({ id: 77 })) };
});

let env: Awaited<ReturnType<typeof useTrainedDb>>;
const auth = { authorization: "Bearer cron-secret-for-tests" };
let films: number[];
beforeAll(async () => {
  env = await useTrainedDb({ users: 80, model: "popularity" });
  films = (await listPopularMovies({ k: 6 })).map((m) => m.id);
  process.env.CRON_SECRET = "cron-secret-for-tests";
  process.env.DRIFT_AUTO_RETRAIN = "1";
  resetEnvForTests();
}, 120_000);
afterAll(() => {
  delete process.env.CRON_SECRET;
  delete process.env.DRIFT_AUTO_RETRAIN;
  resetEnvForTests();
  env.cleanup();
});
beforeEach(() => {
  vi.mocked(enqueueJob).mockClear();
  invalidateServingSnapshot();
});

/** A generic CSV of 60 ratings: 10 users × 6 films, each `stars`, all at `seconds`. */
async function importRatings(stars: number, seconds: number) {
  const lines = ["user_id,tmdb_id,rating,watch_seconds,timestamp"];
  for (let u = 1; u <= 10; u++) for (const film of films) lines.push(`fan${u},${film},${stars},,${seconds}`);
  const file = path.join(env.dir, `ratings-${stars}-${seconds}.csv`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const summary = await importInteractions({ file, format: "generic" });
  expect(summary.validRows).toBe(60);
}

const checkDrift = async () => (await call(drift, "/api/cron/drift", { headers: auth })).json;
const checkRetrain = async () => (await call(retrain, "/api/cron/retrain", { headers: auth })).json;

describe("ratings re-imported with other stars at the same times", () => {
  it("are no new data to drift or the retrain check, and queue no retrain", async () => {
    await importRatings(4, 1_500_000_000);
    await runTraining({ model: "popularity", topN: 30, neighbors: 30, force: true });
    invalidateServingSnapshot();
    expect(await checkRetrain()).toMatchObject({ queued: false });

    // 3 stars, not below 2.5: the next test needs films serving folds in from (a6efda3)
    await importRatings(3, 1_500_000_000);
    const report = await checkDrift();
    expect(report).toMatchObject({ recentInteractions: 0, drifted: false, score: null });
    expect(report.baselineInteractions).toBe(report.trainedInteractions);
    expect(report.retrain).toBeUndefined();
    expect(await checkRetrain()).toMatchObject({ queued: false, reason: expect.stringMatching(/no new interactions/) });
    expect(enqueueJob).not.toHaveBeenCalled();
  });

  it("still make serving fold the changed users in", async () => {
    const [fan] = await getDb().select({ id: users.id }).from(users).where(eq(users.externalId, "csv:fan1"));
    const res = await call(recommend, `/api/recommend?userId=${fan.id}&k=5`);
    expect(res.json.source).toBe("folded_in");
  });

  it("are new data to both once their times change too", async () => {
    await importRatings(1, 1_500_000_060);
    const report = await checkDrift();
    expect(report.recentInteractions).toBe(60);
    expect(report.baselineInteractions).toBe(report.trainedInteractions - 60);
    expect(report.drifted).toBe(true); // ten users whose whole history changed: the "new user" bin
    expect(report.retrain).toMatchObject({ queued: true, jobId: 77 });
    expect(await checkRetrain()).toMatchObject({ queued: true });
  });
});
