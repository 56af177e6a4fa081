import { describe, expect, it } from "vitest";
import { assignArm, assignmentPoint, erfc, normalCdf, twoProportionZTest, wilsonInterval } from "@/lib/experiments/stats";

describe("two-proportion z-test", () => {
  it("matches a hand-computed example", () => {
    // Control 200 clicks / 1000 shown, treatment 250 / 1000.
    // pooled p̂ = 450/2000 = 0.225; SE = √(0.225 · 0.775 · (1/1000 + 1/1000)) = √0.00034875 = 0.0186748
    // z = (0.25 − 0.20) / 0.0186748 = 2.6774; two-sided p = 2(1 − Φ(2.6774)) = 0.00742
    // unpooled SE of the difference = √(0.2·0.8/1000 + 0.25·0.75/1000) = 0.0186414,
    // 95% CI of the difference = 0.05 ± 1.96 · 0.0186414 = [0.01346, 0.08654]
    const t = twoProportionZTest({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 })!;
    expect(t.difference).toBeCloseTo(0.05, 12);
    expect(t.z).toBeCloseTo(2.6774, 4);
    expect(t.pValue).toBeCloseTo(0.00742, 5);
    expect(t.differenceInterval.low).toBeCloseTo(0.01346, 5);
    expect(t.differenceInterval.high).toBeCloseTo(0.08654, 5);
  });

  it("is symmetric, gives p = 1 for equal rates and nothing to test without trials or variation", () => {
    const a = twoProportionZTest({ successes: 250, trials: 1000 }, { successes: 200, trials: 1000 })!;
    expect(a.z).toBeCloseTo(-2.6774, 4);
    expect(a.pValue).toBeCloseTo(0.00742, 5);
    expect(twoProportionZTest({ successes: 30, trials: 100 }, { successes: 60, trials: 200 })!.pValue).toBeCloseTo(1, 6);
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 1, trials: 10 })).toBeNull();
    expect(twoProportionZTest({ successes: 0, trials: 50 }, { successes: 0, trials: 80 })).toBeNull();
  });

  it("a small difference on little data is not significant", () => {
    const t = twoProportionZTest({ successes: 10, trials: 100 }, { successes: 12, trials: 100 })!;
    expect(t.pValue).toBeGreaterThan(0.5);
    expect(t.differenceInterval.low).toBeLessThan(0);
  });
});

describe("normal distribution", () => {
  it("erfc and Φ match known values", () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normalCdf(3)).toBeCloseTo(0.998650, 6);
  });
});

describe("Wilson interval", () => {
  it("matches hand-computed values", () => {
    // 200/1000: centre (0.2 + 1.96²/2000) / (1 + 1.96²/1000) = 0.201147; half-width 0.024771
    const ci = wilsonInterval(200, 1000)!;
    expect(ci.low).toBeCloseTo(0.17638, 5);
    expect(ci.high).toBeCloseTo(0.22592, 5);
    // 0/10: [0, z²/(n+z²)] = [0, 3.8415/13.8415]
    const zero = wilsonInterval(0, 10)!;
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.27753, 5);
    expect(wilsonInterval(10, 10)!.high).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("covers the true rate about 95% of the time", () => {
    // Deterministic pseudo-random draws (LCG), 2,000 samples of n = 200 at p = 0.1.
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let covered = 0;
    for (let r = 0; r < 2000; r++) {
      let x = 0;
      for (let i = 0; i < 200; i++) if (rnd() < 0.1) x++;
      const ci = wilsonInterval(x, 200)!;
      if (ci.low <= 0.1 && 0.1 <= ci.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThan(0.93);
    expect(covered / 2000).toBeLessThan(0.975);
  });
});

describe("arm assignment", () => {
  const arms = [
    { key: "A", weight: 70 },
    { key: "B", weight: 30 },
  ];

  it("is stable: the same user always gets the same arm of the same experiment", () => {
    for (let user = 1; user <= 2000; user++) {
      expect(assignArm(arms, 7, user).key).toBe(assignArm(arms, 7, user).key);
    }
    expect(assignmentPoint(7, 42)).toBe(assignmentPoint(7, 42));
    expect(assignmentPoint(7, 42)).not.toBe(assignmentPoint(8, 42));
  });

  it("matches the split within tolerance over 100,000 users", () => {
    const counts = { A: 0, B: 0 };
    const n = 100_000;
    for (let user = 1; user <= n; user++) counts[assignArm(arms, 3, user).key as "A" | "B"]++;
    // Binomial sd at p = 0.3: √(n·0.3·0.7) ≈ 145 users; allow 5 sd.
    expect(Math.abs(counts.B - 0.3 * n)).toBeLessThan(725);
    expect(counts.A + counts.B).toBe(n);
  });

  it("splits three ways and is independent across experiments", () => {
    const three = [
      { key: "A", weight: 50 },
      { key: "B", weight: 25 },
      { key: "C", weight: 25 },
    ];
    const counts = new Map<string, number>();
    const both = new Map<string, number>();
    const n = 60_000;
    for (let user = 1; user <= n; user++) {
      const a = assignArm(three, 1, user).key;
      counts.set(a, (counts.get(a) ?? 0) + 1);
      const pair = `${a}${assignArm(three, 2, user).key}`;
      both.set(pair, (both.get(pair) ?? 0) + 1);
    }
    expect(counts.get("A")! / n).toBeCloseTo(0.5, 1);
    expect(Math.abs(counts.get("C")! / n - 0.25)).toBeLessThan(0.01);
    // Being in A of experiment 1 says nothing about experiment 2: P(A, A) ≈ 0.5 · 0.5.
    expect(Math.abs(both.get("AA")! / n - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(both.get("CB")! / n - 0.0625)).toBeLessThan(0.006);
  });

  it("never assigns a zero-weight arm", () => {
    const withZero = [
      { key: "A", weight: 100 },
      { key: "B", weight: 0 },
    ];
    for (let user = 1; user <= 1000; user++) expect(assignArm(withZero, 9, user).key).toBe("A");
  });
});
