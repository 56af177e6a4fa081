/**
 * For fixture processes: say "ready" on stdout, then spin for `ms` as a model fit does (no timer or
 * signal handler of the main thread can run meanwhile), then exit 0 if nothing ended the process.
 */
export function readyThenBusy(ms = 20_000): void {
  process.stdout.write("ready\n");
  setTimeout(() => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // busy, as a model fit is
    }
    process.exit(0);
  }, 100);
}
