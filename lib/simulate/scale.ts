// Synthetic data at benchmark scale (issue 9): ~140,000 users × 27,000 movies × 20,000,000
// interactions with a power-law item popularity, a power-law (Pareto) user activity and planted
// taste clusters, the shape of /work/shared/reference/synth.py. Pure: no db, env or clock.
// Everything lands in typed arrays; nothing allocates per interaction. User n's history depends
// only on (options, n), so a batch can be regenerated exactly after a crash (resume).
import { z } from "zod";
import { cumulative, deriveSeed, drawIndex, mulberry32, normal } from "./random";

/** Interactions per preset; users scale with them (≈ 143 per user, MovieLens-20M's mean), movies stay at 27,000. */
export const SCALE_PRESETS = { "1m": 1_000_000, "5m": 5_000_000, "10m": 10_000_000, "20m": 20_000_000 } as const;
export type ScalePreset = keyof typeof SCALE_PRESETS;
const USERS_PER_INTERACTION = 140_000 / 20_000_000;
const SCALE_ITEMS = 27_000;
const MAX_SCALE_INTERACTIONS = 200_000_000; // scaleOptionsSchema's bound

export const scaleOptionsSchema = z
  .object({
    users: z.number().int().min(1).max(5_000_000),
    items: z.number().int().min(2).max(1_000_000),
    interactions: z.number().int().min(1).max(MAX_SCALE_INTERACTIONS),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    /** Taste clusters the movies are split into (each user favours 1–2 of them). */
    clusters: z.number().int().min(1).max(1000).default(20),
    /** Share of a user's picks drawn from their favourite clusters. */
    inClusterShare: z.number().min(0).max(1).default(0.6),
    /** Popularity of the r-th most popular movie ∝ r^-exponent (Zipf; synth.py uses 0.9). */
    popularityExponent: z.number().min(0).max(3).default(0.9),
    /**
     * Pareto shape of user activity; smaller = heavier tail. 1.5 gives, at 20m, a median of 79
     * interactions per user, a 99th percentile of ~1,100 and a busiest user of 10,000 (synth.py
     * draws with 1.2, then drops duplicates and users past the total).
     */
    activityAlpha: z.number().min(0.5).max(10).default(1.5),
    minPerUser: z.number().int().min(1).default(10),
    /** Default: half the catalog, at most 10,000 (MovieLens-20M's busiest user has 9,254). */
    maxPerUser: z.number().int().min(1).optional(),
    /** Share of interactions that are ratings (the rest are watches). */
    ratingShare: z.number().min(0).max(1).default(0.35),
  })
  .refine((o) => o.minPerUser <= Math.min(o.items, o.maxPerUser ?? Infinity), "minPerUser must not exceed maxPerUser or the movie count");

export type ScaleOptions = z.output<typeof scaleOptionsSchema> & { maxPerUser: number };
export type ScaleOptionsInput = z.input<typeof scaleOptionsSchema>;

/** `20m`, `1m`, or any count like `2.5m` / `300k` / `150000` → full options (users ∝ interactions). */
export function scaleOptionsFor(scale: string, overrides: Partial<ScaleOptionsInput> = {}): ScaleOptions {
  const interactions = parseScale(scale);
  if (interactions === null) throw new RangeError(`--scale must be ${Object.keys(SCALE_PRESETS).join(", ")} or a count like 2.5m, 300k; got "${scale}"`);
  if (interactions > MAX_SCALE_INTERACTIONS) throw new RangeError(`--scale is at most 200m interactions; got "${scale}"`);
  return resolveScaleOptions({
    users: Math.max(1, Math.round(interactions * USERS_PER_INTERACTION)),
    items: SCALE_ITEMS,
    interactions,
    ...overrides,
  });
}

export function parseScale(scale: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(scale.trim());
  if (!m) return null;
  const n = Math.round(Number(m[1]) * (m[2].toLowerCase() === "m" ? 1e6 : m[2].toLowerCase() === "k" ? 1e3 : 1));
  return n >= 1 ? n : null;
}

export function resolveScaleOptions(input: ScaleOptionsInput): ScaleOptions {
  const o = scaleOptionsSchema.parse(input);
  const maxPerUser = Math.min(o.items, o.maxPerUser ?? Math.min(10_000, Math.max(o.minPerUser, Math.floor(o.items / 2))));
  if (o.interactions < o.users * o.minPerUser) throw new RangeError(`${o.interactions} interactions cannot give ${o.users} users at least ${o.minPerUser} each`);
  if (o.interactions > o.users * maxPerUser) throw new RangeError(`${o.interactions} interactions cannot fit ${o.users} users with at most ${maxPerUser} each`);
  return { ...o, maxPerUser };
}

export type ScaleWorld = {
  options: ScaleOptions;
  /** Interactions per user (sums to options.interactions exactly). */
  counts: Int32Array;
  /** Cluster of each item; item index = popularity rank (0 = most popular). */
  itemCluster: Int32Array;
  clusterItems: Int32Array[];
  clusterCum: Float64Array[];
  globalCum: Float64Array;
};

/**
 * Popularity weights, clusters and the per-user activity counts. Activity: a Pareto(alpha) draw per
 * user, scaled by one factor (found by bisection) and clamped to [minPerUser, maxPerUser] so the
 * counts add up to the requested total; the remainder is spread one by one in user order.
 */
export function buildScaleWorld(options: ScaleOptions): ScaleWorld {
  const { users, items, clusters } = options;
  const rng = mulberry32(deriveSeed(options.seed, 0x5ca1e));
  const weights = new Float64Array(items);
  for (let r = 0; r < items; r++) weights[r] = Math.pow(r + 1, -options.popularityExponent);
  const globalCum = cumulative(weights);

  const itemCluster = new Int32Array(items);
  const sizes = new Int32Array(clusters);
  for (let i = 0; i < items; i++) sizes[(itemCluster[i] = Math.floor(rng() * clusters))]++;
  const clusterItems = Array.from({ length: clusters }, (_, c) => new Int32Array(sizes[c]));
  const fill = new Int32Array(clusters);
  for (let i = 0; i < items; i++) clusterItems[itemCluster[i]][fill[itemCluster[i]]++] = i;
  const clusterCum = clusterItems.map((m) => cumulative(Float64Array.from(m, (i) => weights[i])));

  const raw = new Float64Array(users);
  for (let u = 0; u < users; u++) raw[u] = Math.pow(1 - mulberry32(deriveSeed(options.seed, 0xac71, u))(), -1 / options.activityAlpha);
  const counts = activityCounts(raw, options.interactions, options.minPerUser, options.maxPerUser);
  return { options, counts, itemCluster, clusterItems, clusterCum, globalCum };
}

function activityCounts(raw: Float64Array, total: number, lo: number, hi: number): Int32Array {
  const n = raw.length;
  const sumAt = (s: number) => {
    let sum = 0;
    for (let u = 0; u < n; u++) sum += Math.min(hi, Math.max(lo, Math.floor(s * raw[u])));
    return sum;
  };
  let a = 0;
  let b = 1;
  while (sumAt(b) < total && b < 1e12) b *= 2;
  for (let it = 0; it < 100 && b - a > 1e-9 * b; it++) {
    const m = (a + b) / 2;
    if (sumAt(m) <= total) a = m;
    else b = m;
  }
  const counts = new Int32Array(n);
  let sum = 0;
  for (let u = 0; u < n; u++) sum += counts[u] = Math.min(hi, Math.max(lo, Math.floor(a * raw[u])));
  for (let u = 0; sum < total; u = (u + 1) % n) {
    if (counts[u] < hi) {
      counts[u]++;
      sum++;
    }
  }
  return counts;
}

/** Interactions of a run of users, in flat typed arrays (rows of user k: offsets[k] .. offsets[k+1]). */
export class ScaleBatch {
  firstUser = 0;
  userCount = 0;
  length = 0;
  offsets = new Int32Array(1);
  /** Item index (= popularity rank). */
  item = new Int32Array(0);
  /** 1 = a rating (value set), 0 = a watch (watchSeconds set). */
  rated = new Uint8Array(0);
  value = new Float32Array(0);
  watchSeconds = new Int32Array(0);
  createdAt = new Float64Array(0);

  reset(firstUser: number, userCount: number, rows: number): void {
    this.firstUser = firstUser;
    this.userCount = userCount;
    this.length = 0;
    if (this.offsets.length < userCount + 1) this.offsets = new Int32Array(userCount + 1);
    this.offsets[0] = 0;
    if (this.item.length < rows) {
      this.item = new Int32Array(rows);
      this.rated = new Uint8Array(rows);
      this.value = new Float32Array(rows);
      this.watchSeconds = new Int32Array(rows);
      this.createdAt = new Float64Array(rows);
    }
  }
}

// Simulated history starts here, so timestamps do not depend on when the simulation runs.
const HISTORY_START_MS = Date.UTC(2022, 0, 1);
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 730;
const RUNTIME_SECONDS = 6000;

/** Generate users [from, to) into `batch` (reused between calls). `seen` is scratch of length items. */
export function generateScaleBatch(world: ScaleWorld, from: number, to: number, batch: ScaleBatch, seen = new Int32Array(world.options.items)): ScaleBatch {
  const { options, counts, clusterItems, clusterCum, globalCum } = world;
  let rows = 0;
  for (let u = from; u < to; u++) rows += counts[u];
  batch.reset(from, to - from, rows);
  const nClusters = clusterItems.length;
  let p = 0;
  for (let u = from; u < to; u++) {
    const rng = mulberry32(deriveSeed(options.seed, 0x05ca, u));
    const stamp = u + 1;
    // Planted taste: one or two favourite clusters with their own weights.
    const favA = Math.floor(rng() * nClusters);
    const favB = rng() < 0.5 ? Math.floor(rng() * nClusters) : favA;
    const shareA = 0.5 + 0.5 * rng();
    const c = counts[u];
    let clock = HISTORY_START_MS + Math.floor(rng() * 300 * DAY_MS);
    const meanGap = (HISTORY_DAYS * DAY_MS) / c;
    let made = 0;
    for (let attempt = 0; made < c && attempt < 20 * c; attempt++) {
      let i: number;
      let inCluster = false;
      if (rng() < options.inClusterShare) {
        const cl = rng() < shareA ? favA : favB;
        if (clusterItems[cl].length === 0) continue;
        i = clusterItems[cl][drawIndex(rng, clusterCum[cl])];
        inCluster = true;
      } else {
        i = drawIndex(rng, globalCum);
      }
      if (seen[i] === stamp) continue;
      seen[i] = stamp;
      p = emit(batch, p, i, inCluster || world.itemCluster[i] === favA || world.itemCluster[i] === favB, options.ratingShare, rng, (clock += Math.floor(-Math.log(1 - rng()) * meanGap) + 1000));
      made++;
    }
    // A very busy user can exhaust the rejection budget on a saturated head: walk the catalog.
    for (let i = Math.floor(rng() * options.items), steps = 0; made < c && steps < options.items; i = (i + 1) % options.items, steps++) {
      if (seen[i] === stamp) continue;
      seen[i] = stamp;
      p = emit(batch, p, i, world.itemCluster[i] === favA || world.itemCluster[i] === favB, options.ratingShare, rng, (clock += Math.floor(-Math.log(1 - rng()) * meanGap) + 1000));
      made++;
    }
    batch.offsets[u - from + 1] = p;
  }
  batch.length = p;
  return batch;
}

function emit(batch: ScaleBatch, p: number, item: number, liked: boolean, ratingShare: number, rng: () => number, at: number): number {
  const affinity = (liked ? 0.7 : -0.2) + normal(rng, 0, 0.8);
  batch.item[p] = item;
  batch.createdAt[p] = at;
  if (rng() < ratingShare) {
    batch.rated[p] = 1;
    batch.value[p] = Math.min(5, Math.max(0.5, Math.round(2 * (3.4 + affinity)) / 2));
    batch.watchSeconds[p] = 0;
  } else {
    batch.rated[p] = 0;
    batch.value[p] = 0;
    const completion = 1 / (1 + Math.exp(-(1.8 * affinity + 1)));
    batch.watchSeconds[p] = Math.round(RUNTIME_SECONDS * (completion > 0.93 ? 1 : Math.max(0.02, completion)));
  }
  return p + 1;
}

/** `scale:<n>`, 1-based, distinct from the regular simulator's `sim:<n>`. */
export function scaleExternalId(index: number): string {
  return `scale:${index + 1}`;
}
