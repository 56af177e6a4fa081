// Popularity baseline: every user gets the items with the most (weighted) interactions.
import { z } from "zod";
import type { Dataset } from "@/lib/recs/dataset";
import type { ModelSpec, TrainedModel } from "@/lib/recs/models/model";

export const popularityParamsSchema = z.object({}).strict();
export type PopularityParams = z.infer<typeof popularityParamsSchema>;

export function trainPopularity(dataset: Dataset, params: PopularityParams = {}): TrainedModel<PopularityParams> {
  const popularity = new Float64Array(dataset.nItems);
  for (let i = 0; i < dataset.nItems; i++) {
    let s = 0;
    for (let p = dataset.itemPtr[i]; p < dataset.itemPtr[i + 1]; p++) s += dataset.itemWeights[p];
    popularity[i] = s;
  }
  return {
    name: "popularity",
    params,
    dataset,
    score(_history, out) {
      out.set(popularity);
    },
  };
}

export const popularityModel: ModelSpec<typeof popularityParamsSchema> = {
  name: "popularity",
  description: "Most interacted-with items (baseline)",
  paramsSchema: popularityParamsSchema,
  train: (dataset, params) => trainPopularity(dataset, params),
};
