import { describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/recs/dataset";
import { buildReverseNeighborIndex, foldInFromIndex, foldInRecommendations, type NeighborEntry } from "@/lib/recs/fold-in";
import { itemNeighbors, similarItems } from "@/lib/recs/models";
import { plantedInteractions } from "./planted";

// Fold-in as serving runs it: from cached neighbour rows (movie → its top-K neighbours), the way
// the item_neighbors table stores them. Items are dataset indices here; serving uses movie ids.
const data = buildDataset(plantedInteractions({ users: 60, items: 40, perUser: 8, heldOut: 0 }).train);
const nb = itemNeighbors(data, 10);
const entries: NeighborEntry[] = [];
for (let i = 0; i < nb.nItems; i++) {
  for (let p = nb.ptr[i]; p < nb.ptr[i + 1]; p++) entries.push({ movieId: i, neighborId: nb.items[p], score: nb.scores[p] });
}
// serving reads only the rows whose neighbour is a history item
const rowsFor = (history: number[]) => entries.filter((e) => history.includes(e.neighborId));

describe("foldInRecommendations", () => {
  it("scores unseen items through the neighbour lists and names the strongest anchor", () => {
    const history = [0, 3, 7];
    const picks = foldInRecommendations(
      history.map((itemId) => ({ itemId, weight: 1 })),
      rowsFor(history),
      5,
      new Set([1]),
    );
    expect(picks.length).toBeGreaterThan(0);
    for (const pick of picks) {
      expect(history).not.toContain(pick.itemId);
      expect(pick.itemId).not.toBe(1);
      // score = Σ over history items among the candidate's neighbours; the anchor is the largest term
      const list = similarItems(nb, pick.itemId);
      let sum = 0;
      let best = -1;
      let bestScore = 0;
      list.items.forEach((h, p) => {
        if (!history.includes(h)) return;
        sum += list.scores[p];
        if (list.scores[p] > bestScore) [best, bestScore] = [h, list.scores[p]];
      });
      expect(pick.score).toBeCloseTo(sum, 5);
      expect(pick.anchorId).toBe(best);
    }
    const scores = picks.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("weights each history item's contribution", () => {
    const history = [0, 3];
    const base = foldInRecommendations(history.map((itemId) => ({ itemId, weight: 1 })), rowsFor(history), 40);
    const doubled = foldInRecommendations(history.map((itemId) => ({ itemId, weight: 2 })), rowsFor(history), 40);
    expect(base.length).toBeGreaterThan(0);
    expect(doubled.map((p) => p.itemId)).toEqual(base.map((p) => p.itemId));
    doubled.forEach((p, i) => expect(p.score).toBeCloseTo(2 * base[i].score, 5));
    // dropping item 3's weight to zero leaves only what item 0 reaches
    const only0 = foldInRecommendations([{ itemId: 0, weight: 1 }, { itemId: 3, weight: 0 }], rowsFor(history), 40);
    expect(only0.every((p) => p.anchorId === 0)).toBe(true);
  });

  it("returns nothing for an empty history", () => {
    expect(foldInRecommendations([], entries, 5)).toEqual([]);
  });
});

describe("foldInFromIndex", () => {
  it("picks what foldInRecommendations picks, from the in-memory reverse index", () => {
    const index = buildReverseNeighborIndex({
      movieId: entries.map((e) => e.movieId),
      neighborId: entries.map((e) => e.neighborId),
      score: entries.map((e) => e.score),
      length: entries.length,
    });
    for (const [history, exclude] of [
      [[0, 3, 7], new Set([1])],
      [[2, 5, 11, 17, 23, 31], new Set<number>()],
      [[39], new Set([4, 5])],
    ] as const) {
      const h = history.map((itemId, t) => ({ itemId, weight: t % 2 ? 0.5 : 1 }));
      const want = foldInRecommendations(h, rowsFor([...history]), 8, new Set(exclude));
      const got = foldInFromIndex(index, h, 8, new Set(exclude));
      expect(got.map((p) => [p.itemId, p.anchorId])).toEqual(want.map((p) => [p.itemId, p.anchorId]));
      got.forEach((p, r) => expect(p.score).toBeCloseTo(want[r].score, 5));
    }
  });
});
