// Training runs from the command line: list them, or compare two or more side by side (the same
// comparison as /admin/runs and GET /api/admin/runs/compare).
import { z } from "zod";
import { CliError, flagsGiven, parseCliArgs, refuseFlagsOutside, runCli } from "@/lib/cli";
import { requireExistingDatabase } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { jobRequester } from "@/lib/jobs/origin";
import { compareRuns, listRuns, runIdsSchema, type NumericRow, type Run, type RunComparison } from "@/lib/mlops/runs";
import { intParam } from "@/lib/http/params";
import { formatNumberOrDash as num } from "@/lib/util/format";

const HELP = `usage: npm run runs -- [--limit N] [--json]
       npm run runs -- --compare A B [C ...] [--json]

  (no flags)          every training run, newest first: status, algorithm, nDCG@10, duration,
                      data, code version, who started it; * marks the serving one
  --compare A B ...   runs A, B, ... side by side (A is the baseline): parameters (* where they
                      differ), data snapshot, duration and metrics with deltas against A
  --limit N           list at most N runs (default 50)
  --json              print JSON instead of a table

Run ids are model version numbers (npm run models -- list shows the same ids).

Exit codes: 0 listed · 1 failed (the database could not be read) · 2 bad arguments, no such
run, or no database at DATABASE_PATH.`;

const argsSchema = z.object({
  compare: runIdsSchema.optional(),
  limit: intParam(1, 500).default(50),
  json: z.boolean().default(false),
});

/** `--compare 3 5` → `--compare=3,5`, so node's parseArgs sees one value (`--compare 3,5` works too). */
function foldCompareIds(argv: string[]): string[] {
  const i = argv.indexOf("--compare");
  if (i === -1) return argv;
  let j = i + 1;
  while (j < argv.length && !argv[j].startsWith("-")) j++;
  if (j === i + 1) return argv; // no value: parseArgs reports it
  return [...argv.slice(0, i), `--compare=${argv.slice(i + 1, j).join(",")}`, ...argv.slice(j)];
}

const metric = (n: number | null | undefined) => (n == null ? "—" : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(4));
const when = (ms: number | null) => (ms === null ? "—" : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`);
const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, "")}` : `±${text}`);

function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return Math.abs(s) < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

/** The admin, the retrain schedule, drift auto-retrain or the CLI: as the Jobs page and /admin/runs say it. */
const startedBy = (r: Run) => jobRequester({ requestedBy: r.startedBy, trigger: r.trigger });

function status(r: Run): string {
  return r.status === "ready" ? `${r.status} · ${r.stage}${r.serving ? " (serving)" : ""}` : r.status;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  return rows.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] + 2))).join("").trimEnd()).join("\n");
}

function printList(runs: Awaited<ReturnType<typeof listRuns>>) {
  if (runs.items.length === 0) {
    console.log("no training runs yet: run `npm run train` (or retrain from /admin/jobs)");
    return;
  }
  const rows = [["", "run", "algorithm", "status", "ndcg@10", "duration", "data (users × movies, interactions)", "code", "started", "by"]];
  for (const r of runs.items) {
    const s = r.snapshot;
    rows.push([
      r.serving ? "*" : "",
      String(r.id),
      r.algorithm,
      status(r),
      metric(r.metrics["ndcg@10"]),
      duration(r.durationMs),
      s.users === null ? "—" : `${num(s.users)} × ${num(s.items)}, ${num(s.interactions)}`,
      r.codeVersion ?? "—",
      when(r.createdAt),
      startedBy(r),
    ]);
  }
  console.log(table(rows));
  const failed = runs.items.filter((r) => r.status === "failed");
  for (const r of failed) console.log(`run ${r.id} failed: ${r.outcome}`);
  console.log(runs.servingVersion === null ? "\nnothing serves yet" : `\n* serving: run ${runs.servingVersion}`);
}

/** A value with its delta against the baseline column ("0.0500 (−0.0684, −57.8%)"). */
function withDelta(row: Pick<NumericRow, "values" | "deltas">, i: number, format: (n: number) => string): string {
  const v = row.values[i];
  if (v === null) return "—";
  const d = row.deltas[i];
  if (i === 0 || d === null || d === 0) return format(v);
  const base = row.values[0];
  const pct = base ? ` ${signed(d, `${Math.abs((d / base) * 100).toFixed(1)}%`)}` : "";
  return `${format(v)} (${signed(d, format(Math.abs(d)))}${pct ? `,${pct}` : ""})`;
}

function printComparison(c: RunComparison) {
  const ids = c.runs.map((r) => r.id);
  console.log(`Runs ${ids.join(", ")} side by side; deltas are against run ${c.baseline}.\n`);
  const head = ["", ...c.runs.map((r) => `run ${r.id}${r.id === c.baseline ? " (baseline)" : ""}`), ""];
  const rows: string[][] = [head];
  const add = (label: string, cells: string[], mark = "") => rows.push([label, ...cells, mark]);
  const section = (label: string) => rows.push([label, ...c.runs.map(() => ""), ""]);

  add("status", c.runs.map(status));
  add("code", c.runs.map((r) => r.codeVersion ?? "—"), c.sameCode ? "" : "*");
  add("started", c.runs.map((r) => when(r.createdAt)));
  add("by", c.runs.map(startedBy));
  add("duration", c.runs.map((_, i) => withDelta(c.durationMs, i, duration)));
  section("parameters");
  for (const p of c.params) add(`  ${p.key}`, p.values.map((v) => (v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v))), p.differs ? "*" : "");
  section("data");
  for (const row of c.snapshot) add(`  ${row.key}`, c.runs.map((_, i) => withDelta(row, i, (n) => num(Math.round(n)))));
  add("  checksum", c.runs.map((r) => r.snapshot.checksum ?? "—"), c.sameData === false ? "*" : "");
  section("metrics");
  for (const row of c.metrics) {
    // one precision per row: rank-like metrics (novelty) are in the hundreds, the others below 1
    const large = row.values.some((v) => v !== null && Math.abs(v) >= 10);
    add(`  ${row.key}`, c.runs.map((_, i) => withDelta(row, i, (n) => (large ? n.toFixed(1) : n.toFixed(4)))));
  }
  console.log(table(rows));
  console.log(`\n* differs between runs. ${sameDataLine(c.sameData)}`);
  for (const r of c.runs) if (r.status === "failed") console.log(`run ${r.id} failed: ${r.outcome}`);
}

runCli(async () => {
  const argv = foldCompareIds(process.argv.slice(2));
  const options = { compare: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } } as const;
  const args = parseCliArgs(argv, options, argsSchema, HELP);
  // a comparison shows exactly the runs named: --limit (of the list) would be silently ignored
  if (args.compare) refuseFlagsOutside(flagsGiven(argv, options), ["compare", "json"], "--compare", HELP);
  requireExistingDatabase();
  try {
    if (args.compare) {
      const comparison = await compareRuns(args.compare);
      if (args.json) console.log(JSON.stringify(comparison, null, 2));
      else printComparison(comparison);
      return;
    }
    const runs = await listRuns(args.limit);
    if (args.json) console.log(JSON.stringify(runs, null, 2));
    else printList(runs);
  } catch (err) {
    if (err instanceof ApiError) throw new CliError(err.message, err.code === "not_found" || err.code === "bad_request" ? 2 : 1);
    throw err;
  }
});

function sameDataLine(same: boolean | null): string {
  if (same === null) return "Not every run's training data is known (a run failed before reading it), so whether the data differed cannot be said.";
  return same ? "Same training data in every run." : "The runs were trained on different data, so metric deltas mix data and model changes.";
}
