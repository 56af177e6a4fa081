// Fold a user's history into recommendations without retraining, the way item-knn scores:
// score(i) = Σ w_h · sim(i, h) over the history items h that are among candidate i's own top-K
// neighbours, and the h with the largest contribution is the anchor that explains the pick.
// Pure: no db, env or Next imports.

/** One cached neighbour entry: `neighborId` is in the top-K list of `movieId` with `score`. */
export type NeighborEntry = { movieId: number; neighborId: number; score: number };
export type FoldInPick = { itemId: number; score: number; anchorId: number };

export function foldInRecommendations(
  history: { itemId: number; weight: number }[],
  entries: Iterable<NeighborEntry>, // entries whose neighborId is a history item
  k: number,
  exclude: Set<number> = new Set(),
): FoldInPick[] {
  const weight = new Map(history.map((h) => [h.itemId, h.weight]));
  const score = new Map<number, number>();
  const best = new Map<number, { anchorId: number; contribution: number }>();
  for (const e of entries) {
    const w = weight.get(e.neighborId);
    if (w === undefined || weight.has(e.movieId) || exclude.has(e.movieId)) continue;
    const c = w * e.score;
    if (!(c > 0)) continue;
    score.set(e.movieId, (score.get(e.movieId) ?? 0) + c);
    const b = best.get(e.movieId);
    if (!b || c > b.contribution || (c === b.contribution && e.neighborId < b.anchorId)) {
      best.set(e.movieId, { anchorId: e.neighborId, contribution: c });
    }
  }
  return [...score.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([itemId, s]) => ({ itemId, score: s, anchorId: best.get(itemId)!.anchorId }));
}
