import { describe, expect, it } from "vitest";
import { buildDataset, userHistory } from "@/lib/recs/dataset";
import { explainRecommendations, explainWithNeighbors, itemNeighbors, recommend, similarItems, trainModel } from "@/lib/recs/models";
import { NEIGHBOR_NORMALIZATIONS, scoreFromNeighbors, type NeighborNormalization } from "@/lib/recs/models/neighbors";
import { plantedInteractions } from "./planted";

const data = buildDataset(plantedInteractions({ users: 60, items: 40, perUser: 8, heldOut: 0 }).train);

function bruteCosine(a: number, b: number, shrink = 0): number {
  const ua = new Set(data.itemUsers.subarray(data.itemPtr[a], data.itemPtr[a + 1]));
  const ub = data.itemUsers.subarray(data.itemPtr[b], data.itemPtr[b + 1]);
  const dot = ub.filter((u) => ua.has(u)).length;
  return dot / (Math.sqrt(ua.size * ub.length) + shrink);
}

describe("itemNeighbors", () => {
  it("gives exactly the same lists with worker threads as on one thread", () => {
    const big = buildDataset(plantedInteractions({ users: 400, items: 300, perUser: 25, heldOut: 0 }).train);
    for (const K of [1, 20]) {
      const one = itemNeighbors(big, K, { shrink: 1 });
      const three = itemNeighbors(big, K, { shrink: 1, threads: 3 });
      expect(three.ptr).toEqual(one.ptr);
      expect(three.items).toEqual(one.items);
      expect(three.scores).toEqual(one.scores);
    }
  });

  it.each([1, 5, 0])("keeps the top %i cosine neighbours per item, best first (0 = all)", (K) => {
    const nb = itemNeighbors(data, K, { shrink: 2 });
    for (let i = 0; i < data.nItems; i++) {
      const all = Array.from({ length: data.nItems }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => ({ j, s: bruteCosine(i, j, 2) }))
        .filter((x) => x.s > 0)
        .sort((x, y) => y.s - x.s || x.j - y.j);
      const want = K === 0 ? all : all.slice(0, K);
      const got = similarItems(nb, i);
      expect(got.items.length).toBe(want.length);
      want.forEach((w, r) => expect(got.scores[r]).toBeCloseTo(w.s, 5));
      expect(got.items).not.toContain(i);
    }
  });

  it("sharpens with an exponent without changing the order", () => {
    const plain = itemNeighbors(data, 5);
    const sharp = itemNeighbors(data, 5, { exponent: 2 });
    expect(Array.from(sharp.items)).toEqual(Array.from(plain.items));
    expect(sharp.scores[0]).toBeCloseTo(plain.scores[0] ** 2, 5);
  });
});

describe("explainWithNeighbors", () => {
  it("picks the most similar history item, or -1 when none is a neighbour", () => {
    const nb = itemNeighbors(data, 0);
    const history = [2, 9];
    const { anchors, similarities } = explainWithNeighbors(nb, history, [4, 2]);
    const s2 = bruteCosine(4, 2);
    const s9 = bruteCosine(4, 9);
    expect(anchors[0]).toBe(s2 === 0 && s9 === 0 ? -1 : s2 >= s9 ? 2 : 9);
    expect(similarities[0]).toBeCloseTo(Math.max(s2, s9), 5);
    const none = explainWithNeighbors(nb, [], [4]);
    expect(none.anchors[0]).toBe(-1);
  });
});

describe("explainRecommendations", () => {
  it("uses the model's own anchor when it has one and neighbour lists otherwise", () => {
    const nb = itemNeighbors(data, 10);
    for (const name of ["item-knn", "ease", "popularity", "user-knn"] as const) {
      const model = trainModel(name, data, name === "ease" ? { minItemCount: 1, lambda: 10 } : name === "item-knn" ? { neighbors: 10 } : {});
      const u = 4;
      const history = userHistory(data, u);
      const { items } = recommend(model, u, 5);
      const anchors = explainRecommendations(model, history, items, nb);
      expect(anchors.length).toBe(items.length);
      for (const a of anchors) if (a !== -1) expect(Array.from(history.items)).toContain(a);
      expect(Array.from(anchors).some((a) => a !== -1)).toBe(true);
    }
  });
});

describe("scoreFromNeighbors normalisations (item-knn --normalize)", () => {
  const nb = itemNeighbors(data, 6);
  const list = (i: number) => Array.from(nb.items.subarray(nb.ptr[i], nb.ptr[i + 1]), (j, t) => ({ j, sim: nb.scores[nb.ptr[i] + t] }));
  const rowSum = (i: number) => list(i).reduce((s, e) => s + e.sim, 0);
  // Σ of the similarities of the items whose lists hold h: everything h contributes to
  const totalOf = (h: number) => Array.from({ length: nb.nItems }, (_, i) => list(i).find((e) => e.j === h)?.sim ?? 0).reduce((s, x) => s + x, 0);
  const factor = (normalize: NeighborNormalization, i: number, h: number) =>
    normalize === "none" ? 1 : normalize === "candidate" ? 1 / rowSum(i) : normalize === "history" ? 1 / rowSum(h) : 1 / totalOf(h);
  const history = [0, 5, 9, 14, 22];
  const weights = [1, 0.5, 1, 2, 1];

  it.each(NEIGHBOR_NORMALIZATIONS)("%s: each term w_h · sim(i, h) is scaled as documented, and the anchor is the largest term", (normalize) => {
    const out = new Float64Array(nb.nItems);
    const anchors = { item: new Int32Array(nb.nItems).fill(-1), contribution: new Float64Array(nb.nItems) };
    scoreFromNeighbors(nb, history, weights, out, anchors, normalize);
    let scored = 0;
    for (let i = 0; i < nb.nItems; i++) {
      const terms = list(i)
        .filter((e) => history.includes(e.j))
        .map((e) => ({ h: e.j, c: weights[history.indexOf(e.j)] * e.sim * factor(normalize, i, e.j) }));
      expect(out[i]).toBeCloseTo(terms.reduce((s, t) => s + t.c, 0), 10);
      if (terms.length === 0) continue;
      scored++;
      const best = Math.max(...terms.map((t) => t.c));
      expect(terms.find((t) => t.h === anchors.item[i])?.c).toBeCloseTo(best, 12);
    }
    expect(scored).toBeGreaterThan(5);
  });

  it("item-knn scores and explains with its normalize parameter; none is the reference's scoring", () => {
    const u = 7;
    const plain = trainModel("item-knn", data, { neighbors: 6 });
    const same = trainModel("item-knn", data, { neighbors: 6, normalize: "none" });
    expect(recommend(same, u, 10)).toEqual(recommend(plain, u, 10));
    for (const normalize of NEIGHBOR_NORMALIZATIONS) {
      const model = trainModel("item-knn", data, { neighbors: 6, normalize });
      const h = userHistory(data, u);
      const want = new Float64Array(nb.nItems);
      const anchors = { item: new Int32Array(nb.nItems).fill(-1), contribution: new Float64Array(nb.nItems) };
      scoreFromNeighbors(nb, h.items, h.weights, want, anchors, normalize);
      const got = new Float64Array(nb.nItems);
      model.score(h, got);
      expect(got).toEqual(want);
      const { items } = recommend(model, u, 8);
      for (const item of items) expect(model.anchor!(h, item)).toBe(anchors.item[item]);
    }
  });
});
