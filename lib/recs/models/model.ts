// The contract every model implements, and the one recommend() that turns scores into top-k lists.
// Models only score; exclusion of seen items, top-k selection and tie-breaking live here so that
// every model behaves the same at the edges (unknown users, empty histories, k > catalog).
import type { z } from "zod";
import { itemCounts, userHistory, type Dataset, type History } from "@/lib/recs/dataset";
import { explainWithNeighbors, type ItemNeighbors } from "@/lib/recs/models/neighbors";
import { TopK } from "@/lib/recs/models/top-k";

export interface Recommendations {
  /** Item indices into dataset.itemIds, best first. */
  items: Int32Array;
  scores: Float32Array;
}

export interface TrainOptions {
  /** Seed for any randomness (models here are deterministic; accepted for a uniform interface). */
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Worker threads a model may use (item-knn's neighbour search); results do not depend on it. */
  threads?: number;
}

export interface TrainedModel<P = unknown> {
  readonly name: string;
  readonly params: P;
  readonly dataset: Dataset;
  /**
   * Write a score for every item into `out` (length nItems) given a history. Items the model cannot
   * score get -Infinity and are never recommended. `user` is the history owner's index when the
   * history is a training user's (user-based models skip that user as their own neighbour).
   */
  score(history: History, out: Float64Array, user?: number): void;
  /** Optional native explanation: the history item contributing most to `item`'s score, or -1. */
  anchor?(history: History, item: number): number;
}

export interface ModelSpec<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  /** Zod schema with defaults for every parameter: `paramsSchema.parse({})` gives the defaults. */
  readonly paramsSchema: S;
  train(dataset: Dataset, params: z.infer<S>, options?: TrainOptions): TrainedModel<z.infer<S>>;
}

const scratch = new WeakMap<Dataset, { scores: Float64Array; mask: Uint8Array; popularity: Float64Array }>();

function scratchFor(dataset: Dataset) {
  let s = scratch.get(dataset);
  if (!s) {
    const counts = itemCounts(dataset);
    s = { scores: new Float64Array(dataset.nItems), mask: new Uint8Array(dataset.nItems), popularity: Float64Array.from(counts) };
    scratch.set(dataset, s);
  }
  return s;
}

/**
 * Top-k items for a training user, their own items excluded (plus `exclude`, item indices).
 * An unknown user index is treated as an empty history. Ties, including the all-zero scores of an
 * empty history, are broken by popularity, so every model degrades to "most popular" rather than
 * to an arbitrary order. Returns fewer than k items when the catalog runs out.
 */
export function recommend(model: TrainedModel, user: number, k: number, exclude?: Iterable<number>): Recommendations {
  const known = Number.isInteger(user) && user >= 0 && user < model.dataset.nUsers;
  return rank(model, userHistory(model.dataset, user), k, exclude, known ? user : undefined);
}

/** Top-k for any history (fold-in: a user who was not in the training data, or new ratings since). */
export function recommendForHistory(model: TrainedModel, history: History, k: number, exclude?: Iterable<number>): Recommendations {
  return rank(model, history, k, exclude, undefined);
}

function rank(model: TrainedModel, history: History, k: number, exclude: Iterable<number> | undefined, user: number | undefined): Recommendations {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const { nItems } = model.dataset;
  const { scores, mask, popularity } = scratchFor(model.dataset);
  const excluded: number[] = [];
  const markExcluded = (i: number) => {
    if (Number.isInteger(i) && i >= 0 && i < nItems && !mask[i]) {
      mask[i] = 1;
      excluded.push(i);
    }
  };
  try {
    history.items.forEach(markExcluded);
    if (exclude) for (const i of exclude) markExcluded(i);
    scores.fill(0);
    if (nItems > 0) model.score(history, scores, user);
    const top = new TopK(Math.min(k, nItems));
    for (let i = 0; i < nItems; i++) {
      if (mask[i]) continue;
      const s = scores[i];
      if (s === -Infinity || Number.isNaN(s)) continue;
      top.push(i, s, popularity[i]);
    }
    return top.drain();
  } finally {
    for (const i of excluded) mask[i] = 0;
  }
}

/**
 * "Because you watched X": for each recommended item, the history item behind it. Uses the model's
 * own notion when it has one (item-knn: the strongest neighbour term; EASE: the largest weight),
 * otherwise the most similar history item in `neighbors` (item-knn cosine lists). -1 when unknown.
 */
export function explainRecommendations(model: TrainedModel, history: History, items: ArrayLike<number>, neighbors?: ItemNeighbors): Int32Array {
  const anchors = new Int32Array(items.length).fill(-1);
  const missing: number[] = [];
  for (let r = 0; r < items.length; r++) {
    anchors[r] = model.anchor ? model.anchor(history, items[r]) : -1;
    if (anchors[r] < 0) missing.push(r);
  }
  // The neighbour-list fallback only for the items without a native anchor (at 140k users the
  // lists of popular items are long).
  if (neighbors && missing.length > 0) {
    const fallback = explainWithNeighbors(neighbors, history.items, missing.map((r) => items[r])).anchors;
    missing.forEach((r, t) => (anchors[r] = fallback[t]));
  }
  return anchors;
}
