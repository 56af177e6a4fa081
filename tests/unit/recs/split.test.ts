import { describe, expect, it } from "vitest";
import { NumpyRandom, parseSplitSpec, roundHalfEven, stratifiedSplit } from "@/lib/recs/split";

// 30 items with 1..30 ratings each (item k has k ratings), shuffled rows.
function table() {
  const keys: number[] = [];
  for (let item = 0; item < 30; item++) for (let r = 0; r <= item; r++) keys.push(item);
  const order = keys.map((_, i) => i).sort((a, b) => ((a * 7919) % 97) - ((b * 7919) % 97) || a - b);
  return { keys: Int32Array.from(order, (i) => keys[i]), ids: Array.from({ length: 30 }, (_, i) => String(i + 1)) };
}

describe("stratifiedSplit", () => {
  it("puts round(0.75 · n) of each item's rows in train (Python's half-to-even rounding)", () => {
    const { keys, ids } = table();
    const { train, test } = stratifiedSplit(keys, ids, { ratio: 0.75, seed: 42 });
    expect(train.length + test.length).toBe(keys.length);
    expect(new Set([...train, ...test]).size).toBe(keys.length);
    const perItem = new Map<number, number>();
    for (const row of train) perItem.set(keys[row], (perItem.get(keys[row]) ?? 0) + 1);
    for (let item = 0; item < 30; item++) expect(perItem.get(item) ?? 0).toBe(roundHalfEven(0.75 * (item + 1)));
    // a single rating stays in train; two ratings (1.5 → 2) too
    expect(perItem.get(0)).toBe(1);
    expect(perItem.get(1)).toBe(2);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const { keys, ids } = table();
    const a = stratifiedSplit(keys, ids, { ratio: 0.75, seed: 42 });
    const b = stratifiedSplit(keys, ids, { ratio: 0.75, seed: 42 });
    const c = stratifiedSplit(keys, ids, { ratio: 0.75, seed: 43 });
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it("holds out a random subset: every row is about equally likely to be in test", () => {
    const keys = new Int32Array(4000).fill(0);
    const counts = new Float64Array(4000);
    for (let seed = 0; seed < 50; seed++) for (const row of stratifiedSplit(keys, ["1"], { ratio: 0.75, seed }).test) counts[row]++;
    const firstHalf = counts.slice(0, 2000).reduce((a, b) => a + b);
    const secondHalf = counts.slice(2000).reduce((a, b) => a + b);
    expect(firstHalf / (firstHalf + secondHalf)).toBeGreaterThan(0.48);
    expect(firstHalf / (firstHalf + secondHalf)).toBeLessThan(0.52);
  });

  it("rejects ratios outside (0, 1)", () => {
    expect(() => stratifiedSplit(new Int32Array(1), ["1"], { ratio: 1, seed: 1 })).toThrow(/ratio/);
  });
});

describe("roundHalfEven and parseSplitSpec", () => {
  it("rounds halves to even like Python", () => {
    expect([0.5, 1.5, 2.5, 4.5, 7.5, 2.25, 2.75].map(roundHalfEven)).toEqual([0, 2, 2, 4, 8, 2, 3]);
  });

  it("parses item/user specs", () => {
    expect(parseSplitSpec("item:0.75")).toEqual({ by: "item", ratio: 0.75 });
    expect(parseSplitSpec("user:0.8")).toEqual({ by: "user", ratio: 0.8 });
    expect(parseSplitSpec("0.5")).toEqual({ by: "item", ratio: 0.5 });
    expect(() => parseSplitSpec("time:0.5")).toThrow(/invalid split/);
    expect(() => parseSplitSpec("item:1.5")).toThrow(/invalid split/);
  });
});

describe("NumpyRandom", () => {
  it("reproduces numpy.random.default_rng(42).permutation exactly", () => {
    // python3 -c "import numpy as np; g = np.random.default_rng(42); print(g.permutation(10), g.permutation(5), g.permutation(3))"
    const rng = new NumpyRandom(42);
    const permutation = (n: number) => {
      const a = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.interval(i);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return Array.from(a);
    };
    expect(permutation(10)).toEqual([5, 6, 0, 7, 3, 2, 4, 9, 1, 8]);
    expect(permutation(5)).toEqual([2, 4, 0, 3, 1]);
    expect(permutation(3)).toEqual([1, 0, 2]);
  });
});
