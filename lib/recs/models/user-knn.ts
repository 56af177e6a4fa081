// User-user cosine k-nearest-neighbours: items are scored by the similarity-weighted histories of
// the users most similar to this one. Similarities are computed at query time from the sparse
// matrix (the history's items → their users), so any history can be folded in.
import { z } from "zod";
import type { Dataset, History } from "@/lib/recs/dataset";
import type { ModelSpec, TrainedModel } from "@/lib/recs/models/model";
import { TopK } from "@/lib/recs/models/top-k";

export const userKnnParamsSchema = z
  .object({
    /** Neighbour users per query; 0 = every user with a shared item (the reference's full cosine). */
    neighbors: z.coerce.number().int().min(0).default(0),
    shrink: z.coerce.number().min(0).default(0),
    exponent: z.coerce.number().positive().default(1),
  })
  .strict();
export type UserKnnParams = z.infer<typeof userKnnParamsSchema>;

export function trainUserKnn(dataset: Dataset, params: UserKnnParams): TrainedModel<UserKnnParams> {
  const { nUsers, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights } = dataset;
  const norms = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    let s = 0;
    for (let p = userPtr[u]; p < userPtr[u + 1]; p++) s += userWeights[p] * userWeights[p];
    norms[u] = Math.sqrt(s);
  }
  const acc = new Float64Array(nUsers);
  const touched = new Int32Array(nUsers);
  const flag = new Uint8Array(nUsers);
  const heap = new TopK(params.neighbors === 0 ? nUsers : Math.min(params.neighbors, nUsers));

  return {
    name: "user-knn",
    params,
    dataset,
    score(history: History, out: Float64Array, self?: number) {
      let nTouched = 0;
      let q = 0;
      for (let t = 0; t < history.items.length; t++) {
        const h = history.items[t];
        if (h < 0 || h >= dataset.nItems) continue;
        const w = history.weights ? history.weights[t] : 1;
        q += w * w;
        for (let p = itemPtr[h]; p < itemPtr[h + 1]; p++) {
          const v = itemUsers[p];
          if (!flag[v]) {
            flag[v] = 1;
            touched[nTouched++] = v;
          }
          acc[v] += w * itemWeights[p];
        }
      }
      const qn = Math.sqrt(q);
      heap.clear();
      for (let t = 0; t < nTouched; t++) {
        const v = touched[t];
        const dot = acc[v];
        acc[v] = 0;
        flag[v] = 0;
        if (v === self || dot <= 0) continue;
        let sim = dot / (qn * norms[v] + params.shrink);
        if (params.exponent !== 1) sim = Math.pow(sim, params.exponent);
        if (sim >= heap.threshold) heap.push(v, sim);
      }
      const { items: users, scores: sims } = heap.drain();
      for (let r = 0; r < users.length; r++) {
        const v = users[r];
        const s = sims[r];
        for (let p = userPtr[v]; p < userPtr[v + 1]; p++) out[userItems[p]] += s * userWeights[p];
      }
    },
  };
}

export const userKnnModel: ModelSpec<typeof userKnnParamsSchema> = {
  name: "user-knn",
  description: "User-user cosine k-nearest neighbours",
  paramsSchema: userKnnParamsSchema,
  train: (dataset, params) => trainUserKnn(dataset, params),
};
