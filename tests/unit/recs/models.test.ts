// One suite every registered model must pass: the edges a serving layer relies on and the claim that
// it learns something popularity cannot.
import { describe, expect, it } from "vitest";
import { buildDataset, DatasetBuilder, userHistory, type Dataset } from "@/lib/recs/dataset";
import { rankingMetrics } from "@/lib/recs/metrics";
import { DEFAULT_MODEL, MODEL_NAMES, recommend, recommendForHistory, resolveParams, trainModel, type ModelName } from "@/lib/recs/models";
import type { EaseModel } from "@/lib/recs/models/ease";
import { createRng } from "@/lib/recs/split";
import { inverse, Matrix } from "ml-matrix";
import { plantedInteractions } from "./planted";

const planted = plantedInteractions();
const dataset = buildDataset(planted.train);

// Small-data settings where the defaults are tuned for MovieLens-sized data.
const testParams: Partial<Record<ModelName, Record<string, unknown>>> = {
  "item-knn": { neighbors: 20 },
  "user-knn": { neighbors: 30 },
  ease: { lambda: 20, minItemCount: 1 },
};

function ndcgOf(name: ModelName, data: Dataset, test: [string, string][]): number {
  const model = trainModel(name, data, testParams[name]);
  const relevant = new Map<string, Set<string>>();
  for (const [u, i] of test) {
    if (!relevant.has(u)) relevant.set(u, new Set());
    relevant.get(u)!.add(i);
  }
  const recs = new Map<string, string[]>();
  for (let u = 0; u < data.nUsers; u++) {
    recs.set(String(data.userIds[u]), Array.from(recommend(model, u, 10).items, (i) => String(data.itemIds[i])));
  }
  return rankingMetrics(relevant, recs, 10).ndcg;
}

function popularOrder(data: Dataset, exclude: Set<number> = new Set()): number[] {
  return Array.from({ length: data.nItems }, (_, i) => i)
    .filter((i) => !exclude.has(i))
    .sort((a, b) => data.itemPtr[b + 1] - data.itemPtr[b] - (data.itemPtr[a + 1] - data.itemPtr[a]) || a - b);
}

describe("model registry", () => {
  it("has the required models and a registered default", () => {
    expect(MODEL_NAMES).toEqual(expect.arrayContaining(["popularity", "item-knn", "user-knn", "ease"]));
    expect(MODEL_NAMES).toContain(DEFAULT_MODEL);
  });

  it("fills defaults and rejects bad parameters", () => {
    expect(resolveParams("ease")).toMatchObject({ lambda: expect.any(Number) });
    expect(() => resolveParams("item-knn", { neighbors: -1 })).toThrow();
    expect(() => resolveParams("ease", { lambda: "abc" })).toThrow();
    expect(() => resolveParams("popularity", { bogus: 1 })).toThrow();
  });
});

describe.each(MODEL_NAMES)("model %s", (name) => {
  const model = trainModel(name, dataset, testParams[name], { seed: 1 });

  it("recommends k unseen items for a training user, best first", () => {
    for (let u = 0; u < dataset.nUsers; u += 17) {
      const { items, scores } = recommend(model, u, 10);
      expect(items.length).toBe(10);
      const seen = new Set(userHistory(dataset, u).items);
      for (const i of items) expect(seen.has(i)).toBe(false);
      for (let r = 1; r < scores.length; r++) expect(scores[r]).toBeLessThanOrEqual(scores[r - 1]);
      expect(new Set(items).size).toBe(items.length);
    }
  });

  it("honours an extra exclusion list", () => {
    const first = recommend(model, 3, 5).items;
    const again = recommend(model, 3, 5, [first[0], first[1]]).items;
    expect(again).not.toContain(first[0]);
    expect(again).not.toContain(first[1]);
  });

  it("gives an unknown user the most popular items", () => {
    for (const u of [-1, dataset.nUsers, 1e9]) {
      expect(Array.from(recommend(model, u, 5).items)).toEqual(popularOrder(dataset).slice(0, 5));
    }
  });

  it("gives a user with no history the most popular items", () => {
    const builder = new DatasetBuilder<string, string>();
    for (const [u, i] of planted.train) builder.add(u, i);
    const lonely = builder.addUser("nobody");
    const data = builder.build();
    const m = trainModel(name, data, testParams[name]);
    expect(Array.from(recommend(m, lonely, 5).items)).toEqual(popularOrder(data).slice(0, 5));
    expect(Array.from(recommendForHistory(m, { items: new Int32Array(0) }, 5).items)).toEqual(popularOrder(data).slice(0, 5));
  });

  it("trains on an empty dataset and recommends nothing", () => {
    const empty = buildDataset<string, string>([]);
    const m = trainModel(name, empty, testParams[name]);
    expect(recommend(m, 0, 10).items.length).toBe(0);
    expect(recommend(m, -1, 10).items.length).toBe(0);
  });

  it("returns the whole unseen catalog when k exceeds it", () => {
    const u = 5;
    const seen = userHistory(dataset, u).items.length;
    const { items } = recommend(model, u, dataset.nItems + 50);
    expect(items.length).toBe(dataset.nItems - seen);
    expect(recommend(model, u, 0).items.length).toBe(0);
  });

  it("folds in a new history like the same training user", () => {
    const u = 11;
    const history = userHistory(dataset, u);
    const asUser = recommend(model, u, 10).items;
    const folded = recommendForHistory(model, { items: history.items.slice(), weights: history.weights?.slice() }, 10).items;
    // user-knn would count the user as their own neighbour when folded in; the rest must agree exactly.
    if (name !== "user-knn") expect(Array.from(folded)).toEqual(Array.from(asUser));
    else expect(folded.length).toBe(10);
  });

  it("is deterministic for a seed", () => {
    const again = trainModel(name, buildDataset(planted.train), testParams[name], { seed: 1 });
    for (let u = 0; u < dataset.nUsers; u += 29) {
      const a = recommend(model, u, 10);
      const b = recommend(again, u, 10);
      expect(Array.from(b.items)).toEqual(Array.from(a.items));
      expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    }
  });

  it.skipIf(name === "popularity")("beats popularity on planted-structure data", () => {
    const ours = ndcgOf(name, dataset, planted.test);
    const baseline = ndcgOf("popularity", dataset, planted.test);
    expect(ours).toBeGreaterThan(baseline + 0.1);
  });
});

describe("model params", () => {
  it("EASE refuses more items than maxItems with an actionable message", () => {
    expect(() => trainModel("ease", dataset, { maxItems: 10, minItemCount: 1 })).toThrow(/maxItems = 10.*minItemCount/);
  });

  it("EASE leaves out items below minItemCount and never recommends them", () => {
    const m = trainModel("ease", dataset, { minItemCount: 1000 });
    expect(recommend(m, 0, 10).items.length).toBe(0);
  });

  // Users with histories of 2–16 items and weights 1–5, so the user weighting is not a constant.
  function uneven(): Dataset {
    const rng = createRng(11);
    const rows: [number, number, number][] = [];
    for (let u = 0; u < 40; u++) {
      const items = new Set<number>();
      const length = 2 + Math.floor(rng() * 15);
      while (items.size < length) items.add(Math.floor(rng() ** 2 * 25));
      for (const i of items) rows.push([u, i, 1 + Math.floor(rng() * 5)]);
    }
    return buildDataset(rows);
  }

  /** EASE's weights computed densely with ml-matrix, straight from the formula in ease.ts. */
  function denseEase(data: Dataset, lambda: number, userExponent: number, popularityExponent: number): number[][] {
    const n = data.nItems;
    const x = Matrix.zeros(data.nUsers, n);
    const d = Matrix.zeros(data.nUsers, data.nUsers);
    for (let u = 0; u < data.nUsers; u++) {
      for (let p = data.userPtr[u]; p < data.userPtr[u + 1]; p++) x.set(u, data.userItems[p], data.userWeights[p]);
      d.set(u, u, (data.userPtr[u + 1] - data.userPtr[u]) ** -userExponent);
    }
    const plain = x.transpose().mmul(x);
    const g = x.transpose().mmul(d).mmul(x);
    const scaled = (lambda * g.trace()) / plain.trace();
    const p = inverse(g.add(Matrix.eye(n).mul(scaled)));
    return Array.from({ length: n }, (_, a) =>
      Array.from({ length: n }, (_, b) => {
        const count = data.itemPtr[b + 1] - data.itemPtr[b];
        return a === b ? 0 : (-p.get(a, b) / p.get(b, b)) * count ** popularityExponent;
      }),
    );
  }

  it.each([
    { userExponent: 0, popularityExponent: 0 },
    { userExponent: 0.5, popularityExponent: -0.1 },
    { userExponent: 1, popularityExponent: 0.3 },
  ])("EASE's weights match the dense formula (%o)", ({ userExponent, popularityExponent }) => {
    const data = uneven();
    const m = trainModel("ease", data, { lambda: 4, minItemCount: 1, userExponent, popularityExponent }) as EaseModel;
    const expected = denseEase(data, 4, userExponent, popularityExponent);
    expect(m.kept.length).toBe(data.nItems);
    let largest = 0;
    for (let a = 0; a < data.nItems; a++) {
      for (let b = 0; b < data.nItems; b++) {
        largest = Math.max(largest, Math.abs(expected[a][b]));
        expect(m.weights[a * data.nItems + b]).toBeCloseTo(expected[a][b], 5);
      }
    }
    expect(largest).toBeGreaterThan(0.01);
  });

  it("EASE's two exponents change the weights (the defaults are not Steck's plain model)", () => {
    const data = uneven();
    const plain = trainModel("ease", data, { lambda: 4, minItemCount: 1, userExponent: 0, popularityExponent: 0 }) as EaseModel;
    const byDefault = trainModel("ease", data, { lambda: 4, minItemCount: 1 }) as EaseModel;
    expect(resolveParams("ease")).toMatchObject({ userExponent: 0.5, popularityExponent: -0.1 });
    const diff = plain.weights.reduce((s, w, k) => s + Math.abs(w - byDefault.weights[k]), 0);
    expect(diff).toBeGreaterThan(0.1);
  });

  it("item-knn with all neighbours matches a brute-force cosine scorer", () => {
    const data = buildDataset(plantedInteractions({ users: 40, items: 30, perUser: 6, heldOut: 0 }).train);
    const m = trainModel("item-knn", data, { neighbors: 0 });
    const cos = (a: number, b: number) => {
      const ua = new Set(data.itemUsers.subarray(data.itemPtr[a], data.itemPtr[a + 1]));
      const ub = data.itemUsers.subarray(data.itemPtr[b], data.itemPtr[b + 1]);
      const dot = ub.filter((u) => ua.has(u)).length;
      return dot / Math.sqrt(ua.size * ub.length);
    };
    for (const u of [0, 7, 19]) {
      const history = Array.from(userHistory(data, u).items);
      const expected = new Map<number, number>();
      for (let j = 0; j < data.nItems; j++) if (!history.includes(j)) expected.set(j, history.reduce((s, h) => s + cos(j, h), 0));
      const { items, scores } = recommend(m, u, 5);
      items.forEach((j, r) => expect(scores[r]).toBeCloseTo(expected.get(j)!, 5));
      expect(scores[0]).toBeCloseTo(Math.max(...expected.values()), 5);
    }
  });
});
