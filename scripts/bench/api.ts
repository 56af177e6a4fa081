// npm run bench:api — throughput and latency of /api/recommend (random known users) against the
// trivial /api/ping on the same production server, loopback only, bounded in time.
// Results and the command: docs/benchmarks.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { z } from "zod";
import { CliError, parseCliArgs, runCli } from "@/lib/cli";
import { closeDb } from "@/lib/db";
import { childProcessEnv, getEnv } from "@/lib/env";
import { getServingVersionId } from "@/lib/mlops/registry";
import { listCachedUserIds } from "@/lib/recs/cache";
import { prepareEmbeddedDefault } from "@/lib/setup/prepare";

const HELP = `usage: DATABASE_PATH=data/bench.db npm run bench:api -- [--duration 15] [--connections 16] [--port 3310]

Prepares DATABASE_PATH (embedded default if empty), starts \`next start\` on 127.0.0.1 (run
\`npm run build\` first), then loads /api/ping and /api/recommend?userId=<random known user>&k=10
for --duration seconds each and prints requests/s and p50/p99 latency for both.`;

const schema = z.object({
  duration: z.coerce.number().int().min(2).max(120).default(15),
  connections: z.coerce.number().int().min(1).max(256).default(16),
  port: z.coerce.number().int().min(1024).max(65535).default(3310),
  json: z.boolean().default(false),
});

type Result = { route: string; requestsPerSec: number; p50: number; p99: number; non2xx: number; errors: number; total: number };

function load(url: string, opts: { duration: number; connections: number; paths: () => string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: opts.connections,
        duration: opts.duration,
        requests: [{ setupRequest: (req) => ({ ...req, path: opts.paths() }) }],
      },
      (err: Error | null, r: autocannon.Result) => {
        if (err) return reject(err);
        resolve({
          route: opts.paths().split("?")[0],
          requestsPerSec: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
          total: r.requests.total,
        });
      },
    );
  });
}

async function waitHealthy(base: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new CliError("the server did not become ready in time");
}

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    { duration: { type: "string" }, connections: { type: "string" }, port: { type: "string" }, json: { type: "boolean" } },
    schema,
    HELP,
  );
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new CliError("no production build: run `npm run build` first");
  const report = await prepareEmbeddedDefault((l) => process.stderr.write(`${l}\n`));
  const version = await getServingVersionId();
  if (version === null) throw new CliError("no serving model after prepare");
  const users = await listCachedUserIds(version);
  closeDb();
  const base = `http://127.0.0.1:${args.port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(args.port), "-H", "127.0.0.1"], {
    env: childProcessEnv({ NODE_ENV: "production", AUTH_SECRET: "bench-secret-bench-secret-bench" }),
    stdio: "ignore",
  });
  try {
    await waitHealthy(base);
    const pick = () => `/api/recommend?userId=${users[Math.floor(Math.random() * users.length)]}&k=10`;
    // warm both routes (JIT, SQLite page cache) before measuring
    await load(base, { duration: 3, connections: args.connections, paths: () => "/api/ping" });
    await load(base, { duration: 3, connections: args.connections, paths: pick });
    const ping = await load(base, { ...args, paths: () => "/api/ping" });
    const rec = await load(base, { ...args, paths: pick });
    const summary = {
      database: getEnv().DATABASE_PATH,
      knownUsers: users.length,
      servingVersion: version,
      duration: args.duration,
      connections: args.connections,
      prepareSeconds: report.seconds,
      ping,
      recommend: rec,
      throughputRatio: rec.requestsPerSec / ping.requestsPerSec,
      p99Ratio: rec.p99 / Math.max(ping.p99, 1),
    };
    if (args.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`| route | req/s | p50 ms | p99 ms | non-2xx | errors |\n|---|---|---|---|---|---|`);
      for (const r of [ping, rec]) console.log(`| ${r.route} | ${r.requestsPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
      console.log(`\n/api/recommend reaches ${(summary.throughputRatio * 100).toFixed(1)}% of /api/ping's throughput; p99 ratio ${summary.p99Ratio.toFixed(2)}`);
    }
  } finally {
    server.kill("SIGTERM");
  }
});
