// npm run bench:anchors — whether a new user's fold-in picks are explained by all of their likes
// or by one of them ("Because you liked X" on most of the grid): synthetic onboarding histories,
// folded in through the serving version's neighbour cache with the function serving uses
// (lib/recs/fold-in.ts foldInFromIndex). In-process on DATABASE_PATH. Results: docs/evaluation.md.
import { z } from "zod";
import { anchorDiversity, countAnchors, sampleOnboardingHistories } from "@/lib/bench/anchors";
import { ONBOARDING_GENRES } from "@/lib/catalog/home";
import { getMoviesByIds, listPopularMovies } from "@/lib/catalog/queries";
import { CliError, decimalArg, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { loadTrainingData, SIGNAL_WEIGHTS } from "@/lib/interactions/training-data";
import { getModelVersion, getServingSnapshot } from "@/lib/mlops/registry";
import { datasetFromCodes } from "@/lib/recs/dataset";
import { buildReverseNeighborIndex, foldInFromIndex, type FoldInPick, type ReverseNeighborIndex } from "@/lib/recs/fold-in";
import { invertNeighbors, itemNeighbors, NEIGHBOR_NORMALIZATIONS, scoreFromNeighbors, type NeighborNormalization } from "@/lib/recs/models/neighbors";
import { getReverseNeighborIndex } from "@/lib/recs/neighbor-index";
import { toTable } from "@/lib/recs/train";

const HELP = `usage: DATABASE_PATH=... npm run bench:anchors -- [--users 200] [--likes 6] [--pool 200] [--k 24] [--seed 42]
       [--history ID,ID,...] [--shrink N] [--normalize ${NEIGHBOR_NORMALIZATIONS.join("|")}] [--json]

Builds --users onboarding-like histories (seeded by --seed): --likes films each, one per genre of
the onboarding grid's genres in a random order, drawn from the --pool most popular films. Each is
folded in as likes through the serving version's neighbour cache with foldInFromIndex, the
function serving uses, and the first --k picks are kept. Prints, as means over the users, the
share of a list explained by its most frequent anchor ("Because you liked X"), how many of the
likes explain at least one pick, and the share of lists where one like explains more than half.
--history also folds in the given movie ids and prints its anchors.

What-ifs (not what serving does; for comparing changes before making them):
  --shrink N       neighbour lists recomputed from the database's interactions as training does
                   (the serving version's neighbour count), with sim = dot / (‖i‖‖j‖ + N)
  --normalize X    the picks scored the way item-knn --normalize X scores (scoreFromNeighbors,
                   lib/recs/models/neighbors.ts); none (the default) is fold-in itself`;

const schema = z.object({
  users: intArg(1, 100_000).default(200),
  likes: intArg(1, 50).default(6),
  pool: intArg(1, 100_000).default(200),
  k: intArg(1, 500).default(24),
  seed: intArg(0, 2 ** 32 - 1).default(42),
  history: z
    .string()
    .regex(/^\d+(,\d+)*$/, "must be movie ids separated by commas, e.g. 194,211672")
    .transform((s) => s.split(",").map(Number))
    .optional(),
  shrink: decimalArg(0, 1e6).optional(),
  normalize: z.enum(NEIGHBOR_NORMALIZATIONS).default("none"),
  json: z.boolean().default(false),
});

type Options = { k: number; normalize: NeighborNormalization };

/** The picks of one history of likes. */
function foldIn(index: ReverseNeighborIndex, history: number[], { k, normalize }: Options): FoldInPick[] {
  const weighted = history.map((itemId) => ({ itemId, weight: SIGNAL_WEIGHTS.like }));
  if (normalize === "none") return foldInFromIndex(index, weighted, k);
  // item-knn's scoring on the same lists: forward lists from the index's reverse ones (dense ids)
  const forward = forwardLists(index);
  const dense = history.map((id) => index.indexOf.get(id)).filter((i): i is number => i !== undefined);
  const n = index.movieIds.length;
  const out = new Float64Array(n);
  const anchors = { item: new Int32Array(n).fill(-1), contribution: new Float64Array(n) };
  scoreFromNeighbors(forward, dense, undefined, out, anchors, normalize);
  const seen = new Set(dense);
  const picks: FoldInPick[] = [];
  for (let i = 0; i < n; i++) if (out[i] > 0 && !seen.has(i)) picks.push({ itemId: index.movieIds[i], score: out[i], anchorId: index.movieIds[anchors.item[i]] });
  return picks.sort((a, b) => b.score - a.score || a.itemId - b.itemId).slice(0, k);
}

const forwardCache = new WeakMap<ReverseNeighborIndex, ReturnType<typeof invertNeighbors>>();
function forwardLists(index: ReverseNeighborIndex) {
  let f = forwardCache.get(index);
  if (!f) forwardCache.set(index, (f = invertNeighbors({ nItems: index.movieIds.length, ptr: index.ptr, items: index.candidates, scores: index.scores })));
  return f;
}

/** The serving version's lists recomputed with another shrink, as the in-memory index serving builds. */
async function recomputedIndex(neighbors: number, shrink: number): Promise<ReverseNeighborIndex> {
  const data = await loadTrainingData();
  const table = toTable(data);
  const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights: data.weights });
  const nb = itemNeighbors(dataset, neighbors, { shrink });
  const movieIds = Int32Array.from(dataset.itemIds, Number);
  const length = nb.items.length;
  const movieId = new Int32Array(length);
  for (let i = 0; i < nb.nItems; i++) movieId.fill(movieIds[i], nb.ptr[i], nb.ptr[i + 1]);
  return buildReverseNeighborIndex({ movieId, neighborId: Int32Array.from(nb.items, (j) => movieIds[j]), score: nb.scores, length });
}

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      users: { type: "string" },
      likes: { type: "string" },
      pool: { type: "string" },
      k: { type: "string" },
      seed: { type: "string" },
      history: { type: "string" },
      shrink: { type: "string" },
      normalize: { type: "string" },
      json: { type: "boolean" },
    },
    schema,
    HELP,
  );
  const serving = await getServingSnapshot();
  if (!serving) throw new CliError("no serving model version: run npm run train first");
  const version = await getModelVersion(serving.versionId);
  const neighbors = Number(version?.params.cacheNeighbors ?? 50);
  const index = args.shrink === undefined ? await getReverseNeighborIndex(serving.versionId) : await recomputedIndex(neighbors, args.shrink);
  if (index.candidates.length === 0) throw new CliError(`serving version ${serving.versionId} has no cached neighbours`);

  const pool = await listPopularMovies({ k: args.pool });
  const histories = sampleOnboardingHistories(pool, ONBOARDING_GENRES, { users: args.users, likes: args.likes, seed: args.seed });
  const opts = { k: args.k, normalize: args.normalize };
  const lists = histories.map((h) => foldIn(index, h, opts));
  const result = {
    database: getEnv().DATABASE_PATH,
    servingVersion: serving.versionId,
    neighborLists: args.shrink === undefined ? `cache (${neighbors} per movie)` : `recomputed, ${neighbors} per movie, shrink ${args.shrink}`,
    normalize: args.normalize,
    users: args.users,
    likes: args.likes,
    pool: args.pool,
    k: args.k,
    seed: args.seed,
    meanHistoryLength: histories.reduce((s, h) => s + h.length, 0) / histories.length,
    ...anchorDiversity(lists),
    history: args.history ? await describeHistory(index, args.history, opts) : undefined,
  };
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  console.log(`serving version ${result.servingVersion}, neighbour lists: ${result.neighborLists}, scoring: ${args.normalize === "none" ? "fold-in" : `item-knn --normalize ${args.normalize}`}`);
  console.log(`${args.users} histories of ${args.likes} likes from the ${args.pool} most popular films (seed ${args.seed}; mean length ${r(result.meanHistoryLength, 2)}), first ${args.k} picks`);
  console.log("| neighbour lists | mean picks | share explained by the top anchor | likes that explain a pick | lists with one like explaining > half |\n|---|---|---|---|---|");
  console.log(`| ${result.neighborLists} | ${r(result.picks, 1)} | ${r(result.topAnchorShare)} | ${r(result.likesAsAnchors, 2)} of ${args.likes} | ${r(result.dominated)} |`);
  if (result.history) console.log(`\n--history: ${result.history.map((a) => `${a.title} ${a.picks}`).join(", ")}`);
});

async function describeHistory(index: ReverseNeighborIndex, history: number[], opts: Options) {
  const counts = countAnchors(foldIn(index, history, opts));
  const titles = new Map((await getMoviesByIds(history)).map((m) => [m.id, m.title]));
  const byId = new Map(counts.map((c) => [c.anchorId, c.picks]));
  return history.map((id) => ({ movieId: id, title: titles.get(id) ?? `#${id}`, picks: byId.get(id) ?? 0 })).sort((a, b) => b.picks - a.picks);
}
