// Offline evaluation: train on one part of a ratings table, recommend top-k for every training user
// (their training items excluded), score against the held-out part. Protocol: docs/evaluation.md.
import { datasetFromCodes, popularityRanks, userHistory, type Dataset } from "@/lib/recs/dataset";
import type { RatingsTable } from "@/lib/recs/io";
import { catalogCoverage, meanPopularityRank, rankingMetrics } from "@/lib/recs/metrics";
import { getModelSpec, recommend, type ModelName } from "@/lib/recs/models";
import type { TrainOptions } from "@/lib/recs/models/model";
import { stratifiedSplit, type SplitBy } from "@/lib/recs/split";

export interface EvaluationReport {
  model: string;
  params: Record<string, unknown>;
  users: number;
  items: number;
  trainInteractions: number;
  testInteractions: number;
  /** Users in both the test set and the recommendations, over whom metrics are averaged. */
  evaluatedUsers: number;
  metrics: Record<string, number>;
  fitSeconds: number;
  recommendSeconds: number;
  /** Share of training items that appear in at least one top-k list. */
  coverage: number;
  /** Mean popularity rank of recommended items (1 = most popular in training). */
  novelty: number;
}

export interface EvaluationRun {
  report: EvaluationReport;
  dataset: Dataset<string, string>;
  /** Per training user (by dataset index): recommended dataset item indices and scores, best first. */
  lists: { items: Int32Array; scores: Float32Array }[];
}

export interface EvaluateOptions {
  model: ModelName;
  params?: Record<string, unknown>;
  k: number;
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
  threads?: number;
}

/** Rows of one table split into train and test (both index into `table`). */
export interface TrainTest {
  table: RatingsTable;
  train: Int32Array;
  test: Int32Array;
  /**
   * Interaction weight per table row for the model's training data. Absent: every row counts 1 (the
   * protocol for ratings files). Training's validation passes the signal weights (a watchlist add
   * counts 0.5), so the validated model is fitted like the one that serves.
   */
  weights?: Float32Array;
}

/** Split a ratings table per item (or per user) as /work/shared/reference/split.py does. */
export function splitTable(table: RatingsTable, by: SplitBy, ratio: number, seed: number): TrainTest {
  const keys = by === "item" ? table.items : table.users;
  const ids = by === "item" ? table.itemIds : table.userIds;
  const { train, test } = stratifiedSplit(keys, ids, { ratio, seed });
  return { table, train, test };
}

/** Put separate train and test files into one table (shared id codes), rows [0, a) train, [a, a+b) test. */
export function joinTables(train: RatingsTable, test: RatingsTable): TrainTest {
  const userIds = [...train.userIds];
  const itemIds = [...train.itemIds];
  const userCode = new Map(userIds.map((id, c) => [id, c]));
  const itemCode = new Map(itemIds.map((id, c) => [id, c]));
  const recode = (ids: string[], codes: Map<string, number>, all: string[]) =>
    Int32Array.from(ids, (id) => {
      let c = codes.get(id);
      if (c === undefined) {
        c = all.length;
        all.push(id);
        codes.set(id, c);
      }
      return c;
    });
  const testUser = recode(test.userIds, userCode, userIds);
  const testItem = recode(test.itemIds, itemCode, itemIds);
  const n = train.length + test.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  users.set(train.users);
  items.set(train.items);
  for (let r = 0; r < test.length; r++) {
    users[train.length + r] = testUser[test.users[r]];
    items[train.length + r] = testItem[test.items[r]];
  }
  const ratings = new Float32Array(n);
  ratings.set(train.ratings);
  ratings.set(test.ratings, train.length);
  const timestamps = new Float64Array(n);
  timestamps.set(train.timestamps);
  timestamps.set(test.timestamps, train.length);
  const rows = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, r) => a + r);
  return {
    table: { format: train.format, length: n, users, items, ratings, timestamps, userIds, itemIds },
    train: rows(0, train.length),
    test: rows(train.length, n),
  };
}

/** Train `options.model` on the train rows (weight 1 each unless `data.weights`) and evaluate. */
export function evaluateModel(data: TrainTest, options: EvaluateOptions): EvaluationRun {
  const { table } = data;
  const { k } = options;
  const spec = getModelSpec(options.model);
  const params = spec.paramsSchema.parse(options.params ?? {}) as Record<string, unknown>;

  const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights: data.weights, rows: data.train });

  // Held-out items per user, keyed by table codes (test items unseen in training still count as relevant).
  // Duplicate (user, item) pairs count once: a pair with a row in train too (a duplicated line whose
  // copies the split put on both sides, or overlapping --train/--test files) is a training item. It
  // is excluded from the user's list, so holding it out as well would be an unreachable "relevant" item.
  const datasetUser = Int32Array.from(table.userIds, (id) => dataset.userIndex.get(id) ?? -1);
  const datasetItem = Int32Array.from(table.itemIds, (id) => dataset.itemIndex.get(id) ?? -1);
  const test = new Map<number, Set<number>>();
  let testInteractions = 0;
  for (const row of data.test) {
    const u = table.users[row];
    if (inTraining(dataset, datasetUser[u], datasetItem[table.items[row]])) continue;
    let set = test.get(u);
    if (!set) test.set(u, (set = new Set()));
    if (!set.has(table.items[row])) {
      set.add(table.items[row]);
      testInteractions++;
    }
  }

  const trainOptions: TrainOptions = { seed: options.seed, onProgress: options.onProgress, threads: options.threads };
  let started = performance.now();
  const model = spec.train(dataset, params, trainOptions);
  const fitSeconds = (performance.now() - started) / 1000;

  const userCode = new Map(table.userIds.map((id, c) => [id, c]));
  const itemCode = new Map(table.itemIds.map((id, c) => [id, c]));
  const datasetItemCode = Int32Array.from(dataset.itemIds, (id) => itemCode.get(id)!);

  started = performance.now();
  const lists: EvaluationRun["lists"] = new Array(dataset.nUsers);
  const recs = new Map<number, Int32Array>();
  const step = Math.max(1, Math.floor(dataset.nUsers / 100));
  for (let u = 0; u < dataset.nUsers; u++) {
    const list = recommend(model, u, k);
    lists[u] = list;
    recs.set(userCode.get(dataset.userIds[u])!, list.items.map((i) => datasetItemCode[i]));
    if ((u + 1) % step === 0) options.onProgress?.("recommend", u + 1, dataset.nUsers);
  }
  const recommendSeconds = (performance.now() - started) / 1000;

  const m = rankingMetrics(test, recs, k);
  const report: EvaluationReport = {
    model: options.model,
    params,
    users: dataset.nUsers,
    items: dataset.nItems,
    trainInteractions: dataset.nnz,
    testInteractions,
    evaluatedUsers: m.users,
    metrics: { [`precision@${k}`]: m.precision, [`recall@${k}`]: m.recall, [`ndcg@${k}`]: m.ndcg, map: m.map },
    fitSeconds: round(fitSeconds, 3),
    recommendSeconds: round(recommendSeconds, 3),
    coverage: catalogCoverage(lists.map((l) => l.items), dataset.nItems),
    novelty: meanPopularityRank(
      lists.map((l) => l.items),
      popularityRanks(dataset),
    ),
  };
  return { report, dataset, lists };
}

/** Is dataset item `i` in user `u`'s training items? (-1 = not in the training data.) A user's items are ascending. */
function inTraining(dataset: Dataset, u: number, i: number): boolean {
  if (i < 0) return false;
  const { items } = userHistory(dataset, u); // empty for u = -1
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid] === i) return true;
    if (items[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Lines `user<TAB>item<TAB>score`, best first per user, with the file's own ids. */
export function formatRecommendations(run: EvaluationRun): string {
  const { dataset, lists } = run;
  const out: string[] = [];
  for (let u = 0; u < lists.length; u++) {
    const { items, scores } = lists[u];
    for (let r = 0; r < items.length; r++) out.push(`${dataset.userIds[u]}\t${dataset.itemIds[items[r]]}\t${formatScore(scores[r])}\n`);
  }
  return out.join("");
}

function formatScore(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(7);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
