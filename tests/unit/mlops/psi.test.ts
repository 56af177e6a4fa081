import { describe, expect, it } from "vitest";
import { bucketIndex, psi } from "@/lib/mlops/psi";

describe("psi", () => {
  it("is 0 for identical distributions, whatever the totals", () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
  });

  it("matches a hand-computed example", () => {
    // expected shares .5/.5, actual .8/.2: (.8-.5)ln(.8/.5) + (.2-.5)ln(.2/.5) = .3·0.470004 + .3·0.916291
    expect(psi([50, 50], [80, 20])).toBeCloseTo(0.3 * Math.log(1.6) + 0.3 * Math.log(2.5), 9);
    expect(psi([50, 50], [80, 20])).toBeCloseTo(0.415888, 5);
  });

  it("is symmetric in the swap of the two histograms and grows with the shift", () => {
    expect(psi([70, 30], [40, 60])).toBeCloseTo(psi([40, 60], [70, 30]), 12);
    expect(psi([50, 50], [60, 40])).toBeLessThan(psi([50, 50], [90, 10]));
  });

  it("handles empty bins with epsilon smoothing instead of Infinity", () => {
    const v = psi([100, 0], [50, 50]);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(1);
  });

  it("buckets by ascending bounds", () => {
    expect([0, 1, 2, 5, 6, 100].map((v) => bucketIndex(v, [1, 5, 10]))).toEqual([0, 0, 1, 1, 2, 3]);
  });
});
