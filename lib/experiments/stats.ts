// The statistics of an A/B experiment, pure: arm assignment by hash, confidence intervals for a
// proportion, and the two-proportion z-test. No db, env or clock, so every number in the admin
// report can be checked by hand (tests/unit/experiments/stats.test.ts).
import { createHash } from "node:crypto";

/** 1.959963...: the two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

/**
 * A user's position in [0, 1) for an experiment: the first 52 bits of SHA-256("<experimentId>:<userId>").
 * Deterministic (the same user always lands in the same arm of the same experiment) and
 * independent across experiments (a user in arm A of one experiment is not more likely to be in A
 * of the next).
 */
export function assignmentPoint(experimentId: number, userId: number): number {
  const hex = createHash("sha256").update(`${experimentId}:${userId}`).digest("hex");
  return parseInt(hex.slice(0, 13), 16) / 2 ** 52;
}

/**
 * The arm for a user: arms cover [0, 1) in order, each as wide as its weight's share of the total.
 * Weights need not sum to 100; zero-weight arms get nobody.
 */
export function assignArm<A extends { weight: number }>(arms: readonly A[], experimentId: number, userId: number): A {
  if (arms.length === 0) throw new Error("an experiment needs at least one arm");
  const total = arms.reduce((s, a) => s + a.weight, 0);
  const x = assignmentPoint(experimentId, userId) * total;
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight;
    if (x < edge) return arm;
  }
  return arms.findLast((a) => a.weight > 0) ?? arms[arms.length - 1];
}

/**
 * erfc(x), Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7 everywhere), enough for
 * p-values printed to 4 decimals.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export type Interval = { low: number; high: number };

/**
 * Wilson score interval for `successes` out of `trials`. Unlike the textbook p ± z·√(p(1−p)/n),
 * it stays inside [0, 1] and is not degenerate at 0 or n successes, which matters for the small
 * counts an experiment starts with. Null with no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export type ZTest = {
  /** Treatment rate minus control rate. */
  difference: number;
  /** 95% interval of the difference (unpooled standard error). */
  differenceInterval: Interval;
  z: number;
  /** Two-sided p-value under H0: equal rates (pooled standard error). */
  pValue: number;
};

/**
 * Two-proportion z-test of treatment (x2/n2) against control (x1/n1):
 * pooled p̂ = (x1+x2)/(n1+n2), SE = √(p̂(1−p̂)(1/n1+1/n2)), z = (p2−p1)/SE, p = 2(1−Φ(|z|)).
 * Null when either arm has no trials or nothing varies (both rates 0 or both 1).
 */
export function twoProportionZTest(control: { successes: number; trials: number }, treatment: { successes: number; trials: number }): ZTest | null {
  const { successes: x1, trials: n1 } = control;
  const { successes: x2, trials: n2 } = treatment;
  if (n1 <= 0 || n2 <= 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (p2 - p1) / se;
  const seDiff = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const difference = p2 - p1;
  return {
    difference,
    differenceInterval: { low: difference - Z_95 * seDiff, high: difference + Z_95 * seDiff },
    z,
    pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)),
  };
}
