/**
 * A `RateLimit` header field of one policy, as the draft writes it (`"api";r=41;t=23`), parsed;
 * null when absent or not of that form.
 */
export function parseRateLimit(value: string | null): { policy: string; remaining: number; reset: number } | null {
  const match = value === null ? null : /^"([a-z][a-z0-9-]*)";r=(\d+);t=(\d+)$/.exec(value);
  return match ? { policy: match[1], remaining: Number(match[2]), reset: Number(match[3]) } : null;
}
