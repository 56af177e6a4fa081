import { describe, expect, it } from "vitest";
import { buildDataset, userHistory } from "@/lib/recs/dataset";
import { explainRecommendations, explainWithNeighbors, itemNeighbors, recommend, similarItems, trainModel } from "@/lib/recs/models";
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
