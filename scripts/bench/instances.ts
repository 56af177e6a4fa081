// npm run bench:instances — /api/recommend throughput of 1 vs 2 app instances sharing one
// PostgreSQL database, on this machine, loopback only, bounded in time. Results and the command:
// docs/benchmarks.md.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { load, percentile, type Sample } from "@/lib/bench/load";
import { loadAverage, timed, waitReady } from "@/lib/bench/process";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { childProcessEnv } from "@/lib/env";
import { createDatabase, databaseUrl, psql } from "@/tests/helpers/pg-databases";
import { startPostgres } from "@/tests/helpers/pg-server";

const HELP = `usage: npm run bench:instances -- [--duration 20] [--rounds 3] [--connections 32] [--port 3320] [--out docs/bench/instances.json]

Starts a throw-away PostgreSQL server (Debian's postgresql, loopback, temp directory), prepares the
embedded default in it (catalog, 1,000 simulated users, a trained model), starts two production
servers (\`next start\`, run \`npm run build\` first) on 127.0.0.1 against that one database, and in
--rounds rounds measures /api/recommend?userId=<random known user>&k=10 with --connections
connections on instance A alone, then split over A and B (half the connections each, as a load
balancer would), alternating the order. Prints requests/s and p50/p99 for both set-ups over every
response. Everything (servers, load generator, PostgreSQL) shares this machine's cores.`;

const schema = z.object({
  duration: intArg(2, 600).default(20),
  rounds: intArg(1, 20).default(3),
  connections: intArg(2, 256).default(32),
  port: intArg(1024, 65000).default(3320),
  out: z.string().default("docs/bench/instances.json"),
});

function startServer(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: "ignore" });
}

function summarize(samples: Sample[][], wallSeconds: number) {
  const latencies = samples.flat().flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    requestsPerSec: Math.round(latencies.length / wallSeconds),
    p50: Number(percentile(latencies, 50).toFixed(1)),
    p99: Number(percentile(latencies, 99).toFixed(1)),
    non2xx: samples.flat().reduce((t, s) => t + s.non2xx, 0),
    errors: samples.flat().reduce((t, s) => t + s.errors, 0),
    total: latencies.length,
  };
}

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    { duration: { type: "string" }, rounds: { type: "string" }, connections: { type: "string" }, port: { type: "string" }, out: { type: "string" } },
    schema,
    HELP,
  );
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new CliError("no production build: run `npm run build` first");
  const pg = await startPostgres();
  const servers: ChildProcess[] = [];
  try {
    createDatabase(pg.url, "matinee");
    const url = databaseUrl(pg.url, "matinee");
    // Prepared by the CLI in a child process: this process never opens the database (its tables
    // would be bound to the dialect of its own start-up environment).
    const env = childProcessEnv({ NODE_ENV: "production", DATABASE_URL: url, AUTH_SECRET: "bench-secret-bench-secret-bench", API_RATE_LIMIT: "1000000000" });
    const prepared = timed(process.execPath, ["--import", "tsx", "scripts/prepare.ts"], { env: { ...env, NODE_ENV: "development" } });
    if (prepared.status !== 0) throw new CliError(`prepare failed:\n${prepared.stderr.slice(-2000)}`);
    process.stderr.write(prepared.stdout);
    const users = psql(url, "SELECT DISTINCT user_id FROM recommendations WHERE model_version_id = (SELECT value::int FROM app_state WHERE key = 'serving_model_version') ORDER BY user_id")
      .trim()
      .split("\n")
      .map(Number);
    if (users.length === 0) throw new CliError("no cached recommendations after prepare");
    const report = { seconds: prepared.wallSeconds };
    const bases = [args.port, args.port + 1].map((p) => `http://127.0.0.1:${p}`);
    servers.push(startServer(args.port, env), startServer(args.port + 1, env));
    await Promise.all(bases.map((b) => waitReady(b)));
    const pick = () => `/api/recommend?userId=${users[Math.floor(Math.random() * users.length)]}&k=10`;
    for (const b of bases) await load(b, { seconds: 3, connections: args.connections, paths: pick }); // warm up both

    const seconds = Math.max(1, Math.round(args.duration / args.rounds));
    const one: Sample[][] = [];
    const two: Sample[][] = [];
    let oneWall = 0;
    let twoWall = 0;
    for (let round = 0; round < args.rounds; round++) {
      for (const which of round % 2 === 0 ? ["one", "two"] : ["two", "one"]) {
        const t = Date.now();
        if (which === "one") {
          one.push([await load(bases[0], { seconds, connections: args.connections, paths: pick })]);
          oneWall += (Date.now() - t) / 1000;
        } else {
          const half = Math.ceil(args.connections / 2);
          two.push(await Promise.all(bases.map((b) => load(b, { seconds, connections: half, paths: pick }))));
          twoWall += (Date.now() - t) / 1000;
        }
      }
      process.stderr.write(`round ${round + 1}/${args.rounds} done\n`);
    }
    const result = {
      command: `npm run bench:instances -- ${process.argv.slice(2).join(" ")}`.trim(),
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: "PostgreSQL (throw-away server on 127.0.0.1), embedded default: 4,803 movies, 1,000 simulated users",
      knownUsers: users.length,
      connections: args.connections,
      duration: args.duration,
      rounds: args.rounds,
      prepareSeconds: report.seconds,
      oneInstance: summarize(one, oneWall),
      twoInstances: summarize(two, twoWall),
      loadAverageAtEnd: loadAverage(),
    };
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log("| app instances | req/s | p50 ms | p99 ms | non-2xx | errors |\n|---|---|---|---|---|---|");
    for (const [label, r] of [["1", result.oneInstance], ["2", result.twoInstances]] as const) {
      console.log(`| ${label} | ${r.requestsPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
    }
    console.log(`\nload average at the end: ${result.loadAverageAtEnd.join(" ")}; wrote ${args.out}`);
  } finally {
    for (const s of servers) s.kill("SIGTERM");
    await pg.stop();
  }
});
