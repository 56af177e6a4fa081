// npm run bench:ease — EASE's default parameters against Steck's plain model (λ 250, no user or
// popularity weighting: the default before 2026-11-24) on twelve variants of one MovieLens-format
// ratings file, so a parameter choice is judged on more than one split. Results and the command:
// docs/evaluation.md ("Why these EASE defaults").
import { z } from "zod";
import { CliError, parseCliArgs, runCli } from "@/lib/cli";
import { evaluateModel, splitTable } from "@/lib/recs/evaluate";
import { easeParamsSchema } from "@/lib/recs/models/ease";
import { readRatingsFile, RatingsFileError, type RatingsTable } from "@/lib/recs/io";
import { createRng, type SplitBy } from "@/lib/recs/split";

const HELP = `usage: npm run --silent bench:ease -- --ratings FILE [--also JSON] [--json]

Evaluates EASE (nDCG@10, the protocol of docs/evaluation.md) on twelve variants of FILE:
  small-*  the whole file: item split at seeds 42, 7, 1, 2, 3; user split at 42; a random half of
           the users (item split, seed 42)
  dense-*  the 1,682 most-rated items (ML-100k's item count): item split at seeds 42, 7, 3; user
           split at 42; a random 400 users (item split, seed 42)
and prints each variant's nDCG@10 for Steck's plain model ({"lambda":250,"userExponent":0,
"popularityExponent":0}) and for the defaults, plus any --also parameters (JSON), with means.
The first six variants are the ones the defaults were chosen on; the last six were run after.
With ml-latest-small this takes 10–12 minutes on 2 cores.`;

const schema = z.object({
  ratings: z.string().min(1),
  also: z.string().optional(),
  json: z.boolean().default(false),
});

interface Variant {
  name: string;
  rows: Int32Array;
  by: SplitBy;
  seed: number;
}

/** The rows of `table` at `rows`, keeping its id codes (codes with no row are never trained on). */
function subTable(table: RatingsTable, rows: Int32Array): RatingsTable {
  return {
    ...table,
    length: rows.length,
    users: Int32Array.from(rows, (r) => table.users[r]),
    items: Int32Array.from(rows, (r) => table.items[r]),
    ratings: Float32Array.from(rows, (r) => table.ratings[r]),
    timestamps: Float64Array.from(rows, (r) => table.timestamps[r]),
  };
}

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function variants(table: RatingsTable): Variant[] {
  const all = Int32Array.from({ length: table.length }, (_, r) => r);
  const where = (keep: (r: number) => boolean) => all.filter(keep);

  const half = new Set(shuffled(table.userIds.length, 1).slice(0, Math.floor(table.userIds.length / 2)));
  const counts = new Int32Array(table.itemIds.length);
  for (const i of table.items) counts[i]++;
  const top = new Set(
    Array.from({ length: counts.length }, (_, i) => i)
      .sort((a, b) => counts[b] - counts[a] || a - b)
      .slice(0, 1682),
  );
  const dense = where((r) => top.has(table.items[r]));
  const denseUsers = [...new Set(Array.from(dense, (r) => table.users[r]))].sort((a, b) => a - b);
  const some = new Set(shuffled(denseUsers.length, 5).slice(0, 400).map((k) => denseUsers[k]));

  return [
    { name: "small-item-42", rows: all, by: "item", seed: 42 },
    { name: "small-item-7", rows: all, by: "item", seed: 7 },
    { name: "small-user-42", rows: all, by: "user", seed: 42 },
    { name: "small-half-users", rows: where((r) => half.has(table.users[r])), by: "item", seed: 42 },
    { name: "dense-item-42", rows: dense, by: "item", seed: 42 },
    { name: "dense-item-7", rows: dense, by: "item", seed: 7 },
    { name: "small-item-1", rows: all, by: "item", seed: 1 },
    { name: "small-item-2", rows: all, by: "item", seed: 2 },
    { name: "small-item-3", rows: all, by: "item", seed: 3 },
    { name: "dense-user-42", rows: dense, by: "user", seed: 42 },
    { name: "dense-item-3", rows: dense, by: "item", seed: 3 },
    { name: "dense-400-users", rows: dense.filter((r) => some.has(table.users[r])), by: "item", seed: 42 },
  ];
}

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { ratings: { type: "string" }, also: { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  let table: RatingsTable;
  try {
    table = readRatingsFile(args.ratings);
  } catch (err) {
    if (err instanceof RatingsFileError) throw new CliError(err.message, 1);
    throw err;
  }
  const configs: { label: string; params: Record<string, unknown> }[] = [
    { label: "plain", params: { lambda: 250, userExponent: 0, popularityExponent: 0 } },
    { label: "default", params: {} },
  ];
  if (args.also) {
    let params: unknown;
    try {
      params = JSON.parse(args.also);
    } catch {
      throw new CliError(`--also: not JSON: ${args.also}`, 2);
    }
    const parsed = easeParamsSchema.safeParse(params);
    if (!parsed.success) throw new CliError(`--also: ${parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`, 2);
    configs.push({ label: "also", params: parsed.data });
  }

  const results: { variant: string; ndcg: Record<string, number> }[] = [];
  for (const v of variants(table)) {
    const data = splitTable(subTable(table, v.rows), v.by, 0.75, v.seed);
    const ndcg: Record<string, number> = {};
    for (const c of configs) {
      const run = evaluateModel(data, { model: "ease", params: c.params, k: 10 });
      ndcg[c.label] = Math.round(run.report.metrics["ndcg@10"] * 10_000) / 10_000;
    }
    results.push({ variant: v.name, ndcg });
    if (!args.json) console.error(`${v.name}: ${configs.map((c) => `${c.label} ${ndcg[c.label].toFixed(4)}`).join(", ")}`);
  }

  const mean = (from: number, to: number, label: string) => Math.round((results.slice(from, to).reduce((s, r) => s + r.ndcg[label], 0) / (to - from)) * 10_000) / 10_000;
  const summary = Object.fromEntries(configs.map((c) => [c.label, { chosenOn: mean(0, 6, c.label), after: mean(6, 12, c.label), all: mean(0, 12, c.label) }]));
  if (args.json) {
    console.log(JSON.stringify({ configs, results, mean: summary }));
    return;
  }
  console.log(`| variant | ${configs.map((c) => c.label).join(" | ")} |`);
  console.log(`|---|${configs.map(() => "---|").join("")}`);
  for (const r of results) console.log(`| ${r.variant} | ${configs.map((c) => r.ndcg[c.label].toFixed(4)).join(" | ")} |`);
  for (const [name, key] of [["mean, first six", "chosenOn"], ["mean, last six", "after"], ["mean, all twelve", "all"]] as const) {
    console.log(`| ${name} | ${configs.map((c) => summary[c.label][key].toFixed(4)).join(" | ")} |`);
  }
});
