// The interaction simulator: pure functions from (catalog, options) to simulated users. No db, no
// env, no clock: the same seed and catalog give the same users, so `npm run simulate` is
// reproducible and safe to re-run.
import { z } from "zod";
import { clamp, cumulative, deriveSeed, drawIndex, mulberry32, normal, randomInt, sigmoid, type Rng } from "./random";

export const simulationOptionsSchema = z.object({
  users: z.number().int().min(1).max(1_000_000).default(1000),
  maxPerUser: z.number().int().min(1).max(1000).default(20),
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  /** How many item neighbourhoods the catalog is carved into. */
  clusters: z.number().int().min(1).max(500).default(24),
  /** Share of a user's picks drawn from their favourite neighbourhoods (the rest: anywhere). */
  inClusterShare: z.number().min(0).max(1).default(0.7),
});

export type SimulationOptions = z.output<typeof simulationOptionsSchema>;
export type SimulationOptionsInput = z.input<typeof simulationOptionsSchema>;

/** What the simulator needs to know about a movie. */
export type SimItem = {
  id: number;
  voteAverage: number; // TMDB 0–10
  voteCount: number;
  popularity: number;
  runtime: number | null; // minutes
  genreIds: number[];
  year: number | null;
  language: string | null;
};

export type SimInteraction = {
  movieId: number;
  kind: "watch" | "rating";
  value: number | null; // rating 0.5–5 in halves
  watchSeconds: number | null;
  createdAt: number; // ms since the epoch
};

export type SimTastes = {
  favouriteClusters: number[];
  clusterWeights: number[];
  /** Affinity per genre id: positive = likes the genre. */
  genreAffinity: Map<number, number>;
  /** Generous (+) or harsh (−) rater. */
  bias: number;
};

export type SimUser = { index: number; externalId: string; tastes: SimTastes; interactions: SimInteraction[] };

export type SimWorld = {
  options: SimulationOptions;
  items: SimItem[];
  itemCluster: Int32Array;
  clusterItems: Int32Array[];
  /** Running sums of the choice weight, within each cluster and over the whole catalog. */
  clusterCum: Float64Array[];
  globalCum: Float64Array;
  /** Vote average shrunk towards the catalog mean (few votes = little evidence), 0–10. */
  quality: Float64Array;
  genreIds: number[];
  /** The two most common genres of each cluster: what a fan of the cluster tends to love. */
  clusterTopGenres: number[][];
};

// Simulated history starts here, so timestamps do not depend on when the simulation runs.
const HISTORY_START_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const DEFAULT_RUNTIME_MIN = 100;
const PRIOR_VOTES = 20;

/**
 * The original design's choice weight: popularity times 2^rating, where rating is the movie's vote
 * average on a 0–5 scale. A 4-star movie is chosen 4× as often as an otherwise equal 2-star one.
 */
export function choiceWeight(item: Pick<SimItem, "voteAverage" | "popularity">): number {
  const rating = clamp(item.voteAverage, 0, 10) / 2;
  return Math.pow(2, rating) * Math.pow(Math.max(item.popularity, 0) + 1, 1);
}

/**
 * Carve the catalog into neighbourhoods and precompute the weighted draws. Neighbourhoods are
 * anchored on popular movies and gather movies with similar genres, language and era, plus noise,
 * so they overlap with genres without being the same thing: content features alone cannot
 * recover them, co-watching can.
 */
export function buildWorld(items: SimItem[], input: SimulationOptionsInput = {}): SimWorld {
  const options = simulationOptionsSchema.parse(input);
  if (items.length === 0) throw new Error("the catalog is empty: nothing to simulate over");
  const rng = mulberry32(deriveSeed(options.seed, 0xc105));
  const weights = items.map(choiceWeight);
  const globalCum = cumulative(weights);

  let votesTotal = 0;
  let weightedSum = 0;
  for (const it of items) {
    votesTotal += it.voteCount;
    weightedSum += it.voteAverage * it.voteCount;
  }
  const meanVote = votesTotal > 0 ? weightedSum / votesTotal : 6;
  const quality = Float64Array.from(
    items,
    (it) => (it.voteAverage * it.voteCount + meanVote * PRIOR_VOTES) / (it.voteCount + PRIOR_VOTES),
  );

  // Anchors: distinct movies drawn by choice weight.
  const clusterCount = Math.min(options.clusters, items.length);
  const anchors: number[] = [];
  const taken = new Set<number>();
  for (let tries = 0; anchors.length < clusterCount && tries < clusterCount * 200; tries++) {
    const i = drawIndex(rng, globalCum);
    if (!taken.has(i)) {
      taken.add(i);
      anchors.push(i);
    }
  }
  for (let i = 0; anchors.length < clusterCount; i++) if (!taken.has(i)) anchors.push(i);

  const itemCluster = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < anchors.length; c++) {
      const score = anchors[c] === i ? Infinity : similarity(items[i], items[anchors[c]]) + 0.9 * rng();
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    itemCluster[i] = best;
  }

  const members: number[][] = anchors.map(() => []);
  for (let i = 0; i < items.length; i++) members[itemCluster[i]].push(i);
  const clusterItems = members.map((m) => Int32Array.from(m));
  const clusterCum = members.map((m) => cumulative(m.map((i) => weights[i])));

  const genreIds = [...new Set(items.flatMap((it) => it.genreIds))].sort((a, b) => a - b);
  const clusterTopGenres = members.map((m) => {
    const counts = new Map<number, number>();
    for (const i of m) for (const g of items[i].genreIds) counts.set(g, (counts.get(g) ?? 0) + 1);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 2)
      .map(([g]) => g);
  });

  return { options, items, itemCluster, clusterItems, clusterCum, globalCum, quality, genreIds, clusterTopGenres };
}

function similarity(a: SimItem, b: SimItem): number {
  let shared = 0;
  for (const g of a.genreIds) if (b.genreIds.includes(g)) shared++;
  const union = a.genreIds.length + b.genreIds.length - shared;
  const jaccard = union > 0 ? shared / union : 0;
  const sameLanguage = a.language !== null && a.language === b.language ? 1 : 0;
  const era = a.year !== null && b.year !== null ? Math.max(0, 1 - Math.abs(a.year - b.year) / 25) : 0;
  return 2 * jaccard + 0.5 * sameLanguage + 0.8 * era;
}

/** A user's hidden tastes: favourite neighbourhoods, genre likes and dislikes, rating bias. */
export function drawTastes(world: SimWorld, rng: Rng): SimTastes {
  const clusterCount = world.clusterItems.length;
  const favourites: number[] = [];
  const wanted = Math.min(randomInt(rng, 1, 3), clusterCount);
  while (favourites.length < wanted) {
    const c = Math.floor(rng() * clusterCount);
    if (!favourites.includes(c)) favourites.push(c);
  }
  const clusterWeights = favourites.map(() => 0.5 + rng());

  const genreAffinity = new Map<number, number>();
  for (const g of world.genreIds) genreAffinity.set(g, normal(rng, 0, 0.3));
  const loved = new Set<number>();
  for (const c of favourites) {
    for (const g of world.clusterTopGenres[c]) {
      loved.add(g);
      genreAffinity.set(g, (genreAffinity.get(g) ?? 0) + 0.5 + 0.5 * rng());
    }
  }
  const others = world.genreIds.filter((g) => !loved.has(g));
  if (others.length > 0) {
    const hated = others[Math.floor(rng() * others.length)];
    genreAffinity.set(hated, (genreAffinity.get(hated) ?? 0) - 0.6 - 0.6 * rng());
  }
  return { favouriteClusters: favourites, clusterWeights, genreAffinity, bias: normal(rng, 0, 0.35) };
}

export function genreScore(tastes: SimTastes, item: SimItem): number {
  if (item.genreIds.length === 0) return 0;
  let sum = 0;
  for (const g of item.genreIds) sum += tastes.genreAffinity.get(g) ?? 0;
  return sum / item.genreIds.length;
}

/** Simulate user `index` (0-based). Depends only on the world and the index, not on the user count. */
export function simulateUser(world: SimWorld, index: number): SimUser {
  const { options, items } = world;
  const rng = mulberry32(deriveSeed(options.seed, 0x05e7, index));
  const tastes = drawTastes(world, rng);
  const favouriteCum = cumulative(tastes.clusterWeights);
  const favouriteSet = new Set(tastes.favouriteClusters);

  // Activity is skewed towards the maximum: most users are regulars, some only dropped by.
  const count = clamp(Math.round(options.maxPerUser * (0.2 + 0.8 * Math.sqrt(rng()))), 1, Math.min(options.maxPerUser, items.length));
  const picked = new Set<number>();
  const interactions: SimInteraction[] = [];
  let clock = HISTORY_START_MS + Math.floor(rng() * 300 * DAY_MS);

  for (let attempt = 0; picked.size < count && attempt < count * 50; attempt++) {
    let idx: number;
    if (rng() < options.inClusterShare) {
      const c = tastes.favouriteClusters[drawIndex(rng, favouriteCum)];
      idx = world.clusterItems[c][drawIndex(rng, world.clusterCum[c])];
    } else {
      idx = drawIndex(rng, world.globalCum);
    }
    if (picked.has(idx)) continue;
    const item = items[idx];
    const genre = genreScore(tastes, item);
    // People mostly skip genres they dislike; a late attempt takes what it gets.
    if (attempt < count * 25 && rng() > 0.15 + 0.85 * sigmoid(2.5 * genre)) continue;
    picked.add(idx);

    const affinity =
      genre +
      (favouriteSet.has(world.itemCluster[idx]) ? 0.6 : 0) +
      0.4 * (world.quality[idx] - 6.2) +
      tastes.bias +
      normal(rng, 0, 0.5);

    clock += Math.floor((0.2 + -Math.log(1 - rng())) * 1.5 * DAY_MS);
    const runtimeSeconds = (item.runtime && item.runtime > 0 ? item.runtime : DEFAULT_RUNTIME_MIN) * 60;
    // How much of the movie was watched follows how much the user likes it; most finish what they like.
    let completion = sigmoid(1.8 * affinity + 1 + normal(rng, 0, 0.4));
    if (completion > 0.93) completion = 1;
    completion = Math.max(completion, 0.02);
    const watchSeconds = Math.round(runtimeSeconds * completion);
    interactions.push({ movieId: item.id, kind: "watch", value: null, watchSeconds, createdAt: clock });

    // Finished movies get rated far more often than abandoned ones.
    if (rng() < 0.25 + 0.6 * completion) {
      const rating = clamp(Math.round(2 * (2.6 + 0.9 * affinity)) / 2, 0.5, 5);
      interactions.push({ movieId: item.id, kind: "rating", value: rating, watchSeconds: null, createdAt: clock + watchSeconds * 1000 });
    }
  }
  return { index, externalId: simulatedExternalId(index), tastes, interactions };
}

/** `sim:<n>`, 1-based for people reading the users table. */
export function simulatedExternalId(index: number): string {
  return `sim:${index + 1}`;
}

/** Users 0..options.users-1, one at a time, so large runs never hold everyone in memory. */
export function* simulateUsers(world: SimWorld): Generator<SimUser> {
  for (let n = 0; n < world.options.users; n++) yield simulateUser(world, n);
}
