// How the admin report and the verdicts write a p-value, in one place. No server imports: the
// report's components use it too.

/** "p = 0.0074", or "p < 0.0001" when four decimals would show zero. */
export function formatPValue(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${p.toFixed(4)}`;
}
