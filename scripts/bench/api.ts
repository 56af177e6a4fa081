// npm run bench:api — throughput and latency of /api/recommend (random known users) against the
// trivial /api/ping on the same production server, loopback only, bounded in time.
// Results and the command: docs/benchmarks.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { load, merge, requestEach, type Result, type Sample } from "@/lib/bench/load";
import { addSelfTimes, compareRoutes, monotonicMicros, readProfileOf, selfTimeByRoute, type RoundWindow } from "@/lib/bench/cpu-profile";
import { machineCpuMicros, processCpuMicros, waitReady } from "@/lib/bench/process";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { closeDb } from "@/lib/db";
import { childProcessEnv, getEnv } from "@/lib/env";
import { getServingVersionId } from "@/lib/mlops/registry";
import { listCachedUserIds } from "@/lib/recs/cache";
import { prepareEmbeddedDefault } from "@/lib/setup/prepare";

const HELP = `usage: DATABASE_PATH=data/bench.db npm run bench:api -- [--duration 60] [--rounds 30] [--starts 3] [--connections 16] [--port 3310] [--memo-mb N] [--cpu-prof DIR [--cpu-prof-top 25]] [--json]

Prepares DATABASE_PATH (embedded default if empty), starts \`next start\` on 127.0.0.1 (run
\`npm run build\` first), warms up, then alternates /api/ping,
/api/recommend?userId=<random known user>&k=10 and /api/ping?userId=<random known user>&k=10 in
--rounds rounds (--duration seconds per route in total) and prints requests/s and p50/p99 latency
for each, over every response of every round. The warm-up runs each route for 3 s, then asks once
for every known user's list, so the memo of finished lists starts the rounds as warm on a slow
machine as on a fast one (--memo-mb 0 measures without it). Alternating keeps the routes under
the same background load on a shared machine. The third route is the trivial handler requested with the
same query string, so the server's own URL handling costs both the same. On Linux it also prints
each route's CPU time per response: the server process's (every thread, from /proc) and this
process's, the load generator, which shares the machine's cores with the server, and how busy
the whole machine was during the rounds (cores busy, those outside the two, steal).

--starts N splits the rounds over N server starts (a fresh process each), since how well V8
optimises the server's code differs from one start to the next; the totals merge every start.
The defaults are the measurement docs/benchmarks.md reports (about 5 minutes); a quick look:
--duration 20 --rounds 5 --starts 1.

--cpu-prof DIR runs the server under V8's sampling profiler (node --cpu-prof, profiles written to
DIR) and prints where each route's time went: the JavaScript thread's busy time per response and
the functions whose self time per response differs most between /api/recommend and
/api/ping?userId=…&k=10 (--cpu-prof-top of them). Each sample counts for the route whose round
was running, so both routes are compared under the same start's JIT state. The profiler costs
time of its own: the throughput numbers of such a run are not the benchmark's.`;

const schema = z.object({
  duration: intArg(2, 600).default(60),
  rounds: intArg(1, 50).default(30),
  starts: intArg(1, 10).default(3),
  connections: intArg(1, 256).default(16),
  port: intArg(1024, 65535).default(3310),
  "memo-mb": intArg(0, 65_536).optional(),
  "cpu-prof": z.string().min(1).optional(),
  "cpu-prof-top": intArg(1, 500).default(25),
  json: z.boolean().default(false),
});

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      duration: { type: "string" },
      rounds: { type: "string" },
      starts: { type: "string" },
      connections: { type: "string" },
      port: { type: "string" },
      "memo-mb": { type: "string" },
      "cpu-prof": { type: "string" },
      "cpu-prof-top": { type: "string" },
      json: { type: "boolean" },
    },
    schema,
    HELP,
  );
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new CliError("no production build: run `npm run build` first");
  const report = await prepareEmbeddedDefault((l) => process.stderr.write(`${l}\n`));
  const version = await getServingVersionId();
  if (version === null) throw new CliError("no serving model after prepare");
  const users = await listCachedUserIds(version);
  closeDb();
  if (args.rounds % args.starts !== 0) throw new CliError("--rounds must be a multiple of --starts");
  const base = `http://127.0.0.1:${args.port}`;
  const user = () => users[Math.floor(Math.random() * users.length)];
  const routes = {
    ping: () => "/api/ping",
    recommend: () => `/api/recommend?userId=${user()}&k=10`,
    pingWithQuery: () => `/api/ping?userId=${user()}&k=10`,
  };
  type Route = keyof typeof routes;
  const names: Route[] = ["ping", "recommend", "pingWithQuery"];
  const samples: Record<Route, Sample[]> = { ping: [], recommend: [], pingWithQuery: [] };
  const perStart: { throughputRatio: number; p99Ratio: number; vsPingWithQuery: number }[] = [];
  const memo = { hits: 0, misses: 0 };
  // CPU time per response, measured round by round: the server process (every thread) and this
  // process, the load generator, which shares the machine's cores with it
  const cpu = Object.fromEntries(names.map((name) => [name, { serverUs: 0, clientUs: 0, responses: 0 }])) as Record<
    Route,
    { serverUs: number; clientUs: number; responses: number }
  >;
  let cpuMeasured = true;
  // the whole machine over the same rounds: what else ran (and what the hypervisor took) while
  // they were measured, so a disturbed run can be told from a clean one
  const machine = { busyUs: 0, stealUs: 0, wallUs: 0 };
  const seconds = Math.max(1, Math.round(args.duration / args.rounds));
  const roundsPerStart = args.rounds / args.starts;
  // --cpu-prof: self time per function and route, summed over every start's profile
  const profileDir = args["cpu-prof"] ? path.resolve(args["cpu-prof"]) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const selfTimes = new Map<string, Map<string, number>>();
  for (let start = 0; start < args.starts; start++) {
    const windows: RoundWindow[] = [];
    const profiler = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
    const server = spawn(process.execPath, [...profiler, "node_modules/next/dist/bin/next", "start", "-p", String(args.port), "-H", "127.0.0.1"], {
      // One client address sends everything, so the per-client limit is raised out of the way; it
      // still counts every /api/recommend request (its cost is part of what is measured).
      env: childProcessEnv({
        NODE_ENV: "production",
        AUTH_SECRET: "bench-secret-bench-secret-bench",
        API_RATE_LIMIT: "1000000000",
        ...(args["memo-mb"] !== undefined ? { RECOMMEND_MEMO_MB: String(args["memo-mb"]) } : {}),
      }),
      stdio: "ignore",
    });
    try {
      await waitReady(base);
      // warm every route (JIT, SQLite page cache) before measuring, then ask for every known user's
      // list once: the measured rounds then find this instance's memo as a steady stream of repeat
      // requests leaves it, however much of it the timed warm-up covered on this machine
      for (const name of names) await load(base, { seconds: 3, connections: args.connections, paths: routes[name] });
      await requestEach(base, users.map((u) => `/api/recommend?userId=${u}&k=10`), args.connections);
      const memoBefore = await memoLookups(base);
      const mine: Record<Route, Sample[]> = { ping: [], recommend: [], pingWithQuery: [] };
      for (let round = 0; round < roundsPerStart; round++) {
        // rotate which route goes first so none always follows another
        const order = names.map((_, i) => names[(i + round) % names.length]);
        for (const name of order) {
          const machine0 = machineCpuMicros();
          const wall0 = performance.now();
          const server0 = processCpuMicros(server.pid);
          const client0 = process.cpuUsage();
          const from = monotonicMicros();
          const sample = await load(base, { seconds, connections: args.connections, paths: routes[name] });
          windows.push({ route: name, from, to: monotonicMicros() });
          const client = process.cpuUsage(client0);
          const server1 = processCpuMicros(server.pid);
          const machine1 = machineCpuMicros();
          mine[name].push(sample);
          if (server0 === null || server1 === null || machine0 === null || machine1 === null) cpuMeasured = false;
          else {
            cpu[name].serverUs += server1 - server0;
            cpu[name].clientUs += client.user + client.system;
            cpu[name].responses += sample.latencies.length;
            machine.busyUs += machine1.busyUs - machine0.busyUs;
            machine.stealUs += machine1.stealUs - machine0.stealUs;
            machine.wallUs += (performance.now() - wall0) * 1000;
          }
        }
        process.stderr.write(`start ${start + 1}/${args.starts}, round ${round + 1}/${roundsPerStart} done\n`);
      }
      const memoAfter = await memoLookups(base);
      memo.hits += memoAfter.hit - memoBefore.hit;
      memo.misses += memoAfter.miss - memoBefore.miss;
      const [p, r, q] = names.map((name) => merge(mine[name]));
      perStart.push({ throughputRatio: r.requestsPerSec / p.requestsPerSec, p99Ratio: r.p99 / Math.max(p.p99, 1), vsPingWithQuery: r.requestsPerSec / q.requestsPerSec });
      for (const name of names) samples[name].push(...mine[name]);
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    // the profile is written as the server exits
    if (profileDir && server.pid !== undefined) addSelfTimes(selfTimes, selfTimeByRoute(readProfileOf(profileDir, server.pid), windows));
  }
  const ping = merge(samples.ping);
  const rec = merge(samples.recommend);
  const pingWithQuery = { ...merge(samples.pingWithQuery), route: "/api/ping?userId=…&k=10" };
  const results: Record<Route, Result> = { ping, recommend: rec, pingWithQuery };
  const cpuPerResponse = cpuMeasured
    ? names.map((name) => ({
        route: results[name].route,
        server: Math.round(cpu[name].serverUs / cpu[name].responses),
        loadGenerator: Math.round(cpu[name].clientUs / cpu[name].responses),
      }))
    : null;
  // in cores: busy over the rounds' wall time; "others" is that less the server and this process
  // (10-ms ticks on both sides can leave it a hair below zero on an idle machine)
  const ownUs = names.reduce((sum, name) => sum + cpu[name].serverUs + cpu[name].clientUs, 0);
  const machineCores = cpuMeasured
    ? { busy: machine.busyUs / machine.wallUs, others: Math.max(0, machine.busyUs - ownUs) / machine.wallUs, steal: machine.stealUs / machine.wallUs }
    : null;
  const summary = {
    database: getEnv().DATABASE_PATH,
    knownUsers: users.length,
    servingVersion: version,
    duration: args.duration,
    rounds: args.rounds,
    starts: args.starts,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    connections: args.connections,
    memoMb: args["memo-mb"] ?? "default",
    memo,
    prepareSeconds: report.seconds,
    ping,
    recommend: rec,
    pingWithQuery,
    throughputRatio: rec.requestsPerSec / ping.requestsPerSec,
    p99Ratio: rec.p99 / Math.max(ping.p99, 1),
    vsPingWithQuery: { throughputRatio: rec.requestsPerSec / pingWithQuery.requestsPerSec, p99Ratio: rec.p99 / Math.max(pingWithQuery.p99, 1) },
    perStart,
    // µs of CPU per response, over every round (null without /proc)
    cpuPerResponse,
    // cores in use on the whole machine during the rounds (null without /proc)
    machineCores,
    // --cpu-prof: µs per response on the server's JavaScript thread, by route and function
    profile: profileDir ? profileSummary() : null,
  };
  if (args.json) console.log(JSON.stringify(summary, null, 2));
  else {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(`| route | req/s | p50 ms | p99 ms | non-2xx | errors |\n|---|---|---|---|---|---|`);
    for (const r of [ping, rec, pingWithQuery]) console.log(`| ${r.route} | ${r.requestsPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
    const lookups = memo.hits + memo.misses;
    console.log(`\nmemo of finished lists (RECOMMEND_MEMO_MB ${summary.memoMb}): ${memo.hits} hits, ${memo.misses} misses${lookups ? ` (${((memo.hits / lookups) * 100).toFixed(1)}% hits)` : ""} during the measured rounds`);
    console.log(`load average at the end: ${summary.loadAverage.join(" ")}`);
    if (cpuPerResponse) {
      console.log(`CPU µs per response, server process / load generator: ${cpuPerResponse.map((c) => `${c.route} ${c.server} / ${c.loadGenerator}`).join("; ")}`);
    }
    if (machineCores) {
      const cores = (x: number) => x.toFixed(2);
      console.log(
        `machine during the rounds: ${cores(machineCores.busy)} cores busy, ${cores(machineCores.others)} of them outside the server and the load generator (other processes, and kernel work charged to none), steal ${cores(machineCores.steal)}`,
      );
    }
    if (args.starts > 1) {
      console.log(`per server start (throughput vs /api/ping, p99 ratio, vs /api/ping with the query): ${perStart.map((s) => `${pct(s.throughputRatio)} ${s.p99Ratio.toFixed(2)}x ${pct(s.vsPingWithQuery)}`).join("; ")}`);
    }
    // two decimals here: one cannot tell 89.96% from 90.04%, either side of the target
    console.log(`/api/recommend reaches ${(summary.throughputRatio * 100).toFixed(2)}% of /api/ping's throughput; p99 ratio ${summary.p99Ratio.toFixed(2)}`);
    console.log(`against /api/ping with the same query string: ${pct(summary.vsPingWithQuery.throughputRatio)}; p99 ratio ${summary.vsPingWithQuery.p99Ratio.toFixed(2)}`);
    if (summary.profile) printProfile(summary.profile, profileDir!);
  }

  function profileSummary() {
    const responses = Object.fromEntries(names.map((name) => [name, results[name].total]));
    return compareRoutes(selfTimes, responses, "recommend", "pingWithQuery", args["cpu-prof-top"]);
  }

  function printProfile(profile: ReturnType<typeof profileSummary>, dir: string) {
    const us = (x: number | undefined) => (x ?? 0).toFixed(2);
    const label = (name: Route) => results[name].route;
    console.log(`\nCPU profile (profiles in ${dir}; under the profiler, so the throughput above is not the benchmark's)`);
    if (names.some((name) => !(profile.busyPerResponse[name] > 0))) {
      console.log("no profile samples fell inside some route's rounds: the profile's clock did not line up with this process's");
      return;
    }
    console.log(`JavaScript thread busy per response: ${names.map((name) => `${label(name)} ${us(profile.busyPerResponse[name])} µs`).join("; ")}`);
    console.log(`\nfunctions whose self time differs most between ${label("recommend")} and ${label("pingWithQuery")}, µs per response:\n`);
    console.log(`| function | ${label("recommend")} | ${label("pingWithQuery")} | ${label("ping")} | difference |\n|---|---|---|---|---|`);
    for (const f of profile.frames) {
      const { recommend, pingWithQuery, ping } = f.perResponse;
      console.log(`| ${f.label.replaceAll("|", "\\|")} | ${us(recommend)} | ${us(pingWithQuery)} | ${us(ping)} | ${us((recommend ?? 0) - (pingWithQuery ?? 0))} |`);
    }
  }
});

/** The server's memo lookup counters, from its Prometheus endpoint. */
async function memoLookups(base: string): Promise<{ hit: number; miss: number }> {
  const token = getEnv().METRICS_TOKEN;
  const res = await fetch(`${base}/api/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new CliError(`/api/metrics answered ${res.status}`);
  const text = await res.text();
  const read = (result: string) => Number(new RegExp(`^matinee_recommendation_memo_lookups_total\\{result="${result}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return { hit: read("hit"), miss: read("miss") };
}
