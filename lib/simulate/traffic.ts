// Simulated traffic for A/B experiments (`npm run simulate -- --traffic N`): simulated users visit,
// get recommendations through the same service the API and home page use (so they are assigned
// arms and logged as impressions), then click, watch and rate what they were shown according to
// the hidden tastes the simulator gave them. A model that matches those tastes better earns more
// clicks and watches, so arms serving different models differ measurably.
import { and, asc, eq, like } from "drizzle-orm";
import { z } from "zod";
import { getDb, transaction } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { getRunningExperiment, invalidateRunningExperiment, recommendWithExperiment, recordRecommendationClick, SHOWN_IN_APP } from "@/lib/experiments/serve";
import { createExperiment, getExperimentReport } from "@/lib/experiments/service";
import { formatPValue } from "@/lib/experiments/format";
import { ApiError } from "@/lib/http/errors";
import { upsertInteractions, type UpsertInteractionRow } from "@/lib/interactions/queries";
import { buildWorld, genreScore, simulateUser, type SimTastes } from "./generate";
import { clamp, deriveSeed, mulberry32, normal, sigmoid } from "./random";
import { loadSimulationCatalog } from "./write";

export const trafficOptionsSchema = z.object({
  visits: z.number().int().min(1).max(1_000_000),
  k: z.number().int().min(1).max(100).default(10),
  /** Must match the simulation that created the users, so their hidden tastes are recovered. */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  clusters: z.number().int().min(1).max(500).default(24),
  /** Start an experiment over these versions when none runs (first = control). */
  versions: z.array(z.number().int().min(1)).min(2).max(4).optional(),
  /** Traffic split in percent for `versions` (default: even). */
  split: z.array(z.number().int().min(1).max(99)).optional(),
});

export type TrafficOptions = z.input<typeof trafficOptionsSchema>;

export type TrafficArmSummary = { arm: string; versionId: number; visits: number; shown: number; clicks: number; watches: number; ratings: number };
export type TrafficSummary = {
  experimentId: number;
  /** True when this run started the experiment (--versions). */
  startedExperiment: boolean;
  visits: number;
  /** Visits answered with popular/random picks: not part of the experiment (see docs/mlops.md). */
  fallbackVisits: number;
  arms: TrafficArmSummary[];
  durationMs: number;
};

// How shown movies turn into actions. Affinity is the simulator's own (generate.ts): genre taste,
// favourite neighbourhood, quality and the user's bias, plus noise per look.
const CLICK_SLOPE = 1.2;
const CLICK_OFFSET = -2.2;
const POSITION_DECAY = 0.15; // lower slots are seen less: p × 1 / (1 + 0.15 (rank − 1))
const RATE_SHARE = 0.6; // of watches
const DEFAULT_RUNTIME_MIN = 100;

function evenSplit(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}

export async function runTraffic(input: TrafficOptions, hooks: { onProgress?: (done: number, total: number) => void } = {}): Promise<TrafficSummary> {
  const options = trafficOptionsSchema.parse(input);
  const started = Date.now();
  const db = getDb();

  invalidateRunningExperiment();
  let running = await getRunningExperiment();
  let startedExperiment = false;
  if (!running && options.versions) {
    const split = options.split ?? evenSplit(options.versions.length);
    if (split.length !== options.versions.length) {
      throw new ApiError("bad_request", `--split needs one percentage per version (${options.versions.length}), got ${split.length}`);
    }
    await createExperiment(
      { name: `Simulated traffic: v${options.versions.join(" vs v")}`, primaryMetric: "watch_rate", arms: options.versions.map((versionId, i) => ({ versionId, weight: split[i] })) },
      { userId: null, label: "cli:simulate --traffic" },
    );
    startedExperiment = true;
    running = await getRunningExperiment();
  }
  if (!running) {
    throw new ApiError(
      "conflict",
      "no A/B experiment is running: start one on /admin/experiments, or pass --versions A,B (ready model versions, first = control) [--split 50,50] to start one",
    );
  } else if (options.versions && !startedExperiment) {
    throw new ApiError("conflict", `experiment ${running.id} is already running; stop it before starting another with --versions`);
  }

  const simUsers = (
    await db
      .select({ id: users.id, externalId: users.externalId })
      .from(users)
      .where(and(eq(users.source, "simulated"), like(users.externalId, "sim:%")))
      // in id order: the seeded draws below pick users by position (a table scan's order is not
      // fixed on PostgreSQL, where updated rows move)
      .orderBy(asc(users.id))
  )
    .map((u) => ({ id: u.id, index: Number(u.externalId!.slice(4)) - 1 }))
    .filter((u) => Number.isInteger(u.index) && u.index >= 0);
  if (simUsers.length === 0) throw new ApiError("not_ready", "there are no simulated users: run `npm run simulate -- --users N` first");

  const items = await loadSimulationCatalog(db);
  const world = buildWorld(items, { seed: options.seed, clusters: options.clusters });
  const itemIndex = new Map(items.map((it, i) => [it.id, i]));
  const tastesCache = new Map<number, SimTastes>();
  const rng = mulberry32(deriveSeed(options.seed, 0x7aff1c));

  const arms = new Map<string, TrafficArmSummary>(running.arms.map((a) => [a.key, { arm: a.key, versionId: a.versionId, visits: 0, shown: 0, clicks: 0, watches: 0, ratings: 0 }]));
  let fallbackVisits = 0;

  for (let visit = 0; visit < options.visits; visit++) {
    const user = simUsers[Math.floor(rng() * simUsers.length)];
    let tastes = tastesCache.get(user.index);
    if (!tastes) {
      tastes = simulateUser(world, user.index).tastes;
      if (tastesCache.size < 50_000) tastesCache.set(user.index, tastes);
    }
    const favourites = new Set(tastes.favouriteClusters);
    const result = await recommendWithExperiment({ userId: user.id, k: options.k }, "simulated", SHOWN_IN_APP);
    const summary = result.experiment ? arms.get(result.experiment.arm) : undefined;
    if (!summary) {
      fallbackVisits++;
      hooks.onProgress?.(visit + 1, options.visits);
      continue;
    }
    summary.visits++;
    const rows: UpsertInteractionRow[] = [];
    for (const item of result.items) {
      summary.shown++;
      const idx = itemIndex.get(item.id);
      if (idx === undefined) continue;
      const movie = items[idx];
      const affinity =
        genreScore(tastes, movie) +
        (favourites.has(world.itemCluster[idx]) ? 0.6 : 0) +
        0.4 * (world.quality[idx] - 6.2) +
        tastes.bias +
        normal(rng, 0, 0.5);
      const pClick = sigmoid(CLICK_SLOPE * affinity + CLICK_OFFSET) / (1 + POSITION_DECAY * (item.rank - 1));
      if (rng() >= pClick) continue;
      const now = Date.now();
      if ((await recordRecommendationClick(user.id, item.id, now)).counted) summary.clicks++;
      if (rng() >= sigmoid(2 * affinity)) continue;
      const completion = Math.max(0.05, Math.min(1, sigmoid(1.8 * affinity + 1)));
      const runtime = (movie.runtime && movie.runtime > 0 ? movie.runtime : DEFAULT_RUNTIME_MIN) * 60;
      rows.push({ userId: user.id, movieId: item.id, kind: "watch", value: null, watchSeconds: Math.round(runtime * completion), source: "simulated", createdAt: now });
      summary.watches++;
      if (rng() < RATE_SHARE) {
        rows.push({ userId: user.id, movieId: item.id, kind: "rating", value: clamp(Math.round(2 * (2.6 + 0.9 * affinity)) / 2, 0.5, 5), watchSeconds: null, source: "simulated", createdAt: now });
        summary.ratings++;
      }
    }
    if (rows.length > 0) await transaction((tx) => upsertInteractions(tx, rows), db);
    hooks.onProgress?.(visit + 1, options.visits);
  }
  return { experimentId: running.id, startedExperiment, visits: options.visits, fallbackVisits, arms: [...arms.values()], durationMs: Date.now() - started };
}

/** The CLI's summary: what this run did per arm, then the experiment's report so far. */
export async function formatTrafficSummary(summary: TrafficSummary): Promise<string> {
  const report = await getExperimentReport(summary.experimentId);
  const pct = (r: { rate: number; interval: { low: number; high: number } } | null) =>
    r ? `${(100 * r.rate).toFixed(1)}% [${(100 * r.interval.low).toFixed(1)}–${(100 * r.interval.high).toFixed(1)}]` : "—";
  const lines = [
    `${summary.startedExperiment ? "started experiment" : "experiment"} #${summary.experimentId}: ${summary.visits} visits in ${(summary.durationMs / 1000).toFixed(1)}s (${summary.fallbackVisits} answered with popular/random picks, not counted)`,
    ...summary.arms.map((a) => `  this run, arm ${a.arm} (v${a.versionId}): ${a.visits} visits, ${a.shown} shown, ${a.clicks} clicks, ${a.watches} watches, ${a.ratings} ratings`),
    "report so far (rates per shown user×movie pair, 95% Wilson CI; p: two-proportion z-test vs control):",
    ...report.arms.map((a) => {
      const p = (test: { pValue: number } | null | undefined) => (test ? formatPValue(test.pValue) : "—");
      const vs = a.vsControl ? `; vs control: CTR ${p(a.vsControl.ctr)}, watch rate ${p(a.vsControl.watchRate)}` : " (control)";
      return `  ${a.key} v${a.versionId}: ${a.impressions} impressions, ${a.pairs} pairs, CTR ${pct(a.ctr)}, watch rate ${pct(a.watchRate)}${vs}`;
    }),
    `  ${report.verdict}`,
  ];
  return lines.join("\n");
}
