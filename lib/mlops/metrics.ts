import client from "prom-client";
import { countMovies } from "@/lib/catalog/queries";
import { cachedListJson, listCacheStats } from "@/lib/recs/list-cache";
import { getLastDrift } from "./drift";
import { getLastReadyVersion, getServingVersion, getServingVersionId } from "./registry";

// Prometheus metrics. Request and recommendation counters are per process (Prometheus scrapes
// every instance and sums); everything that describes shared state (catalog size, training
// runs, the serving model) is read from the database at scrape time, so all instances agree.

type Registry = {
  registry: client.Registry;
  httpDuration: client.Histogram<"route" | "method" | "status">;
  recommendations: client.Counter<"model_version" | "source">;
  recommendationScore: client.Histogram<"source">;
  /** Batched series by metric and label values (see Batched). */
  series: Map<string, Batched>;
};

// Request-path observations go to prom-client in batches: each labelled series keeps its pending
// values and hands them over at every scrape (the metric's collect()) or when BATCH are waiting.
// prom-client resolves, validates and hashes the labels on every call; done per request, for the
// request duration and each served item's score, that was a measurable share of /api/recommend's
// cost (docs/benchmarks.md). Scrapes see every observation made before them.
const BATCH = 256;

type Sink = { observe(value: number): void } | { inc(value: number): void };

class Batched {
  private readonly pending = new Float64Array(BATCH);
  private size = 0;
  private count = 0;

  constructor(private readonly sink: Sink) {}

  /** A histogram observation (prom-client's check: finite numbers only, thrown here). */
  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    this.pending[this.size++] = value;
    if (this.size === BATCH) this.flush();
  }

  /** A counter increment by one. */
  inc(): void {
    if (++this.count === BATCH) this.flush();
  }

  flush(): void {
    const sink = this.sink;
    if ("observe" in sink) {
      const n = this.size;
      this.size = 0;
      for (let i = 0; i < n; i++) sink.observe(this.pending[i]);
    } else if (this.count > 0) {
      const n = this.count;
      this.count = 0;
      sink.inc(n);
    }
  }
}

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
    collect: () => flushSeries("http"),
  });
  const recommendations = new client.Counter({
    name: "matinee_recommendations_served_total",
    help: "Recommendation responses by serving model version and source (model, folded_in, popular, random)",
    labelNames: ["model_version", "source"] as const,
    registers: [registry],
    collect: () => flushSeries("recs"),
  });
  const recommendationScore = new client.Histogram({
    name: "matinee_recommendation_score",
    help: "Scores of recommended items, per list built (a memoised list served again is not counted again)",
    labelNames: ["source"] as const,
    buckets: [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
    collect: () => flushSeries("score"),
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
      await fromDatabase(this, async () => {
        this.set(await countMovies());
      });
    },
  });
  new client.Gauge({
    name: "matinee_serving_model_validation_ndcg_at_10",
    help: "Validation nDCG@10 of the serving model version",
    labelNames: ["model_version", "algorithm"] as const,
    registers: [registry],
    async collect() {
      await fromDatabase(this, async () => {
        this.reset();
        const v = await getServingVersion();
        if (v) this.set({ model_version: String(v.id), algorithm: v.algorithm }, v.metrics["ndcg@10"] ?? 0);
      });
    },
  });
  new client.Gauge({
    name: "matinee_training_last_duration_seconds",
    help: "Duration of the most recent successful training run",
    registers: [registry],
    async collect() {
      await fromDatabase(this, async () => {
        // from the version rows, which every run writes (a sharded run has no job row)
        const last = await getLastReadyVersion();
        // never trained: no sample, not a 0 (a "since last training" panel would read 56 years)
        if (last?.durationMs != null) this.set(last.durationMs / 1000);
        else withoutSample(this);
      });
    },
  });
  new client.Gauge({
    name: "matinee_training_last_success_timestamp_seconds",
    help: "Unix time of the most recent successful training run",
    registers: [registry],
    async collect() {
      await fromDatabase(this, async () => {
        const last = await getLastReadyVersion();
        if (last?.finishedAt) this.set(last.finishedAt / 1000);
        else withoutSample(this);
      });
    },
  });
  new client.Gauge({
    name: "matinee_drift_score",
    help: "Largest PSI of the last drift check (popularity tier, genre mix, user activity)",
    labelNames: ["axis"] as const,
    registers: [registry],
    async collect() {
      await fromDatabase(this, async () => {
        this.reset();
        // Only a check of the serving version: after a retrain takes over, the last check compared
        // the data with the previous model's and would keep an alert firing until the next check.
        const [d, serving] = await Promise.all([getLastDrift(), getServingVersionId()]);
        if (d?.psi && d.modelVersion === serving) {
          this.set({ axis: "max" }, d.score ?? 0);
          for (const [axis, v] of Object.entries(d.psi)) this.set({ axis }, v);
        }
      });
    },
  });
  return { registry, httpDuration, recommendations, recommendationScore, series: new Map() };
}

/**
 * Run a database-backed gauge's collect. A failure (an outage, a locked or full disk) leaves the
 * gauge without a sample in this scrape, logged, instead of failing the whole scrape: the request
 * durations and error counts are what an operator needs most then. (An unlabelled gauge's reset()
 * would expose 0, e.g. "0 movies": its value map is emptied instead, as reset() does for labelled ones.)
 */
async function fromDatabase(gauge: client.Gauge, collect: () => Promise<void>): Promise<void> {
  try {
    await collect();
  } catch (err) {
    console.error(`metrics: ${(gauge as unknown as { name: string }).name} not collected: ${err instanceof Error ? err.message : String(err)}`);
    withoutSample(gauge);
  }
}

/** No sample in this scrape, for an unlabelled gauge too (whose reset() would expose 0). */
function withoutSample(gauge: client.Gauge): void {
  (gauge as unknown as { hashMap: Record<string, unknown> }).hashMap = {};
}

export function getMetrics(): Registry {
  holder.__matineeMetrics ??= createRegistry();
  return holder.__matineeMetrics;
}

/** The batched series for `key` ("<metric> <label values>"), created on first use. */
function series(m: Registry, key: string, make: () => Sink): Batched {
  let b = m.series.get(key);
  if (b === undefined) {
    b = new Batched(make());
    m.series.set(key, b);
  }
  return b;
}

/** Hand every pending observation of one metric's series to prom-client (at scrape time). */
function flushSeries(metric: string): void {
  const prefix = `${metric} `;
  for (const [key, b] of getMetrics().series) if (key.startsWith(prefix)) b.flush();
}

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  const m = getMetrics();
  series(m, `http ${route} ${method} ${status}`, () => m.httpDuration.labels({ route, method, status: String(status) })).observe(seconds);
}

// Memoised lists whose scores are already in the score histogram: a memoised list (list-cache.ts)
// is one list however often it is served, so its scores are counted once. Other lists are new
// objects on every request and are counted each time without being tracked.
const scoredLists = new WeakSet<object>();

export function observeRecommendations(result: { modelVersion: number | null; source: string; items: readonly { score: number }[] }): void {
  const m = getMetrics();
  const version = result.modelVersion ?? "none";
  series(m, `recs ${version} ${result.source}`, () => m.recommendations.labels({ model_version: String(version), source: result.source })).inc();
  if (cachedListJson(result.items) !== undefined) {
    if (scoredLists.has(result.items)) return;
    scoredLists.add(result.items);
  }
  const scores = series(m, `score ${result.source}`, () => m.recommendationScore.labels({ source: result.source }));
  for (const item of result.items) scores.observe(item.score);
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = getMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
