import { describe, expect, it } from "vitest";
import { buildScaleWorld, generateScaleBatch, parseScale, resolveScaleOptions, ScaleBatch, scaleOptionsFor, type ScaleOptions } from "@/lib/simulate/scale";

const tiny: ScaleOptions = resolveScaleOptions({ users: 1500, items: 600, interactions: 60_000, seed: 7, clusters: 10 });

function generateAll(options: ScaleOptions, step = options.users) {
  const world = buildScaleWorld(options);
  const users: number[] = [];
  const items: number[] = [];
  const batch = new ScaleBatch();
  for (let from = 0; from < options.users; from += step) {
    generateScaleBatch(world, from, Math.min(options.users, from + step), batch);
    for (let k = 0; k < batch.userCount; k++) {
      for (let p = batch.offsets[k]; p < batch.offsets[k + 1]; p++) {
        users.push(from + k);
        items.push(batch.item[p]);
      }
    }
  }
  return { world, users, items };
}

describe("scale presets", () => {
  it("20m is the issue's shape: 140,000 users × 27,000 movies × 20,000,000 interactions", () => {
    expect(scaleOptionsFor("20m")).toMatchObject({ users: 140_000, items: 27_000, interactions: 20_000_000 });
    expect(scaleOptionsFor("1m")).toMatchObject({ users: 7_000, items: 27_000, interactions: 1_000_000 });
    expect(parseScale("2.5m")).toBe(2_500_000);
    expect(parseScale("300k")).toBe(300_000);
    expect(parseScale("lots")).toBeNull();
    expect(() => scaleOptionsFor("0")).toThrow(/--scale/);
  });

  it("refuses impossible totals", () => {
    expect(() => resolveScaleOptions({ users: 100, items: 50, interactions: 100 })).toThrow(/at least/);
    expect(() => resolveScaleOptions({ users: 10, items: 50, interactions: 10_000 })).toThrow(/at most/);
  });
});

describe("generateScaleBatch", () => {
  const { world, users, items } = generateAll(tiny);

  it("produces exactly the requested interactions, within the per-user bounds, no duplicate pairs", () => {
    expect(users.length).toBe(tiny.interactions);
    expect(world.counts.reduce((a, b) => a + b, 0)).toBe(tiny.interactions);
    expect(Math.min(...world.counts)).toBeGreaterThanOrEqual(tiny.minPerUser);
    expect(Math.max(...world.counts)).toBeLessThanOrEqual(tiny.maxPerUser);
    const pairs = new Set(users.map((u, r) => u * tiny.items + items[r]));
    expect(pairs.size).toBe(users.length);
  });

  it("has power-law popularity and activity: a short head, a long tail", () => {
    const perItem = new Array(tiny.items).fill(0);
    for (const i of items) perItem[i]++;
    const sorted = [...perItem].sort((a, b) => b - a);
    const head = sorted.slice(0, tiny.items / 10).reduce((a, b) => a + b, 0);
    expect(head / items.length).toBeGreaterThan(0.3); // top 10% of movies
    // item index = popularity rank: the first decile is far busier than the last
    const decile = (d: number) => perItem.slice((d * tiny.items) / 10, ((d + 1) * tiny.items) / 10).reduce((a, b) => a + b, 0);
    expect(decile(0)).toBeGreaterThan(5 * decile(9));
    const activity = [...world.counts].sort((a, b) => a - b);
    expect(activity[activity.length - 1] / activity[activity.length >> 1]).toBeGreaterThan(5);
  });

  it("plants taste clusters: a user's picks concentrate in a few clusters", () => {
    let favouriteShare = 0;
    let counted = 0;
    for (let start = 0, u = 0; u < tiny.users; u++) {
      const end = start + world.counts[u];
      const byCluster = new Array(tiny.clusters).fill(0);
      for (let r = start; r < end; r++) byCluster[world.itemCluster[items[r]]]++;
      if (end - start >= 20) {
        favouriteShare += Math.max(...byCluster) / (end - start);
        counted++;
      }
      start = end;
    }
    // uniform over 10 clusters would give about 0.1–0.2
    expect(favouriteShare / counted).toBeGreaterThan(0.35);
  });

  it("is deterministic by seed, and a user's history does not depend on the batch it is in (resume)", () => {
    const again = generateAll(tiny, 97);
    expect(again.items).toEqual(items);
    expect(again.users).toEqual(users);
    const other = generateAll({ ...tiny, seed: 8 });
    expect(other.items).not.toEqual(items);
  });
});
