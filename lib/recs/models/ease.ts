// EASE (Steck 2019): a closed-form item-item linear model. B = I - P·diag(1/diag P) with
// P = (G + λI)⁻¹ and diag(B) = 0; a user's scores are the sum of B's rows over their items.
// Two changes to the plain model, both measured in docs/evaluation.md (nDCG@10 +1.2% on average
// over six MovieLens variants, better on each): G = Xᵀ·diag(|u|^-userExponent)·X, so a user with a
// long history weighs less per co-occurrence (λ is scaled by trace(G)/trace(XᵀX) so that it keeps its
// meaning), and item b's column of B is multiplied by count(b)^popularityExponent, a slight
// discount of the most interacted items. Both at 0 give Steck's model exactly.
// Dense n×n algebra, so it runs on the items with at least `minItemCount` training interactions and
// refuses more than `maxItems` of them (memory 8·n² bytes while fitting, 4·n² after; time ~n³).
import { z } from "zod";
import { itemCounts, type Dataset, type History } from "@/lib/recs/dataset";
import { invertSpd } from "@/lib/recs/models/linalg";
import type { ModelSpec, TrainOptions, TrainedModel } from "@/lib/recs/models/model";

export const easeParamsSchema = z
  .object({
    /** L2 regularisation, in units of XᵀX (scaled to the user-weighted Gram matrix). */
    lambda: z.coerce.number().positive().default(300),
    /** Each user's co-occurrences count |u|^-userExponent (|u|: their items in the model). */
    userExponent: z.coerce.number().min(0).max(2).default(0.5),
    /** Item b's weights are multiplied by count(b)^popularityExponent (negative: discount the popular). */
    popularityExponent: z.coerce.number().min(-2).max(2).default(-0.1),
    /** Items with fewer training interactions are left out of the model (never recommended). */
    minItemCount: z.coerce.number().int().min(1).default(3),
    /** Refuse to fit more items than this: ~8·n² bytes of memory, ~n³/2 multiply-adds. */
    maxItems: z.coerce.number().int().min(1).max(30_000).default(8_000),
  })
  .strict();
export type EaseParams = z.infer<typeof easeParamsSchema>;

export class EaseTooManyItemsError extends Error {
  constructor(kept: number, params: EaseParams) {
    super(
      `EASE would fit ${kept} items (those with ≥ ${params.minItemCount} interactions), more than maxItems = ${params.maxItems}; ` +
        `raise minItemCount to keep fewer items, or raise maxItems (memory ≈ ${((8 * kept * kept) / 2 ** 30).toFixed(1)} GiB, time grows with items³)`,
    );
    this.name = "EaseTooManyItemsError";
  }
}

export interface EaseModel extends TrainedModel<EaseParams> {
  /** Dataset item index for each model column; -1 in `position` for items left out. */
  readonly kept: Int32Array;
  readonly position: Int32Array;
  /** n×n weights, row-major: B[a·n + b] is item kept[a]'s contribution to item kept[b]. */
  readonly weights: Float32Array;
}

export function trainEase(dataset: Dataset, params: EaseParams, options: TrainOptions = {}): EaseModel {
  const counts = itemCounts(dataset);
  const keptList: number[] = [];
  for (let i = 0; i < dataset.nItems; i++) if (counts[i] >= params.minItemCount) keptList.push(i);
  if (keptList.length > params.maxItems) throw new EaseTooManyItemsError(keptList.length, params);
  const kept = Int32Array.from(keptList);
  const n = kept.length;
  const position = new Int32Array(dataset.nItems).fill(-1);
  kept.forEach((item, a) => (position[item] = a));

  // Gram matrix Xᵀ·diag(|u|^-userExponent)·X over the kept items, one user's outer product at a
  // time (upper triangle), and the traces of it and of the unweighted XᵀX for scaling λ.
  const g = new Float64Array(n * n);
  const cols = new Int32Array(dataset.nItems);
  const vals = new Float64Array(dataset.nItems);
  let plainTrace = 0;
  let weightedTrace = 0;
  for (let u = 0; u < dataset.nUsers; u++) {
    let m = 0;
    for (let p = dataset.userPtr[u]; p < dataset.userPtr[u + 1]; p++) {
      const a = position[dataset.userItems[p]];
      if (a >= 0) {
        cols[m] = a;
        vals[m++] = dataset.userWeights[p];
      }
    }
    if (m === 0) continue;
    const userWeight = params.userExponent === 0 ? 1 : m ** -params.userExponent;
    for (let x = 0; x < m; x++) {
      const row = cols[x] * n;
      const v = vals[x] * userWeight;
      plainTrace += vals[x] * vals[x];
      weightedTrace += v * vals[x];
      for (let y = x; y < m; y++) g[row + cols[y]] += v * vals[y];
    }
  }
  const lambda = plainTrace > 0 ? (params.lambda * weightedTrace) / plainTrace : params.lambda;
  // Items within a user are ascending, so only g[a][b] with a ≤ b was filled: mirror it.
  for (let a = 0; a < n; a++) {
    g[a * n + a] += lambda;
    for (let b = a + 1; b < n; b++) g[b * n + a] = g[a * n + b];
  }

  invertSpd(g, n, options.onProgress && ((f) => options.onProgress!("EASE inverse", Math.round(f * 1000), 1000)));

  // Column b divided by P's diagonal entry and scaled by the item's popularity factor.
  const column = new Float64Array(n);
  for (let b = 0; b < n; b++) column[b] = counts[kept[b]] ** params.popularityExponent / g[b * n + b];
  const weights = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) weights[a * n + b] = a === b ? 0 : -g[a * n + b] * column[b];
  }

  return {
    name: "ease",
    params,
    dataset,
    kept,
    position,
    weights,
    score(history: History, out: Float64Array) {
      for (let t = 0; t < history.items.length; t++) {
        const h = history.items[t];
        const a = h >= 0 && h < position.length ? position[h] : -1;
        if (a < 0) continue;
        const w = history.weights ? history.weights[t] : 1;
        const row = a * n;
        for (let b = 0; b < n; b++) out[kept[b]] += w * weights[row + b];
      }
      for (let i = 0; i < position.length; i++) if (position[i] < 0) out[i] = -Infinity;
    },
    anchor(history: History, item: number) {
      const b = item >= 0 && item < position.length ? position[item] : -1;
      if (b < 0) return -1;
      let best = -1;
      let bestScore = 0;
      for (let t = 0; t < history.items.length; t++) {
        const a = position[history.items[t]] ?? -1;
        if (a < 0) continue;
        const c = (history.weights ? history.weights[t] : 1) * weights[a * n + b];
        if (c > bestScore) {
          bestScore = c;
          best = history.items[t];
        }
      }
      return best;
    },
  };
}

export const easeModel: ModelSpec<typeof easeParamsSchema> = {
  name: "ease",
  description: "EASE closed-form linear item model (dense; items with ≥ minItemCount interactions)",
  paramsSchema: easeParamsSchema,
  train: trainEase,
};
