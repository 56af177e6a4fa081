/**
 * A `RateLimit` header field of one policy, as the draft writes it (`"api";r=41;t=23`), parsed;
 * null when absent or not of that form.
 */
export function parseRateLimit(value: string | null): { policy: string; remaining: number; reset: number } | null {
  const match = value === null ? null : /^"([a-z][a-z0-9-]*)";r=(\d+);t=(\d+)$/.exec(value);
  return match ? { policy: match[1], remaining: Number(match[2]), reset: Number(match[3]) } : null;
}

/**
 * Wait, if need be, until at least `needMs` are left in the current fixed window of `windowMs`
 * (windows start at multiples of it, as lib/ratelimit counts them): a test that fills a budget on
 * the real clock would otherwise see it reset when a window boundary falls inside the test.
 */
export async function untilWindowHasLeft(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 5));
}
