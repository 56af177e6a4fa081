import { describe, expect, it } from "vitest";
import { catalogCoverage, meanPopularityRank, rankingMetrics } from "@/lib/recs/metrics";

describe("rankingMetrics", () => {
  it("matches a hand-computed example (hits at ranks 1 and 3 of 3, three relevant)", () => {
    const test = new Map([["u1", new Set(["a", "b", "c"])]]);
    const recs = new Map([["u1", ["a", "x", "b"]]]);
    const m = rankingMetrics(test, recs, 3);
    expect(m.users).toBe(1);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4)
    expect(m.ndcg).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3) + 0.5), 12);
    // AP = (1/1 + 2/3) / |relevant|
    expect(m.map).toBeCloseTo((1 + 2 / 3) / 3, 12);
  });

  it("divides precision by k even for short lists, and MAP by all relevant items", () => {
    const test = new Map([["u", new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]]);
    const recs = new Map([["u", [9, 100]]]);
    const m = rankingMetrics(test, recs, 10);
    expect(m.precision).toBeCloseTo(0.1, 12);
    expect(m.recall).toBeCloseTo(1 / 12, 12);
    expect(m.map).toBeCloseTo(1 / 12, 12);
    // IDCG over min(|relevant|, k) = 10 positions
    const idcg = Array.from({ length: 10 }, (_, r) => 1 / Math.log2(r + 2)).reduce((a, b) => a + b);
    expect(m.ndcg).toBeCloseTo(1 / idcg, 12);
  });

  it("averages over users in both test and recommendations, and only the top k counts", () => {
    const test = new Map([
      ["a", new Set(["x"])],
      ["b", new Set(["y"])],
      ["only-test", new Set(["z"])],
    ]);
    const recs = new Map([
      ["a", ["x", "q"]],
      ["b", ["q", "r", "y"]], // y is at rank 3, outside k = 2
      ["only-recs", ["x"]],
    ]);
    const m = rankingMetrics(test, recs, 2);
    expect(m.users).toBe(2);
    expect(m.precision).toBeCloseTo(0.25, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
    expect(m.ndcg).toBeCloseTo(0.5, 12);
    expect(m.map).toBeCloseTo(0.5, 12);
  });

  it("rejects a bad k and returns zeros when nobody overlaps", () => {
    expect(() => rankingMetrics(new Map(), new Map(), 0)).toThrow(/k must be/);
    expect(rankingMetrics(new Map([["a", new Set([1])]]), new Map(), 10)).toMatchObject({ users: 0, ndcg: 0 });
  });
});

describe("coverage and novelty", () => {
  it("coverage counts distinct recommended items over the catalog", () => {
    expect(catalogCoverage([Int32Array.of(0, 1), Int32Array.of(1, 2)], 10)).toBeCloseTo(0.3);
    expect(catalogCoverage([], 0)).toBe(0);
  });

  it("novelty is the mean popularity rank of recommended items", () => {
    const ranks = Int32Array.of(1, 2, 3, 4);
    expect(meanPopularityRank([Int32Array.of(0, 3), Int32Array.of(1)], ranks)).toBeCloseTo((1 + 4 + 2) / 3);
  });
});
