/**
 * At most one call of `fn` at a time: callers arriving while one runs get its promise. For
 * refreshes many concurrent requests may ask for at once (one database read answers them all).
 */
export function singleFlight<T>(fn: () => Promise<T>): { run: () => Promise<T>; forget: () => void } {
  let inflight: Promise<T> | undefined;
  return {
    run: () =>
      (inflight ??= fn().finally(() => {
        inflight = undefined;
      })),
    /** Drop the running call (tests that switch databases); the next run starts afresh. */
    forget: () => {
      inflight = undefined;
    },
  };
}
