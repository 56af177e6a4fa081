// npm run bench:train-scale — `npm run train` (item-knn, top-50 neighbours) on synthetic data of
// growing size: wall-clock time, peak RSS and stage times per size, plus (--reference) scipy's
// top-50 neighbour step on the same interactions. Writes JSON and an SVG growth plot.
// Results and the command: docs/benchmarks.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { renderGrowthPlot } from "@/lib/bench/growth-plot";
import { loadAverage, timed, type Timed } from "@/lib/bench/process";
import { exportPairsTsv, readDataShape, readLastTrainRun } from "@/lib/bench/scale-db";
import { CliError, parseCliArgs, runCli } from "@/lib/cli";
import { childProcessEnv } from "@/lib/env";
import { parseScale } from "@/lib/simulate/scale";

const HELP = `usage: npm run bench:train-scale -- [--sizes 1m,5m,10m,20m] [--dir /tmp/scale] [--reference]
                                 [--reference-script ../shared/reference/itemknn_topk.py]
                                 [--out docs/bench/train-scale.json] [--svg docs/bench/train-growth.svg]

For each size, uses DIR/SIZE.db (generating it with \`npm run simulate -- --scale SIZE\` when missing),
runs \`npm run train -- --model item-knn --params '{"neighbors":50}' --force\` on it under
/usr/bin/time -v, and records wall-clock time, peak RSS, the run's stage times and the load average.
--reference also exports the largest size's interactions to DIR/SIZE.tsv and runs
../shared/reference/itemknn_topk.py (scipy, top-50 cosine in blocks of 2,048 items) on them.
Databases and exports stay in DIR (keep them out of the repository: they are GBs).`;

const schema = z.object({
  sizes: z
    .string()
    .default("1m,5m,10m,20m")
    .refine((s) => s.split(",").every((x) => parseScale(x) !== null), "comma-separated sizes like 1m,5m"),
  dir: z.string().default("/tmp/scale"),
  reference: z.boolean().default(false),
  "reference-script": z.string().default("../shared/reference/itemknn_topk.py"),
  out: z.string().default("docs/bench/train-scale.json"),
  svg: z.string().default("docs/bench/train-growth.svg"),
});

const TRAIN_ARGS = ["scripts/train.ts", "--model", "item-knn", "--params", '{"neighbors":50}', "--force"];

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    { sizes: { type: "string" }, dir: { type: "string" }, reference: { type: "boolean" }, "reference-script": { type: "string" }, out: { type: "string" }, svg: { type: "string" } },
    schema,
    HELP,
  );
  if (!fs.existsSync("/usr/bin/time")) throw new CliError("/usr/bin/time (GNU time) is required: apt-get install -y time");
  fs.mkdirSync(args.dir, { recursive: true });
  const sizes = args.sizes.split(",").sort((a, b) => parseScale(a)! - parseScale(b)!);
  const runs = [];
  for (const size of sizes) {
    const db = path.join(args.dir, `${size}.db`);
    const env = childProcessEnv({ DATABASE_PATH: db });
    let generate: Timed | null = null;
    if (!fs.existsSync(db)) {
      process.stderr.write(`${size}: generating ${db}\n`);
      generate = timed(process.execPath, ["--import", "tsx", "scripts/simulate.ts", "--scale", size, "--json"], { env });
      if (generate.status !== 0) throw new CliError(`simulate --scale ${size} failed:\n${generate.stderr.slice(-2000)}`);
    }
    const shape = readDataShape(db);
    const loadBefore = loadAverage();
    process.stderr.write(`${size}: training on ${shape.interactions} interactions (load ${loadBefore.join(" ")})\n`);
    const train = timed(process.execPath, ["--import", "tsx", ...TRAIN_ARGS], { env });
    if (train.status !== 0) throw new CliError(`train on ${size} failed:\n${train.stderr.slice(-2000)}`);
    const stats = readLastTrainRun(db);
    const run = {
      size,
      ...shape,
      generateSeconds: generate?.wallSeconds ?? null,
      generatePeakRssMB: generate?.peakRssMB ?? null,
      trainSeconds: train.wallSeconds,
      trainPeakRssMB: train.peakRssMB,
      stageSeconds: stats?.stageSeconds ?? {},
      ndcgAt10: stats?.metrics["ndcg@10"] ?? null,
      loadBefore,
      loadAfter: loadAverage(),
    };
    process.stderr.write(`${size}: ${run.trainSeconds.toFixed(1)} s, peak ${run.trainPeakRssMB} MB, stages ${JSON.stringify(run.stageSeconds)}\n`);
    runs.push(run);
  }

  let reference = null;
  if (args.reference) {
    const size = sizes[sizes.length - 1];
    const tsv = path.join(args.dir, `${size}.tsv`);
    const rows = exportPairsTsv(path.join(args.dir, `${size}.db`), tsv);
    const loadBefore = loadAverage();
    process.stderr.write(`reference: itemknn_topk.py on ${rows} pairs (load ${loadBefore.join(" ")})\n`);
    const ref = timed("python3", [path.resolve(args["reference-script"]), tsv, "50"]);
    if (ref.status !== 0) throw new CliError(`the reference failed:\n${ref.stderr.slice(-2000)}`);
    const json = JSON.parse(ref.stdout.trim().split("\n").pop()!) as { load_s: number; fit_s: number; peak_rss_mb: number; users: number; items: number };
    reference = { size, rows, ...json, wallSeconds: ref.wallSeconds, loadBefore, loadAfter: loadAverage() };
    process.stderr.write(`reference: load ${json.load_s} s, neighbours ${json.fit_s} s, peak ${json.peak_rss_mb} MB\n`);
  }

  const result = {
    command: `npm run bench:train-scale -- ${process.argv.slice(2).join(" ")}`.trim(),
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    runs,
    reference,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  fs.mkdirSync(path.dirname(args.svg), { recursive: true });
  fs.writeFileSync(
    args.svg,
    renderGrowthPlot({
      title: "npm run train (item-knn, top-50 neighbours) vs data size",
      subtitle: `${result.machine.cpus} cores, ${result.machine.memoryGiB} GiB, shared machine; ${result.date.slice(0, 10)}`,
      points: runs.map((r) => ({
        interactions: r.interactions,
        totalSeconds: r.trainSeconds,
        neighborSeconds: r.stageSeconds.fit,
        peakRssGB: r.trainPeakRssMB / 1024,
      })),
      targetSeconds: 600,
      targetGB: 6,
      reference: reference ? { interactions: reference.rows, seconds: reference.fit_s, label: `scipy neighbours ${reference.fit_s} s` } : undefined,
    }),
  );
  console.log("| interactions | users | movies | train s | peak RSS MB | load s | validate s | fit (neighbours) s | write s | load avg before |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of runs) {
    const s = r.stageSeconds;
    console.log(
      `| ${r.interactions.toLocaleString("en-US")} | ${r.users.toLocaleString("en-US")} | ${r.movies.toLocaleString("en-US")} | ${r.trainSeconds.toFixed(1)} | ${r.trainPeakRssMB} | ${s.load?.toFixed(1)} | ${s.validate?.toFixed(1)} | ${s.fit?.toFixed(1)} | ${s.write?.toFixed(1)} | ${r.loadBefore[0]} |`,
    );
  }
  if (reference) console.log(`\nscipy reference on the same ${reference.rows} pairs: load ${reference.load_s} s, top-50 neighbours ${reference.fit_s} s, peak ${reference.peak_rss_mb} MB`);
  console.log(`\nwrote ${args.out} and ${args.svg}`);
});
