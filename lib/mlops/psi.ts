// Population Stability Index between two histograms over the same bins. Pure.
// PSI = Σ (a − e) · ln(a / e) over bin shares; a small epsilon stands in for empty bins.
// Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift.

export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = 1e-4): number {
  if (expected.length !== actual.length) throw new RangeError("histograms must have the same bins");
  const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
  const te = sum(expected);
  const ta = sum(actual);
  if (te <= 0 || ta <= 0) return 0;
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / te, epsilon);
    const a = Math.max(actual[i] / ta, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** Bucket a value by ascending upper bounds: bounds [1, 5, 10] → bins ≤1, ≤5, ≤10, >10. */
export function bucketIndex(value: number, bounds: number[]): number {
  for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) return i;
  return bounds.length;
}
