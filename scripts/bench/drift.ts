// npm run bench:drift — what a drift check (the admin overview's, /api/cron/drift's) costs the
// process that runs it: its time, and the longest the event loop waited meanwhile, which every
// other request on that server waits too. In-process on DATABASE_PATH / DATABASE_URL, which needs
// a serving model. Results: docs/benchmarks.md.
import { z } from "zod";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { computeDrift } from "@/lib/mlops/drift";
import { getServingVersion } from "@/lib/mlops/registry";

const HELP = `usage: DATABASE_PATH=... npm run bench:drift -- [--runs 3] [--json]

Runs computeDrift --runs times, one after the other, and prints for each its time and the longest
the event loop went without running a 5-ms interval timer meanwhile, up to the check's end (what a
request arriving then waits for; perf_hooks' monitorEventLoopDelay records nothing when the loop is
held for the whole check), with the interactions it compared.`;

const schema = z.object({ runs: intArg(1, 100).default(3), json: z.boolean().default(false) });

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { runs: { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  if (!(await getServingVersion())) throw new CliError("no serving model version: run npm run train first");
  const runs = [];
  for (let i = 0; i < args.runs; i++) {
    const started = performance.now();
    let lastTick = started;
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - lastTick);
      lastTick = now;
    }, 5);
    const report = await computeDrift();
    const ended = performance.now();
    clearInterval(timer);
    longest = Math.max(longest, ended - lastTick);
    runs.push({
      ms: Math.round(ended - started),
      longestStallMs: Math.round(longest),
      recentInteractions: report.recentInteractions,
      baselineInteractions: report.baselineInteractions,
      score: report.score,
    });
  }
  if (args.json) console.log(JSON.stringify({ runs }));
  else {
    console.log("| run | drift check ms | longest the event loop was held, ms | interactions (baseline + recent) | score |\n|---|---|---|---|---|");
    runs.forEach((r, i) => console.log(`| ${i + 1} | ${r.ms} | ${r.longestStallMs} | ${r.baselineInteractions} + ${r.recentInteractions} | ${r.score === null ? "—" : r.score.toFixed(4)} |`));
  }
});
