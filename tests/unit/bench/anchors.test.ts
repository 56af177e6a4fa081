import { describe, expect, it } from "vitest";
import { anchorDiversity, countAnchors, sampleOnboardingHistories } from "@/lib/bench/anchors";

// bench:anchors' histories and measures (docs/evaluation.md, "Fold-in: one like explaining the list").
const genres = ["Action", "Comedy", "Drama", "Horror"];
const pool = [
  { id: 1, genres: ["Action"] },
  { id: 2, genres: ["Action", "Comedy"] },
  { id: 3, genres: ["Comedy"] },
  { id: 4, genres: ["Drama"] },
  { id: 5, genres: ["Drama", "Horror"] },
  { id: 6, genres: ["Horror"] },
  { id: 7, genres: ["Western"] },
];

describe("sampleOnboardingHistories", () => {
  it("draws each like from a genre not used yet, without repeats, the same for the same seed", () => {
    const histories = sampleOnboardingHistories(pool, genres, { users: 50, likes: 3, seed: 9 });
    expect(histories).toEqual(sampleOnboardingHistories(pool, genres, { users: 50, likes: 3, seed: 9 }));
    expect(histories).not.toEqual(sampleOnboardingHistories(pool, genres, { users: 50, likes: 3, seed: 10 }));
    for (const h of histories) {
      expect(h).toHaveLength(3);
      expect(new Set(h).size).toBe(3);
      expect(h).not.toContain(7); // no film outside the grid's genres
    }
    // over many users every film of the grid's genres is drawn
    expect(new Set(histories.flat())).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it("stops short only when the genres run out", () => {
    const [h] = sampleOnboardingHistories(pool, genres, { users: 1, likes: 10, seed: 1 });
    expect(h).toHaveLength(genres.length);
  });
});

describe("anchorDiversity", () => {
  it("averages the top anchor's share, the likes that explain a pick and the dominated lists over non-empty lists", () => {
    const list = (...anchors: number[]) => anchors.map((anchorId) => ({ anchorId }));
    expect(countAnchors(list(5, 3, 5, 3, 9))).toEqual([
      { anchorId: 3, picks: 2 },
      { anchorId: 5, picks: 2 },
      { anchorId: 9, picks: 1 },
    ]);
    const d = anchorDiversity([list(1, 1, 1, 2), list(1, 2, 3, 4), list()]);
    expect(d.lists).toBe(2);
    expect(d.picks).toBe(4);
    expect(d.topAnchorShare).toBeCloseTo((3 / 4 + 1 / 4) / 2, 12);
    expect(d.likesAsAnchors).toBe(3);
    expect(d.dominated).toBe(0.5);
    expect(anchorDiversity([])).toEqual({ lists: 0, picks: 0, topAnchorShare: 0, likesAsAnchors: 0, dominated: 0 });
  });
});
