// npm run bench:startup — the prepare part of `npm start` (migrate, seed the bundled catalog,
// simulate 1,000 users, train the first model) timed on an empty temporary database, --runs
// times; optionally (--fresh-clone DIR) the README's whole first command on a fresh clone:
// `npm ci`, `next build`, then prepare. Results and the command: docs/benchmarks.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { loadAverage, timed } from "@/lib/bench/process";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { childProcessEnv } from "@/lib/env";

const HELP = `usage: npm run bench:startup -- [--runs 3] [--fresh-clone DIR] [--json]

Times \`npm run prepare-data\` (what \`npm start\` does before serving: migrations, the bundled
catalog, 1,000 simulated users, the first trained model) on an empty temporary database, --runs
times, under /usr/bin/time -v. Target (issue 9): under 60 s.
--fresh-clone DIR also clones this repository's committed HEAD into DIR (must not exist) and times
\`npm ci\`, \`npm run build\` and \`npm run prepare-data\` there: the README's first command
(\`npm install && npm start\`) step by step. That needs the npm registry and takes minutes.`;

const schema = z.object({
  runs: intArg(1, 20).default(3),
  "fresh-clone": z.string().optional(),
  json: z.boolean().default(false),
});

/** One prepare on an empty database in `cwd`; the steps it printed and its times. */
function prepareOnce(cwd: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-startup-"));
  try {
    const loadBefore = loadAverage();
    const res = timed(process.execPath, ["--import", "tsx", "scripts/prepare.ts"], { cwd, env: childProcessEnv({ DATABASE_PATH: path.join(dir, "matinee.db") }) });
    if (res.status !== 0) throw new CliError(`prepare-data failed:\n${res.stderr.slice(-2000)}`);
    const trained = /model: trained version \d+ \(nDCG@10 [\d.]+\) in ([\d.]+)s/.exec(res.stdout);
    return { wallSeconds: res.wallSeconds, peakRssMB: res.peakRssMB, trainSeconds: trained ? Number(trained[1]) : null, steps: res.stdout.trim().split("\n"), loadBefore, loadAfter: loadAverage() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { runs: { type: "string" }, "fresh-clone": { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  if (!fs.existsSync("/usr/bin/time")) throw new CliError("/usr/bin/time (GNU time) is required: apt-get install -y time");

  const runs = [];
  for (let r = 0; r < args.runs; r++) {
    process.stderr.write(`prepare run ${r + 1}/${args.runs}…\n`);
    runs.push(prepareOnce(process.cwd()));
  }

  let fresh = null;
  if (args["fresh-clone"]) {
    const dir = path.resolve(args["fresh-clone"]);
    if (fs.existsSync(dir)) throw new CliError(`${dir} exists: give a new directory for the fresh clone`);
    const step = (name: string, cmd: string, cmdArgs: string[], cwd?: string) => {
      process.stderr.write(`fresh clone: ${name}…\n`);
      const loadBefore = loadAverage();
      const res = timed(cmd, cmdArgs, { cwd, env: childProcessEnv({}) });
      if (res.status !== 0) throw new CliError(`${name} failed:\n${res.stderr.slice(-2000)}`);
      return { step: name, wallSeconds: res.wallSeconds, peakRssMB: res.peakRssMB, loadBefore, loadAfter: loadAverage() };
    };
    const steps = [
      step("git clone", "git", ["clone", "--quiet", process.cwd(), dir]),
      step("npm ci", "npm", ["ci", "--no-audit", "--no-fund"], dir),
      step("npm run build", "npm", ["run", "build"], dir),
    ];
    const prepare = prepareOnce(dir);
    steps.push({ step: "prepare-data", wallSeconds: prepare.wallSeconds, peakRssMB: prepare.peakRssMB, loadBefore: prepare.loadBefore, loadAfter: prepare.loadAfter });
    fresh = { dir, steps, totalSeconds: steps.reduce((a, s) => a + s.wallSeconds, 0) };
  }

  const summary = { machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, runs, fresh };
  if (args.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log("| run | prepare s | of which training s | peak RSS MB | load avg before |\n|---|---|---|---|---|");
  runs.forEach((r, i) => console.log(`| ${i + 1} | ${r.wallSeconds.toFixed(1)} | ${r.trainSeconds?.toFixed(1) ?? "—"} | ${r.peakRssMB} | ${r.loadBefore[0]} |`));
  const worst = Math.max(...runs.map((r) => r.wallSeconds));
  console.log(`\nprepare target < 60 s: ${worst < 60 ? "met" : "missed"} (slowest ${worst.toFixed(1)} s)`);
  console.log(runs[0].steps.map((l) => `  ${l}`).join("\n"));
  if (fresh) {
    console.log(`\nfresh clone in ${fresh.dir}:\n| step | s | peak RSS MB | load avg before |\n|---|---|---|---|`);
    for (const s of fresh.steps) console.log(`| ${s.step} | ${s.wallSeconds.toFixed(1)} | ${s.peakRssMB} | ${s.loadBefore[0]} |`);
    console.log(`total ${fresh.totalSeconds.toFixed(1)} s`);
  }
});
