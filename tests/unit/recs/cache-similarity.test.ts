import { describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/recs/dataset";
import { buildReverseNeighborIndex, foldInFromIndex } from "@/lib/recs/fold-in";
import { itemNeighbors, type ItemNeighbors } from "@/lib/recs/models";
import { DEFAULT_SIMILARITY } from "@/lib/recs/models/neighbors";
import { CACHE_SIMILARITY, cacheSimilarity } from "@/lib/recs/train";

// The neighbour cache is cosine with shrink 2 (QA: a new user who liked six films got 18 of 24
// picks "Because you liked Amélie", a film 6 of 1,000 users had seen; docs/evaluation.md).

// Five liked films each seen by 40 users, who also saw 4 of their film's 10 companions (each
// companion seen by 16 of them); a sixth liked film seen by 2 users, who saw its 10 companions and
// nothing else. Movie ids: likes 1..6, companions 100·k + j.
const rows: [number, number][] = [];
for (let k = 1; k <= 5; k++) {
  for (let u = 0; u < 40; u++) {
    rows.push([1000 * k + u, k]);
    for (let t = 0; t < 4; t++) rows.push([1000 * k + u, 100 * k + ((u + t) % 10)]);
  }
}
for (const user of [6000, 6001]) {
  rows.push([user, 6]);
  for (let j = 0; j < 10; j++) rows.push([user, 600 + j]);
}
const data = buildDataset(rows);
const likes = [1, 2, 3, 4, 5, 6].map((itemId) => ({ itemId, weight: 1 }));

/** Fold the six likes in through lists as serving reads them (movie ids), and the anchor of each pick. */
function foldInLikes(nb: ItemNeighbors, k: number) {
  const movieId: number[] = [];
  const neighborId: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < nb.nItems; i++) {
    for (let p = nb.ptr[i]; p < nb.ptr[i + 1]; p++) {
      movieId.push(data.itemIds[i]);
      neighborId.push(data.itemIds[nb.items[p]]);
      score.push(nb.scores[p]);
    }
  }
  return foldInFromIndex(buildReverseNeighborIndex({ movieId, neighborId, score, length: movieId.length }), likes, k);
}

describe("the neighbour cache's similarity", () => {
  it("keeps a like seen by two users from explaining most of a new user's picks, without losing its films", () => {
    const rare = (picks: { anchorId: number }[]) => picks.filter((p) => p.anchorId === 6).length;
    const plain = foldInLikes(itemNeighbors(data, 12, DEFAULT_SIMILARITY), 12);
    expect(rare(plain)).toBeGreaterThan(6); // plain cosine: its companions have similarity 1

    const cached = foldInLikes(itemNeighbors(data, 12, CACHE_SIMILARITY), 12);
    expect(rare(cached)).toBeLessThanOrEqual(3);
    expect(new Set(cached.map((p) => p.anchorId)).size).toBeGreaterThan(1);
    // its companions are still picks, further down the list
    const longer = foldInLikes(itemNeighbors(data, 12, CACHE_SIMILARITY), 60);
    expect(longer.filter((p) => p.anchorId === 6).map((p) => p.itemId).sort((a, b) => a - b)).toEqual([600, 601, 602, 603, 604, 605, 606, 607, 608, 609]);
  });

  it("is CACHE_SIMILARITY unless the model is item-knn with the cache's K and cosine, whose own lists (any shrink) are the cache", () => {
    const knn = (p: Record<string, unknown>) => ({ neighbors: 50, shrink: 0, alpha: 0.5, exponent: 1, normalize: "none", ...p });
    expect(CACHE_SIMILARITY).toEqual({ ...DEFAULT_SIMILARITY, shrink: 2 });
    expect(cacheSimilarity("ease", {}, 50)).toEqual(CACHE_SIMILARITY);
    expect(cacheSimilarity("item-knn", knn({}), 50)).toEqual({ shrink: 0, alpha: 0.5, exponent: 1 });
    expect(cacheSimilarity("item-knn", knn({ shrink: 5, normalize: "history" }), 50)).toEqual({ shrink: 5, alpha: 0.5, exponent: 1 });
    expect(cacheSimilarity("item-knn", knn({ neighbors: 20 }), 50)).toEqual(CACHE_SIMILARITY);
    expect(cacheSimilarity("item-knn", knn({ alpha: 0.3 }), 50)).toEqual(CACHE_SIMILARITY);
    expect(cacheSimilarity("item-knn", knn({ exponent: 2 }), 50)).toEqual(CACHE_SIMILARITY);
  });
});
