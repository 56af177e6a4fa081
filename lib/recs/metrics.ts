// Top-k ranking metrics as Microsoft Recommenders defines them, matching
// /work/shared/reference/metrics.py: binary relevance (every held-out rating is relevant), averaged
// over the users who have both held-out items and at least one recommendation.

export interface RankingMetrics {
  k: number;
  /** Users counted: present in the test set and with a non-empty recommendation list. */
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
}

/**
 * precision@k = hits / k; recall@k = hits / |relevant|; nDCG@k with binary gains and a 1/log(rank+1)
 * discount, ideal DCG over min(|relevant|, k) positions; MAP = (Σ precision at each hit in the top k)
 * / |relevant| (Recommenders' map(), which divides by all relevant items, not min(k, |relevant|)).
 */
export function rankingMetrics<U, I>(
  test: ReadonlyMap<U, ReadonlySet<I>>,
  recs: ReadonlyMap<U, ArrayLike<I>>,
  k: number,
): RankingMetrics {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  for (const [user, relevant] of test) {
    const list = recs.get(user);
    if (!list || list.length === 0 || relevant.size === 0) continue;
    users++;
    const top = Math.min(k, list.length);
    let hits = 0;
    let dcg = 0;
    let ap = 0;
    for (let r = 0; r < top; r++) {
      if (relevant.has(list[r])) {
        hits++;
        dcg += 1 / Math.log(r + 2);
        ap += hits / (r + 1);
      }
    }
    let idcg = 0;
    for (let r = 0; r < Math.min(relevant.size, k); r++) idcg += 1 / Math.log(r + 2);
    precision += hits / k;
    recall += hits / relevant.size;
    ndcg += dcg / idcg;
    map += ap / relevant.size;
  }
  const d = users || 1;
  return { k, users, precision: precision / d, recall: recall / d, ndcg: ndcg / d, map: map / d };
}

/** Share of the catalog (`nItems`) that appears in at least one top-k list. */
export function catalogCoverage(lists: Iterable<ArrayLike<number>>, nItems: number): number {
  if (nItems === 0) return 0;
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of lists) {
    for (let r = 0; r < list.length; r++) {
      const item = list[r];
      if (!seen[item]) {
        seen[item] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}

/**
 * Novelty as the mean popularity rank of recommended items (1 = the most popular training item);
 * higher means the lists reach further into the long tail. `ranks[item]` comes from popularityRanks().
 */
export function meanPopularityRank(lists: Iterable<ArrayLike<number>>, ranks: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (const list of lists) {
    for (let r = 0; r < list.length; r++) {
      sum += ranks[list[r]];
      count++;
    }
  }
  return count ? sum / count : 0;
}
