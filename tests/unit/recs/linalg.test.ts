import { describe, expect, it } from "vitest";
import { invertSpd, NotPositiveDefiniteError } from "@/lib/recs/models/linalg";
import { createRng } from "@/lib/recs/split";

function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const r = Array.from({ length: n * 8 }, () => rng() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < 8; p++) s += r[i * 8 + p] * r[j * 8 + p];
      a[i * n + j] = a[j * n + i] = s + (i === j ? 1 : 0);
    }
  return a;
}

describe("invertSpd", () => {
  // Sizes straddle the 64-row blocks and the 2×4 tiles (remainders in every direction).
  it.each([1, 2, 5, 63, 64, 65, 131])("A · A⁻¹ = I for n = %i", (n) => {
    const a = randomSpd(n, n);
    const inv = a.slice();
    invertSpd(inv, n);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += a[i * n + p] * inv[p * n + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        expect(inv[i * n + j]).toBe(inv[j * n + i]);
      }
    expect(worst).toBeLessThan(1e-9);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => invertSpd(Float64Array.of(1, 2, 2, 1), 2)).toThrow(NotPositiveDefiniteError);
  });
});
