/**
 * Whether something stamped at `at` (a `Date.now()` time) is still younger than `ttlMs` at `now`.
 * A negative age means the wall clock stepped back since the stamp: that is not fresh, so a
 * per-process cache looks at the database again instead of trusting itself for as long as the
 * step (minutes or hours after an NTP correction).
 */
export function isFresh(at: number, ttlMs: number, now: number): boolean {
  const age = now - at;
  return age >= 0 && age < ttlMs;
}
