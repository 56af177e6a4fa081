import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { queryArrays } from "@/lib/db/raw";
import { interactions, users } from "@/lib/db/schema";
import { loadTrainingData, SIGNAL_WEIGHTS } from "@/lib/interactions/training-data";
import { recordInteraction } from "@/lib/interactions/queries";
import { datasetFromCodes, userHistory } from "@/lib/recs/dataset";
import { evaluateModel, splitTable } from "@/lib/recs/evaluate";
import { rankingMetrics } from "@/lib/recs/metrics";
import { explainRecommendations, itemNeighbors, recommend, trainModel, type ItemNeighbors } from "@/lib/recs/models";
import { CACHE_SIMILARITY, runTraining, toTable } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { useTempDb } from "../../helpers/temp-db";
import { smallCatalog } from "../simulate/fixtures";

// The scale changes to training (issue 9) — the streaming loader, neighbours reused from the
// item-knn fit, columnar cache writes, worker threads — must not change what a run produces.

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), smallCatalog(120));
  await runSimulation({ users: 150, maxPerUser: 15, seed: 11 });
  // signals the simulator never makes: an unlike, a watchlist add, a removed watchlist entry
  const [first] = await getDb().select().from(interactions).limit(1);
  await recordInteraction({ kind: "like", userId: first.userId, movieId: first.movieId, value: 0 });
  const movies = smallCatalog(120).map((m) => m.id);
  await recordInteraction({ kind: "watchlist", userId: first.userId, movieId: movies[100], value: 1 });
  await recordInteraction({ kind: "watchlist", userId: first.userId, movieId: movies[101], value: 0 });
}, 60_000);
afterAll(() => tmp.cleanup());

/** The loader as it was before issue 9 (row objects through the query builder), as the reference. */
async function referenceLoad() {
  const rows = await getDb()
    .select({ id: interactions.id, userId: interactions.userId, movieId: interactions.movieId, kind: interactions.kind, value: interactions.value, createdAt: interactions.createdAt })
    .from(interactions)
    .orderBy(asc(interactions.userId), asc(interactions.movieId), asc(interactions.kind));
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  let hash = 0x811c9dc5;
  let maxCreatedAt = 0;
  let maxInteractionId = 0;
  for (const r of rows) {
    maxCreatedAt = Math.max(maxCreatedAt, r.createdAt);
    maxInteractionId = Math.max(maxInteractionId, r.id);
    hash = (Math.imul(hash ^ r.userId, 0x01000193) ^ Math.imul(r.movieId, 0x9e3779b1) ^ (r.createdAt % 0x7fffffff)) >>> 0;
    const w = (r.kind === "watchlist" || r.kind === "like") && r.value === 0 ? 0 : SIGNAL_WEIGHTS[r.kind];
    const n = users.length;
    if (n > 0 && users[n - 1] === r.userId && items[n - 1] === r.movieId) {
      weights[n - 1] = Math.max(weights[n - 1], w);
      continue;
    }
    if (w === 0) continue;
    users.push(r.userId);
    items.push(r.movieId);
    weights.push(w);
  }
  return { users, items, weights, rows: rows.length, maxCreatedAt, maxInteractionId, checksum: hash.toString(16).padStart(8, "0") };
}

describe("loadTrainingData", () => {
  it("gives the same pairs, weights and snapshot as the row-object loader it replaced", async () => {
    const want = await referenceLoad();
    const got = await loadTrainingData();
    expect(Array.from(got.users)).toEqual(want.users);
    expect(Array.from(got.items)).toEqual(want.items);
    expect(Array.from(got.weights)).toEqual(want.weights);
    expect(got.snapshot).toEqual({ interactions: want.rows, pairs: want.users.length, maxCreatedAt: want.maxCreatedAt, maxInteractionId: want.maxInteractionId, checksum: want.checksum });
    expect(want.maxInteractionId).toBeGreaterThan(0);
    expect(want.weights).toContain(0.5); // the watchlist add counts half
  });
});

describe("runTraining caches", () => {
  it("are exactly the pure model's top-N, anchors and neighbours, with one thread or several", async () => {
    const data = await loadTrainingData();
    const userIds = [...new Set(data.users)];
    const itemIds = [...new Set(data.items)];
    const uc = new Map(userIds.map((id, c) => [id, c]));
    const ic = new Map(itemIds.map((id, c) => [id, c]));
    const dataset = datasetFromCodes({
      users: Int32Array.from(data.users, (u) => uc.get(u)!),
      items: Int32Array.from(data.items, (i) => ic.get(i)!),
      userIds,
      itemIds,
      weights: data.weights,
    });
    const model = trainModel("item-knn", dataset, { neighbors: 10 });
    const nb = (model as unknown as { neighbors: Parameters<typeof explainRecommendations>[3] }).neighbors!;

    const recRows = (v: number) => queryArrays("SELECT user_id, rank, movie_id, score, anchor_movie_id FROM recommendations WHERE model_version_id = ? ORDER BY user_id, rank", [v]);
    const nbRows = (v: number) => queryArrays("SELECT movie_id, rank, neighbor_id, score FROM item_neighbors WHERE model_version_id = ? ORDER BY movie_id, rank", [v]);

    const expectedRecs: unknown[][] = [];
    for (let u = 0; u < dataset.nUsers; u++) {
      const list = recommend(model, u, 10);
      const anchors = explainRecommendations(model, userHistory(dataset, u), list.items, nb);
      list.items.forEach((item, r) =>
        expectedRecs.push([dataset.userIds[u], r + 1, dataset.itemIds[item], list.scores[r], anchors[r] >= 0 ? dataset.itemIds[anchors[r]] : null]),
      );
    }
    expectedRecs.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    const cacheRows = (lists: ItemNeighbors) => {
      const rows: unknown[][] = [];
      for (let i = 0; i < lists.nItems; i++) {
        for (let p = lists.ptr[i]; p < lists.ptr[i + 1]; p++) rows.push([dataset.itemIds[i], p - lists.ptr[i] + 1, dataset.itemIds[lists.items[p]], lists.scores[p]]);
      }
      return rows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    };
    const expectedNb = cacheRows(nb);

    for (const threads of [1, 2]) {
      const run = await runTraining({ model: "item-knn", params: { neighbors: 10 }, neighbors: 10, topN: 10, force: true, threads });
      expect(run.stageSeconds).toHaveProperty("write");
      expect(await recRows(run.versionId)).toEqual(expectedRecs);
      expect(await nbRows(run.versionId)).toEqual(expectedNb);
    }
    // a model without such lists (EASE) gets the cache's own similarity: cosine with shrink 2
    const ease = await runTraining({ model: "ease", neighbors: 10, topN: 10, force: true });
    expect(await nbRows(ease.versionId)).toEqual(cacheRows(itemNeighbors(dataset, 10, CACHE_SIMILARITY)));
    expect(await nbRows(ease.versionId)).not.toEqual(expectedNb);
  }, 60_000);
});

describe("runTraining validation", () => {
  it("measures the model fitted like the serving one: with the signal weights (a watchlist add counts 0.5)", async () => {
    // Half the users put ten movies on their watchlist: weight 0.5 each, unlike a rating's 1.
    const movies = smallCatalog(120).map((m) => m.id);
    const userIds = (await getDb().select({ id: users.id }).from(users)).map((u) => u.id).filter((_, n) => n % 2 === 0);
    for (const userId of userIds) for (const movieId of movies.slice(110)) await recordInteraction({ kind: "watchlist", userId, movieId, value: 1 });

    // The expected metrics, computed here without evaluateModel: the same item split, a user-knn
    // fitted on the training rows with their weights, top 10 unseen, Recommenders' metrics.
    const data = await loadTrainingData();
    const table = toTable(data);
    const { train, test } = splitTable(table, "item", 0.75, 42);
    const metricsWith = (weights: Float32Array | undefined) => {
      const dataset = datasetFromCodes({ users: table.users, items: table.items, userIds: table.userIds, itemIds: table.itemIds, weights, rows: train });
      const model = trainModel("user-knn", dataset);
      const held = new Map<string, Set<string>>();
      for (const row of test) {
        const u = table.userIds[table.users[row]];
        if (!held.has(u)) held.set(u, new Set());
        held.get(u)!.add(table.itemIds[table.items[row]]);
      }
      const recs = new Map<string, string[]>();
      for (let u = 0; u < dataset.nUsers; u++) recs.set(dataset.userIds[u], Array.from(recommend(model, u, 10).items, (i) => dataset.itemIds[i]));
      const m = rankingMetrics(held, recs, 10);
      return { "precision@10": m.precision, "recall@10": m.recall, "ndcg@10": m.ndcg, map: m.map };
    };
    const weighted = metricsWith(data.weights);
    expect(weighted).not.toEqual(metricsWith(undefined)); // the weights matter on this data
    expect(evaluateModel({ table, train, test, weights: data.weights }, { model: "user-knn", k: 10 }).report.metrics).toEqual(weighted);

    const run = await runTraining({ model: "user-knn", neighbors: 10, topN: 10, force: true });
    for (const [key, value] of Object.entries(weighted)) expect(run.metrics[key]).toBeCloseTo(value, 12);
  }, 60_000);
});
