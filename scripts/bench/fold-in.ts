// npm run bench:fold-in — latency of folding a user's history into recommendations without a
// retrain (lib/recs/serve's recommendForUser on the fold-in path) for a user with ~500
// interactions, in-process on DATABASE_PATH. Target (issue 9): ≤ 20 ms.
// Results and the command: docs/benchmarks.md.
import { z } from "zod";
import { findUserWithHistory } from "@/lib/bench/scale-db";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { getUserHistory } from "@/lib/interactions/training-data";
import { getServingSnapshot, type VersionSnapshot } from "@/lib/mlops/registry";
import { readReverseNeighbors } from "@/lib/recs/cache";
import { foldInRecommendations } from "@/lib/recs/fold-in";
import { getReverseNeighborIndex } from "@/lib/recs/neighbor-index";
import { recommendForUser } from "@/lib/recs/serve";

const HELP = `usage: DATABASE_PATH=/tmp/scale/20m.db npm run bench:fold-in -- [--history 500] [--runs 50] [--k 10] [--json]

Picks a user with about --history distinct movies (500: the most fold-in ever reads), then calls
recommendForUser --runs times as if the user had acted after training (so the cached top-N is
skipped and the history is folded in through the serving version's neighbour cache), after 5
unmeasured warm-up calls, and prints the median, p90, p99 and max latency. For comparison it also
times the same user's cached top-N (source "model").`;

const schema = z.object({
  history: intArg(1, 10_000).default(500),
  runs: intArg(1, 10_000).default(50),
  k: intArg(1, 100).default(10),
  json: z.boolean().default(false),
});

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] * 100) / 100;
  return { median: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) };
}

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { history: { type: "string" }, runs: { type: "string" }, k: { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  const serving = await getServingSnapshot();
  if (!serving) throw new CliError("no serving model version: run npm run train first");
  const user = findUserWithHistory(getEnv().DATABASE_PATH, args.history);
  if (!user) throw new CliError("the database has no interactions");

  const time = async (version: VersionSnapshot) => {
    const ms: number[] = [];
    let source = "";
    for (let r = 0; r < args.runs + 5; r++) {
      const t = performance.now();
      const res = await recommendForUser({ userId: user.userId, k: args.k, version });
      if (r >= 5) ms.push(performance.now() - t);
      source = res.source;
    }
    return { source, ...stats(ms) };
  };
  // Serving folds in from the version's in-memory neighbour index once this process has loaded
  // it (lib/recs/neighbor-index.ts); load it first and time that once.
  let started = performance.now();
  const index = await getReverseNeighborIndex(serving.versionId);
  const indexLoadMs = Math.round(performance.now() - started);
  // trainedUpTo 0: every interaction of the user is "newer than the model", so serving folds in.
  const foldIn = await time({ versionId: serving.versionId, trainedUpTo: 0, trainedUpToId: null });
  const cached = await time(serving);
  // The path serving takes while the index is still loading: the matching rows from the database.
  const ms: number[] = [];
  for (let r = 0; r < args.runs + 5; r++) {
    started = performance.now();
    const history = (await getUserHistory(user.userId)).slice(0, 500);
    const entries = await readReverseNeighbors(serving.versionId, history.map((h) => h.movieId));
    foldInRecommendations(history.map((h) => ({ itemId: h.movieId, weight: h.weight })), entries, args.k * 4);
    if (r >= 5) ms.push(performance.now() - started);
  }
  const fromRows = { source: "folded_in (rows, while the index loads)", indexLoadMs, indexEntries: index.candidates.length, ...stats(ms) };
  const summary = { database: getEnv().DATABASE_PATH, servingVersion: serving.versionId, userId: user.userId, historyMovies: user.movies, runs: args.runs, k: args.k, foldIn, cached, fromRows };
  if (args.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(`user ${user.userId} (${user.movies} movies in their history), version ${serving.versionId}, ${args.runs} calls each, ms`);
  console.log("| path | source | median | p90 | p99 | max |\n|---|---|---|---|---|---|");
  for (const [name, r] of [["fold-in (serve.ts, in-memory index)", foldIn], ["cached top-N (serve.ts)", cached], ["fold-in history + scoring from rows", fromRows]] as const) console.log(`| ${name} | ${r.source} | ${r.median} | ${r.p90} | ${r.p99} | ${r.max} |`);
  console.log(`in-memory index: ${fromRows.indexEntries} entries, loaded once in ${fromRows.indexLoadMs} ms`);
  console.log(`\nfold-in target ≤ 20 ms: ${foldIn.median <= 20 ? "met" : "missed"} (median ${foldIn.median} ms, p99 ${foldIn.p99} ms)`);
});
