import autocannon from "autocannon";
import { CliError } from "@/lib/cli";

// Bounded loopback load with autocannon, keeping every response's latency so runs (rounds,
// instances) merge into exact percentiles. Used by bench:api and bench:instances.

export type Sample = { route: string; seconds: number; latencies: number[]; non2xx: number; errors: number };
export type Result = { route: string; requestsPerSec: number; p50: number; p99: number; non2xx: number; errors: number; total: number };

/** One bounded autocannon run; every response's latency is kept so rounds can be merged exactly. */
export function load(url: string, opts: { seconds: number; connections: number; paths: () => string }): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const instance = autocannon(
      {
        url,
        connections: opts.connections,
        duration: opts.seconds,
        requests: [{ setupRequest: (req) => ({ ...req, path: opts.paths() }) }],
      },
      (err: Error | null, r: autocannon.Result) => {
        if (err) return reject(err);
        resolve({ route: opts.paths().split("?")[0], seconds: r.duration, latencies, non2xx, errors: r.errors + r.timeouts });
      },
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status < 200 || status >= 300) non2xx++;
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function merge(samples: Sample[]): Result {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((t, s) => t + s.seconds, 0);
  return {
    route: samples[0].route,
    requestsPerSec: latencies.length / seconds,
    p50: Number(percentile(latencies, 50).toFixed(1)),
    p99: Number(percentile(latencies, 99).toFixed(1)),
    non2xx: samples.reduce((t, s) => t + s.non2xx, 0),
    errors: samples.reduce((t, s) => t + s.errors, 0),
    total: latencies.length,
  };
}

/**
 * Request each path once, `concurrency` at a time, and fail on any answer but 2xx: a warm-up that
 * covers a whole set (every known user) however fast the machine is, where a timed one covers
 * less of it on a slower machine.
 */
export async function requestEach(base: string, paths: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const res = await fetch(`${base}${path}`);
      await res.arrayBuffer();
      if (!res.ok) throw new CliError(`warm-up: ${path} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, worker));
}
