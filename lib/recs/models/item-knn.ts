// Item-item cosine k-nearest-neighbours: an item is scored by the similarities of the user's items
// that are among its K nearest neighbours.
import { z } from "zod";
import type { Dataset, History } from "@/lib/recs/dataset";
import type { ModelSpec, TrainOptions, TrainedModel } from "@/lib/recs/models/model";
import {
  itemNeighbors,
  NEIGHBOR_NORMALIZATIONS,
  normalizationFactors,
  reverseNeighbors,
  scoreFromNeighbors,
  type ItemNeighbors,
} from "@/lib/recs/models/neighbors";

export const itemKnnParamsSchema = z
  .object({
    /** Neighbours kept per item; 0 = all co-occurring items (the reference's full cosine). */
    neighbors: z.coerce.number().int().min(0).default(0),
    shrink: z.coerce.number().min(0).default(0),
    /** 0.5 = cosine; asymmetric cosine otherwise. */
    alpha: z.coerce.number().min(0).max(1).default(0.5),
    exponent: z.coerce.number().positive().default(1),
    /** How each history item's term is scaled before summing (neighbors.ts NEIGHBOR_NORMALIZATIONS); none = the reference. */
    normalize: z.enum(NEIGHBOR_NORMALIZATIONS).default("none"),
  })
  .strict();
export type ItemKnnParams = z.infer<typeof itemKnnParamsSchema>;

export interface ItemKnnModel extends TrainedModel<ItemKnnParams> {
  readonly neighbors: ItemNeighbors;
}

export function trainItemKnn(dataset: Dataset, params: ItemKnnParams, options: TrainOptions = {}): ItemKnnModel {
  const neighbors = itemNeighbors(dataset, params.neighbors, {
    shrink: params.shrink,
    alpha: params.alpha,
    exponent: params.exponent,
    threads: options.threads,
    onProgress: options.onProgress && ((done, total) => options.onProgress!("item similarities", done, total)),
  });
  return itemKnnFromNeighbors(dataset, params, neighbors);
}

/**
 * The model over neighbour lists computed elsewhere: sharded training assembles them from every
 * shard's rows of the neighbour cache, which hold exactly what itemNeighbors computes.
 */
export function itemKnnFromNeighbors(dataset: Dataset, params: ItemKnnParams, neighbors: ItemNeighbors): ItemKnnModel {
  reverseNeighbors(neighbors);
  const { byHistory } = normalizationFactors(neighbors, params.normalize);
  // anchor() is called for each recommended item of one history in turn: load that history's
  // weights into a dense array once (NaN = not in the history) instead of once per item.
  const dense = new Float64Array(dataset.nItems).fill(NaN);
  let loaded: History | null = null;
  const weightsOf = (history: History): Float64Array => {
    if (loaded !== history) {
      if (loaded) for (const h of loaded.items) if (h >= 0 && h < dense.length) dense[h] = NaN;
      history.items.forEach((h, t) => {
        if (h >= 0 && h < dense.length) dense[h] = history.weights ? history.weights[t] : 1;
      });
      loaded = history;
    }
    return dense;
  };
  return {
    name: "item-knn",
    params,
    dataset,
    neighbors,
    score(history: History, out: Float64Array) {
      scoreFromNeighbors(neighbors, history.items, history.weights, out, undefined, params.normalize);
    },
    anchor(history: History, item: number) {
      return bestNeighborInHistory(neighbors, weightsOf(history), item, byHistory);
    },
  };
}

/**
 * argmax over history items h in N(item) of w_h · sim(item, h) (times byHistory[h] when the
 * normalisation scales by history item; a candidate's own factor does not change its argmax);
 * -1 if none. `weight[h]` is NaN outside the history.
 */
function bestNeighborInHistory(nb: ItemNeighbors, weight: Float64Array, item: number, byHistory: Float64Array | null): number {
  if (item < 0 || item >= nb.nItems) return -1;
  let best = -1;
  let bestScore = 0;
  for (let p = nb.ptr[item]; p < nb.ptr[item + 1]; p++) {
    const h = nb.items[p];
    const w = weight[h];
    const c = byHistory ? w * byHistory[h] * nb.scores[p] : w * nb.scores[p];
    if (!Number.isNaN(w) && c > bestScore) {
      bestScore = c;
      best = h;
    }
  }
  return best;
}

export const itemKnnModel: ModelSpec<typeof itemKnnParamsSchema> = {
  name: "item-knn",
  description: "Item-item cosine k-nearest neighbours",
  paramsSchema: itemKnnParamsSchema,
  train: trainItemKnn,
};
