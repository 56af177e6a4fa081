// npm run bench:train-shards — sharded training wall time: for each shard count N, N processes of
// `npm run train -- --shards N --shard I --run ID` at once (as a Kubernetes Indexed Job runs them),
// then `--finalize`. Wall clock from the first shard's start to the end of finalize, each shard's
// peak RSS and stage times, and the load average. Results and the command: docs/benchmarks.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { loadAverage, timed, timedAsync } from "@/lib/bench/process";
import { readDataShape } from "@/lib/bench/scale-db";
import { CliError, parseCliArgs, runCli } from "@/lib/cli";
import { childProcessEnv } from "@/lib/env";

const HELP = `usage: npm run bench:train-shards -- [--db /tmp/scale/20m.db] [--shards 1,2,4] [--out docs/bench/train-shards.json]

Trains item-knn (top-50 neighbours, the same options as bench:train-scale) on the SQLite database
--db once per shard count: N shard processes at the same time, then finalize (--force, so every
run is promoted and the caches of older runs are pruned as usual). The database must already hold
interactions (npm run simulate -- --scale 20m). All shards share this machine's cores: the numbers
show what sharding costs and saves on one machine, not across nodes.`;

const schema = z.object({
  db: z.string().default("/tmp/scale/20m.db"),
  shards: z
    .string()
    .default("1,2,4")
    .refine((s) => s.split(",").every((x) => /^\d+$/.test(x) && Number(x) >= 1 && Number(x) <= 16), "comma-separated counts 1-16"),
  out: z.string().default("docs/bench/train-shards.json"),
});

const MODEL_ARGS = ["--model", "item-knn", "--params", '{"neighbors":50}'];

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { db: { type: "string" }, shards: { type: "string" }, out: { type: "string" } }, schema, HELP);
  if (!fs.existsSync("/usr/bin/time")) throw new CliError("/usr/bin/time (GNU time) is required: apt-get install -y time");
  if (!fs.existsSync(args.db)) throw new CliError(`${args.db} does not exist: npm run simulate -- --scale 20m with DATABASE_PATH=${args.db}`);
  const env = childProcessEnv({ DATABASE_PATH: args.db });
  delete env.DATABASE_URL;
  const shape = readDataShape(args.db);
  const runs = [];
  for (const n of args.shards.split(",").map(Number)) {
    const runId = `bench-${n}-${Date.now()}`;
    const loadBefore = loadAverage();
    process.stderr.write(`${n} shard(s): run ${runId} on ${shape.interactions} interactions (load ${loadBefore.join(" ")})\n`);
    const started = Date.now();
    const shards = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        timedAsync(process.execPath, ["--import", "tsx", "scripts/train.ts", ...MODEL_ARGS, "--shards", String(n), "--shard", String(i), "--run", runId], { env }),
      ),
    );
    shards.forEach((s, i) => {
      if (s.status !== 0) throw new CliError(`shard ${i}/${n} failed:\n${s.stderr.slice(-2000)}`);
    });
    const shardsDone = (Date.now() - started) / 1000;
    const fin = timed(process.execPath, ["--import", "tsx", "scripts/train.ts", "--finalize", "--run", runId, "--force"], { env });
    if (fin.status !== 0) throw new CliError(`finalize failed:\n${fin.stderr.slice(-2000)}`);
    const wallSeconds = (Date.now() - started) / 1000;
    const stats = shardStats(args.db, runId);
    const run = {
      shards: n,
      runId,
      wallSeconds,
      shardsSeconds: shardsDone,
      finalizeSeconds: fin.wallSeconds,
      perShard: shards.map((s, i) => ({ shard: i, wallSeconds: s.wallSeconds, peakRssMB: s.peakRssMB, stageSeconds: stats[i] ?? {} })),
      loadBefore,
      loadAfter: loadAverage(),
    };
    process.stderr.write(`${n} shard(s): ${wallSeconds.toFixed(1)} s (finalize ${fin.wallSeconds.toFixed(1)} s), peak RSS ${run.perShard.map((s) => s.peakRssMB).join("/")} MB\n`);
    runs.push(run);
  }
  const result = {
    command: `npm run bench:train-shards -- ${process.argv.slice(2).join(" ")}`.trim(),
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    data: shape,
    runs,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log("| shards | wall s (shards + finalize) | finalize s | slowest shard s | peak RSS per shard MB | load avg before |");
  console.log("|---|---|---|---|---|---|");
  for (const r of runs) {
    console.log(
      `| ${r.shards} | ${r.wallSeconds.toFixed(1)} | ${r.finalizeSeconds.toFixed(1)} | ${Math.max(...r.perShard.map((s) => s.wallSeconds)).toFixed(1)} | ${r.perShard.map((s) => s.peakRssMB).join(" / ")} | ${r.loadBefore[0]} |`,
    );
  }
  console.log(`\nwrote ${args.out}`);
});

/** Stage seconds each shard recorded in train_shards (read-only connection). */
function shardStats(db: string, runId: string): Record<number, Record<string, number>> {
  const conn = new Database(db, { readonly: true });
  try {
    const rows = conn.prepare("SELECT shard, stats FROM train_shards WHERE run_id = ?").all(runId) as { shard: number; stats: string }[];
    return Object.fromEntries(rows.map((r) => [r.shard, (JSON.parse(r.stats).stageSeconds ?? {}) as Record<string, number>]));
  } finally {
    conn.close();
  }
}
