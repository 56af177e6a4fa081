import client from "prom-client";
import { countMovies } from "@/lib/catalog/queries";
import { listJobs } from "@/lib/jobs/queries";
import { listCacheStats } from "@/lib/recs/list-cache";
import { getLastDrift } from "./drift";
import { getServingVersion } from "./registry";

// Prometheus metrics. Request and recommendation counters are per process (Prometheus scrapes
// every instance and sums); everything that describes shared state (catalog size, training
// runs, the serving model) is read from the database at scrape time, so all instances agree.

type Registry = {
  registry: client.Registry;
  httpDuration: client.Histogram<"route" | "method" | "status">;
  recommendations: client.Counter<"model_version" | "source">;
  recommendationScore: client.Histogram<"source">;
  /** Labelled children by label values: resolving labels on every observation is most of its cost. */
  children: Map<string, { observe(value: number): void } | { inc(value?: number): void }>;
};

const holder = globalThis as unknown as { __matineeMetrics?: Registry };

function createRegistry(): Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "matinee_process_" });
  const httpDuration = new client.Histogram({
    name: "matinee_http_request_duration_seconds",
    help: "API request duration by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const recommendations = new client.Counter({
    name: "matinee_recommendations_served_total",
    help: "Recommendation responses by serving model version and source (model, folded_in, popular, random)",
    labelNames: ["model_version", "source"] as const,
    registers: [registry],
  });
  const recommendationScore = new client.Histogram({
    name: "matinee_recommendation_score",
    help: "Scores of recommended items",
    labelNames: ["source"] as const,
    buckets: [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  new client.Counter({
    name: "matinee_recommendation_memo_lookups_total",
    help: "Unfiltered model-cache requests answered from this instance's memo of finished lists (hit) or built from the cache tables (miss)",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const { hits, misses } = listCacheStats();
      this.reset();
      this.inc({ result: "hit" }, hits);
      this.inc({ result: "miss" }, misses);
    },
  });
  new client.Gauge({
    name: "matinee_recommendation_memo_bytes",
    help: "Estimated memory held by this instance's memo of finished lists (RECOMMEND_MEMO_MB caps it)",
    registers: [registry],
    collect() {
      this.set(listCacheStats().bytes);
    },
  });
  new client.Gauge({
    name: "matinee_catalog_movies",
    help: "Movies in the catalog",
    registers: [registry],
    async collect() {
      this.set(await countMovies());
    },
  });
  new client.Gauge({
    name: "matinee_serving_model_validation_ndcg_at_10",
    help: "Validation nDCG@10 of the serving model version",
    labelNames: ["model_version", "algorithm"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const v = await getServingVersion();
      if (v) this.set({ model_version: String(v.id), algorithm: v.algorithm }, v.metrics["ndcg@10"] ?? 0);
    },
  });
  new client.Gauge({
    name: "matinee_training_last_duration_seconds",
    help: "Duration of the most recent successful training run",
    registers: [registry],
    async collect() {
      const last = (await listJobs({ kind: "train", limit: 50 })).find((j) => j.status === "succeeded");
      if (last?.startedAt && last.finishedAt) this.set((last.finishedAt - last.startedAt) / 1000);
    },
  });
  new client.Gauge({
    name: "matinee_training_last_success_timestamp_seconds",
    help: "Unix time of the most recent successful training run",
    registers: [registry],
    async collect() {
      const last = (await listJobs({ kind: "train", limit: 50 })).find((j) => j.status === "succeeded");
      if (last?.finishedAt) this.set(last.finishedAt / 1000);
    },
  });
  new client.Gauge({
    name: "matinee_drift_score",
    help: "Largest PSI of the last drift check (popularity tier, genre mix, user activity)",
    labelNames: ["axis"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const d = await getLastDrift();
      if (d?.psi) {
        this.set({ axis: "max" }, d.score ?? 0);
        for (const [axis, v] of Object.entries(d.psi)) this.set({ axis }, v);
      }
    },
  });
  return { registry, httpDuration, recommendations, recommendationScore, children: new Map() };
}

export function getMetrics(): Registry {
  holder.__matineeMetrics ??= createRegistry();
  return holder.__matineeMetrics;
}

function child<T extends object>(m: Registry, key: string, make: () => T): T {
  let c = m.children.get(key) as T | undefined;
  if (c === undefined) {
    c = make();
    m.children.set(key, c as never);
  }
  return c;
}

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  const m = getMetrics();
  child(m, `http ${route} ${method} ${status}`, () => m.httpDuration.labels({ route, method, status: String(status) })).observe(seconds);
}

export function observeRecommendations(result: { modelVersion: number | null; source: string; items: { score: number }[] }): void {
  const m = getMetrics();
  const version = String(result.modelVersion ?? "none");
  child(m, `recs ${version} ${result.source}`, () => m.recommendations.labels({ model_version: version, source: result.source })).inc();
  const scores = child(m, `score ${result.source}`, () => m.recommendationScore.labels({ source: result.source }));
  for (const item of result.items) scores.observe(item.score);
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = getMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
