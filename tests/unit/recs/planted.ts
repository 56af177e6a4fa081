// Synthetic interactions with planted taste clusters, for model tests: users mostly pick items from
// their own cluster, so a collaborative model can find what popularity cannot.
import { createRng } from "@/lib/recs/split";

export interface PlantedData {
  /** [user, item] pairs (ids are "u<n>" / "i<n>"), with per-user held-out pairs separate. */
  train: [string, string][];
  test: [string, string][];
  clusters: number;
}

export function plantedInteractions(options: { users?: number; items?: number; clusters?: number; perUser?: number; heldOut?: number; seed?: number } = {}): PlantedData {
  const { users = 240, items = 120, clusters = 6, perUser = 14, heldOut = 4, seed = 7 } = options;
  const rng = createRng(seed);
  const clusterOf = (item: number) => item % clusters;
  // A few globally popular items everybody tends to have, so popularity is a real baseline.
  const popular = [0, 1, 2, 3, 4, 5];
  const train: [string, string][] = [];
  const test: [string, string][] = [];
  for (let u = 0; u < users; u++) {
    const c = u % clusters;
    const own = Array.from({ length: items }, (_, i) => i).filter((i) => clusterOf(i) === c && !popular.includes(i));
    const picks = new Set<number>();
    for (const p of popular) if (rng() < 0.5) picks.add(p);
    while (picks.size < perUser + heldOut) {
      const pool = rng() < 0.85 ? own : Array.from({ length: items }, (_, i) => i);
      picks.add(pool[Math.floor(rng() * pool.length)]);
    }
    const list = [...picks];
    // Hold out in-cluster items only: the signal a model should recover.
    let held = 0;
    for (const i of list) {
      if (held < heldOut && clusterOf(i) === c && !popular.includes(i)) {
        test.push([`u${u}`, `i${i}`]);
        held++;
      } else {
        train.push([`u${u}`, `i${i}`]);
      }
    }
  }
  return { train, test, clusters };
}

/** The same data as u.data text (tab-separated user item rating timestamp) with numeric ids. */
export function plantedUData(options: Parameters<typeof plantedInteractions>[0] = {}): string {
  const { train, test } = plantedInteractions(options);
  return [...train, ...test].map(([u, i], n) => `${u.slice(1)}\t${i.slice(1)}\t${1 + (n % 5)}\t${880000000 + n}\n`).join("");
}
