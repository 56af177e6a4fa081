import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as unknownApi } from "@/app/api/[[...path]]/route";
import { GET as metrics } from "@/app/api/metrics/route";
import { GET as movie } from "@/app/api/movies/[id]/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { resetEnvForTests } from "@/lib/env";
import { labelWithParams, routeLabel } from "@/lib/http/route";
import { observeRequest } from "@/lib/mlops/metrics";
import { listPopularMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { checkAndRecordDrift } from "@/lib/mlops/drift";
import { getModelVersion } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { finalizeTrainingRun, runTrainingShard } from "@/lib/recs/shards";
import { call } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

let env: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  env = await useTrainedDb({ users: 80 });
}, 120_000);
afterAll(() => env.cleanup());

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([^{ ]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ok = Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`));
    if (ok) return Number(m[3]);
  }
  return undefined;
}

describe("GET /api/metrics", () => {
  it("exposes request, recommendation, model and catalog series after traffic", async () => {
    await call(recommend, "/api/recommend?userId=2&k=5");
    await call(recommend, "/api/recommend?userId=2&k=5");
    await call(recommend, "/api/recommend?userId=777777&k=5");
    await call(movie, "/api/movies/11", { params: { id: "11" } });
    const res = await metrics(new Request("http://x/api/metrics"));
    expect(res.status).toBe(200);
    const text = await res.text();
    const v = String(env.trained.versionId);
    expect(sample(text, "matinee_recommendations_served_total", { model_version: v, source: "model" })).toBe(2);
    expect(sample(text, "matinee_recommendations_served_total", { source: "popular" })).toBe(1);
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/recommend", status: "200" })).toBe(3);
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/movies/:id", status: "200" })).toBe(1);
    // user 2's list is built once and served twice: its 5 scores are counted once
    expect(sample(text, "matinee_recommendation_score_count", { source: "model" })).toBe(5);
    // user 2's second request is the memo's only hit; the unknown user never reaches it
    expect(sample(text, "matinee_recommendation_memo_lookups_total", { result: "miss" })).toBe(1);
    expect(sample(text, "matinee_recommendation_memo_lookups_total", { result: "hit" })).toBe(1);
    expect(sample(text, "matinee_recommendation_memo_bytes")).toBeGreaterThan(1000);
    expect(sample(text, "matinee_catalog_movies")).toBe(4803);
    expect(sample(text, "matinee_serving_model_validation_ndcg_at_10", { model_version: v })).toBeCloseTo(env.trained.metrics["ndcg@10"], 6);
    expect(sample(text, "matinee_training_last_success_timestamp_seconds")).toBeGreaterThan(Date.now() / 1000 - 600);
  });

  it("counts every observation, across batches and scrapes", async () => {
    const scrape = async () => (await metrics(new Request("http://x/api/metrics"))).text();
    for (let i = 0; i < 300; i++) observeRequest("/api/batch-check", "GET", 200, 0.002);
    let text = await scrape();
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/batch-check" })).toBe(300);
    expect(sample(text, "matinee_http_request_duration_seconds_sum", { route: "/api/batch-check" })).toBeCloseTo(0.6, 9);
    expect(sample(text, "matinee_http_request_duration_seconds_bucket", { route: "/api/batch-check", le: "0.0025" })).toBe(300);
    for (let i = 0; i < 7; i++) observeRequest("/api/batch-check", "GET", 200, 0.5);
    text = await scrape();
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/batch-check" })).toBe(307);
    expect(sample(text, "matinee_http_request_duration_seconds_bucket", { route: "/api/batch-check", le: "0.25" })).toBe(300);
    expect(() => observeRequest("/api/batch-check", "GET", 200, Number.NaN)).toThrow(TypeError);
  });

  it("requires the bearer token when METRICS_TOKEN is set", async () => {
    process.env.METRICS_TOKEN = "scrape-me-please";
    resetEnvForTests();
    try {
      expect((await metrics(new Request("http://x/api/metrics"))).status).toBe(401);
      const wrong = new Request("http://x/api/metrics", { headers: { authorization: "Bearer nope" } });
      expect((await metrics(wrong)).status).toBe(401);
      const right = new Request("http://x/api/metrics", { headers: { authorization: "Bearer scrape-me-please" } });
      expect((await metrics(right)).status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
      resetEnvForTests();
    }
  });

  it("folds ids out of route labels", () => {
    expect(routeLabel("http://x/api/movies/123/similar?k=2")).toBe("/api/movies/:id/similar");
    expect(routeLabel("http://x/api/openapi.json")).toBe("/api/openapi.json");
    expect(labelWithParams("/api/movies/abc/similar", { id: "abc" })).toBe("/api/movies/:id/similar");
    expect(labelWithParams("/api/movies/a%20b", { id: "a b" })).toBe("/api/movies/:id");
    expect(labelWithParams("/api/x/y/z", { path: ["x", "y", "z"] })).toBe("/api/:path");
  });

  it("labels a route with path parameters by its pattern, whatever the client sent", async () => {
    // ids without digits used to become labels of their own: one new series per made-up id
    for (const id of ["abc", "xyz", "similar"]) await call(movie, `/api/movies/${id}`, { params: { id } });
    await unknownApi(new Request("http://x/api/no/such/route"), { params: Promise.resolve({ path: ["no", "such", "route"] }) });
    const text = await (await metrics(new Request("http://x/api/metrics"))).text();
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/movies/:id", status: "400" })).toBe(3);
    expect(sample(text, "matinee_http_request_duration_seconds_count", { route: "/api/:path", status: "404" })).toBe(1);
    expect(text).not.toMatch(/route="[^"]*(abc|xyz|such)/);
  });

  it("the training gauges follow the last finished run, a sharded one too (it has no job row)", async () => {
    // a Kubernetes Indexed Job trains in shards, with no job row: the gauges used to read job rows
    // only, so they kept reporting the run before (Grafana: "time since last training" growing)
    await runTrainingShard({ runId: "metrics-sharded", shard: 0, shards: 1, model: "item-knn", topN: 20, neighbors: 20, threads: 1 });
    const { versionId } = await finalizeTrainingRun("metrics-sharded", { force: true });
    const version = (await getModelVersion(versionId))!;
    const text = await (await metrics(new Request("http://x/api/metrics"))).text();
    expect(sample(text, "matinee_training_last_success_timestamp_seconds")).toBe(version.finishedAt! / 1000);
    expect(sample(text, "matinee_training_last_duration_seconds")).toBe(version.durationMs! / 1000);
  });

  it("the drift gauge describes the serving model: a check made for the version before is not reported", async () => {
    const films = await listPopularMovies({ k: 60 });
    const [user] = await getDb().insert(users).values({ name: "late watcher" }).returning();
    await getDb()
      .insert(interactions)
      .values(films.map((m) => ({ userId: user.id, movieId: m.id, kind: "watch" as const, source: "app" as const, createdAt: Date.now() + 1000 })));
    const report = await checkAndRecordDrift();
    expect(report.score).not.toBeNull();
    let text = await (await metrics(new Request("http://x/api/metrics"))).text();
    expect(sample(text, "matinee_drift_score", { axis: "max" })).toBe(report.score);
    // a retrain on that data takes over: the recorded check compared it with the old model's data
    await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true });
    text = await (await metrics(new Request("http://x/api/metrics"))).text();
    expect(sample(text, "matinee_drift_score", { axis: "max" })).toBeUndefined();
  });
});
