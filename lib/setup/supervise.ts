import type { ChildProcess } from "node:child_process";

type Signal = "SIGINT" | "SIGTERM";

export type SuperviseOptions = {
  /** Where the stop signals arrive (process, in npm start). */
  signals: { on(signal: Signal, listener: () => void): unknown; off(signal: Signal, listener: () => void): unknown };
  /** Whether whoever started us is still there (npm start: the parent pid is unchanged). */
  parentAlive: () => boolean;
  pollMs?: number;
};

/**
 * Run until the server exits. A stop asked for (Ctrl-C, SIGTERM) is passed to the server, and its
 * exit then is a clean stop whatever code it reports (Next exits 130 / 143 on those signals).
 * `npm start` runs us under `sh -c`, which dies of SIGTERM without passing it on: a parent that is
 * gone counts as a stop too, instead of leaving the server running, orphaned, on its port.
 * Any other exit of the server but 0 is an error.
 */
export function superviseServer(server: ChildProcess, opts: SuperviseOptions): Promise<void> {
  let stopping = false;
  const stop = (signal: Signal) => {
    stopping = true;
    server.kill(signal);
  };
  const onInt = () => stop("SIGINT");
  const onTerm = () => stop("SIGTERM");
  opts.signals.on("SIGINT", onInt);
  opts.signals.on("SIGTERM", onTerm);
  const watch = setInterval(() => {
    if (!stopping && !opts.parentAlive()) stop("SIGTERM");
  }, opts.pollMs ?? 1000);
  return new Promise((resolve, reject) => {
    server.on("exit", (code, signal) => {
      clearInterval(watch);
      opts.signals.off("SIGINT", onInt);
      opts.signals.off("SIGTERM", onTerm);
      if (code === 0 || stopping) resolve();
      else reject(new Error(code !== null ? `server exited with code ${code}` : `server was stopped by ${signal}`));
    });
  });
}
