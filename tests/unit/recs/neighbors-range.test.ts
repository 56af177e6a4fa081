import { describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/recs/dataset";
import { itemNeighbors, itemNeighborsForRange } from "@/lib/recs/models/neighbors";
import { balancedRange, neighborCosts, shardRange } from "@/lib/recs/shards";
import { plantedInteractions } from "./planted";

// Sharded training computes neighbour lists per item range; the union of the ranges must be
// exactly (bit for bit) the single-process result, on one thread or several.

const big = buildDataset(plantedInteractions({ users: 400, items: 300, perUser: 25, heldOut: 0 }).train);

describe("itemNeighborsForRange", () => {
  it.each([
    [3, 1],
    [4, 2],
    [1, 3],
  ])("%i ranges on %i thread(s) give exactly itemNeighbors' lists", (shards, threads) => {
    for (const opts of [{}, { shrink: 2, alpha: 0.3, exponent: 2 }]) {
      const full = itemNeighbors(big, 20, { ...opts, threads: 2 });
      for (let s = 0; s < shards; s++) {
        const [from, to] = shardRange(big.nItems, s, shards);
        const part = itemNeighborsForRange(big, 20, from, to, { ...opts, threads });
        for (let i = 0; i < big.nItems; i++) {
          const got = [part.items.slice(part.ptr[i], part.ptr[i + 1]), part.scores.slice(part.ptr[i], part.ptr[i + 1])];
          if (i < from || i >= to) expect(got[0].length).toBe(0);
          else expect(got).toEqual([full.items.slice(full.ptr[i], full.ptr[i + 1]), full.scores.slice(full.ptr[i], full.ptr[i + 1])]);
        }
      }
    }
  });

  it("shardRange covers [0, n) once in contiguous, near-equal parts", () => {
    for (const [n, shards] of [[10, 3], [7, 7], [3, 5], [27000, 4]]) {
      const parts = Array.from({ length: shards }, (_, s) => shardRange(n, s, shards));
      expect(parts[0][0]).toBe(0);
      expect(parts[shards - 1][1]).toBe(n);
      for (let s = 1; s < shards; s++) expect(parts[s][0]).toBe(parts[s - 1][1]);
      const sizes = parts.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("balancedRange splits by work: contiguous, complete, and no part above its share plus one item", () => {
    const costs = neighborCosts(big);
    const total = costs.reduce((a, b) => a + b, 0);
    const maxItem = Math.max(...costs);
    for (const shards of [1, 2, 3, 4, 7]) {
      const parts = Array.from({ length: shards }, (_, s) => balancedRange(costs, s, shards));
      expect(parts[0][0]).toBe(0);
      expect(parts[shards - 1][1]).toBe(big.nItems);
      for (let s = 1; s < shards; s++) expect(parts[s][0]).toBe(parts[s - 1][1]);
      for (const [a, b] of parts) {
        const work = costs.slice(a, b).reduce((x, y) => x + y, 0);
        expect(work).toBeLessThanOrEqual(total / shards + maxItem);
      }
    }
    // all-zero costs fall back to equal counts
    expect(balancedRange(new Float64Array(10), 1, 2)).toEqual([5, 10]);
  });

  it("refuses a range outside the items and K = 0 (all neighbours cannot be sharded)", () => {
    expect(() => itemNeighborsForRange(big, 20, 0, big.nItems + 1)).toThrow(RangeError);
    expect(() => itemNeighborsForRange(big, 0, 0, 10)).toThrow(/neighbour count/);
  });
});
