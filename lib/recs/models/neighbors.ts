// Item-item cosine neighbours (top-K per item) and scoring/explaining from a history through them.
// Used by the item-knn model, the "similar movies" cache and explanations ("because you rated X").
import type { Dataset } from "@/lib/recs/dataset";
import type { Recommendations } from "@/lib/recs/models/model";

/** Per item, its most similar items, best first: items[ptr[i] .. ptr[i+1]). */
export interface ItemNeighbors {
  nItems: number;
  ptr: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

export interface SimilarityOptions {
  /** sim = dot / (‖i‖‖j‖ + shrink): damps similarities supported by few co-raters. */
  shrink: number;
  /** Asymmetric cosine: dot / (‖i‖^(2α) ‖j‖^(2(1-α))); 0.5 is plain cosine. */
  alpha: number;
  /** Similarities are raised to this power (> 1 sharpens towards the closest neighbours). */
  exponent: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_SIMILARITY: Omit<SimilarityOptions, "onProgress"> = { shrink: 0, alpha: 0.5, exponent: 1 };

/** Above this many stored neighbour entries we refuse instead of exhausting memory (8 bytes each). */
export const MAX_NEIGHBOR_ENTRIES = 400_000_000;

/**
 * Top-K item-item cosine neighbours on the (weighted) user-item matrix.
 *
 * With a bounded K, each co-occurring pair is computed once: for item i, the rows of i's users are
 * scanned only past i (each CSC entry knows its position in the user's sorted CSR row), the dot
 * products accumulate in a reused dense Float64Array, and sim(i→j) / sim(j→i) go into two of the
 * per-item fixed-size heaps (nItems × K entries in total). Time: Σ_users deg(u)²/2 multiply-adds;
 * memory: O(nnz + nItems · K). With K = 0 (keep every co-occurring item: exact, but memory grows
 * towards nItems²) each item's full row is built instead.
 */
export function itemNeighbors(dataset: Dataset, neighbors: number, options: Partial<SimilarityOptions> = {}): ItemNeighbors {
  const { shrink, alpha, exponent } = { ...DEFAULT_SIMILARITY, ...options };
  const { nItems, itemPtr, itemWeights } = dataset;
  if (!Number.isInteger(neighbors) || neighbors < 0) throw new RangeError(`neighbors must be a non-negative integer, got ${neighbors}`);

  const left = new Float64Array(nItems);
  const right = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let p = itemPtr[i]; p < itemPtr[i + 1]; p++) s += itemWeights[p] * itemWeights[p];
    left[i] = Math.pow(s, alpha);
    right[i] = Math.pow(s, 1 - alpha);
  }
  const sim = (dot: number, a: number, b: number) => {
    const x = dot / (left[a] * right[b] + shrink);
    return exponent === 1 ? x : Math.pow(x, exponent);
  };
  const K = Math.min(neighbors, Math.max(0, nItems - 1));
  return neighbors === 0 ? allNeighbors(dataset, sim, options.onProgress) : topNeighbors(dataset, K, sim, options.onProgress);
}

type Similarity = (dot: number, from: number, to: number) => number;

/** 2^21: item indices below this pack next to a 32-bit score in a 53-bit integer key. */
const INDEX_RANGE = 2 ** 21;

function topNeighbors(dataset: Dataset, K: number, sim: Similarity, onProgress?: (done: number, total: number) => void): ItemNeighbors {
  const { nItems, nUsers, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights, nnz } = dataset;
  if (nItems * K > MAX_NEIGHBOR_ENTRIES) throw new RangeError(`${nItems} items × ${K} neighbours is too many entries to keep in memory; lower the neighbour count`);

  // Position of each CSC entry (item i, user u) inside u's CSR row.
  const rowPos = new Int32Array(nnz);
  const fill = itemPtr.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) for (let q = userPtr[u]; q < userPtr[u + 1]; q++) rowPos[fill[userItems[q]]++] = q;

  const heaps = new FixedHeaps(nItems, K);
  const acc = new Float64Array(nItems);
  const flag = new Uint8Array(nItems);
  const touched = new Int32Array(nItems);
  const step = Math.max(1, Math.floor(nItems / 100));
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    for (let e = itemPtr[i]; e < itemPtr[i + 1]; e++) {
      const u = itemUsers[e];
      const wu = itemWeights[e];
      const end = userPtr[u + 1];
      for (let q = rowPos[e] + 1; q < end; q++) {
        const j = userItems[q];
        if (flag[j] === 0) {
          flag[j] = 1;
          touched[nTouched++] = j;
        }
        acc[j] += wu * userWeights[q];
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const dot = acc[j];
      acc[j] = 0;
      flag[j] = 0;
      if (dot <= 0) continue;
      heaps.push(i, j, sim(dot, i, j));
      heaps.push(j, i, sim(dot, j, i));
    }
    if (onProgress && (i + 1) % step === 0) onProgress(i + 1, nItems);
  }
  onProgress?.(nItems, nItems);
  return heaps.toNeighbors();
}

function allNeighbors(dataset: Dataset, sim: Similarity, onProgress?: (done: number, total: number) => void): ItemNeighbors {
  const { nItems, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights } = dataset;
  const ptr = new Int32Array(nItems + 1);
  let items = new Int32Array(1 << 16);
  let scores = new Float32Array(1 << 16);
  let size = 0;
  const acc = new Float64Array(nItems);
  const flag = new Uint8Array(nItems);
  const touched = new Int32Array(nItems);
  if (nItems > INDEX_RANGE) throw new RangeError(`keeping all neighbours supports up to ${INDEX_RANGE} items; set a neighbour count`);
  const keys = new Float64Array(nItems);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const step = Math.max(1, Math.floor(nItems / 100));
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    for (let e = itemPtr[i]; e < itemPtr[i + 1]; e++) {
      const u = itemUsers[e];
      const wu = itemWeights[e];
      for (let q = userPtr[u]; q < userPtr[u + 1]; q++) {
        const j = userItems[q];
        if (flag[j] === 0) {
          flag[j] = 1;
          touched[nTouched++] = j;
        }
        acc[j] += wu * userWeights[q];
      }
    }
    // Sort the row by (float32 score desc, index asc) with one native numeric sort: the float32 bit
    // pattern of a positive score is monotonic, so (~bits, index) packs into an exact 53-bit key.
    let m = 0;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const dot = acc[j];
      acc[j] = 0;
      flag[j] = 0;
      if (j === i || dot <= 0) continue;
      f32[0] = sim(dot, i, j);
      if (!(f32[0] > 0)) continue;
      keys[m++] = (0xffffffff - u32[0]) * INDEX_RANGE + j;
    }
    const row = keys.subarray(0, m).sort();
    if (size + m > items.length) {
      const cap = Math.max(size + m, items.length * 2);
      if (cap > MAX_NEIGHBOR_ENTRIES) throw new RangeError(`more than ${MAX_NEIGHBOR_ENTRIES} neighbour entries; set a neighbour count (e.g. 50)`);
      const grownItems = new Int32Array(cap);
      grownItems.set(items.subarray(0, size));
      const grownScores = new Float32Array(cap);
      grownScores.set(scores.subarray(0, size));
      items = grownItems;
      scores = grownScores;
    }
    for (let r = 0; r < m; r++) {
      const key = row[r];
      const j = key % INDEX_RANGE;
      u32[0] = 0xffffffff - (key - j) / INDEX_RANGE;
      items[size] = j;
      scores[size++] = f32[0];
    }
    ptr[i + 1] = size;
    if (onProgress && (i + 1) % step === 0) onProgress(i + 1, nItems);
  }
  onProgress?.(nItems, nItems);
  return { nItems, ptr, items: items.slice(0, size), scores: scores.slice(0, size) };
}

/** nItems min-heaps of capacity K in flat typed arrays (root = weakest kept neighbour; ties: lower index wins). */
class FixedHeaps {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private readonly size: Int32Array;

  constructor(private readonly nItems: number, private readonly K: number) {
    this.idx = new Int32Array(nItems * K);
    this.val = new Float64Array(nItems * K);
    this.size = new Int32Array(nItems);
  }

  push(owner: number, item: number, score: number): void {
    const K = this.K;
    if (K === 0) return;
    const base = owner * K;
    const idx = this.idx;
    const val = this.val;
    const n = this.size[owner];
    if (n < K) {
      let c = n;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const pv = val[base + p];
        if (!(score < pv || (score === pv && item > idx[base + p]))) break;
        val[base + c] = pv;
        idx[base + c] = idx[base + p];
        c = p;
      }
      val[base + c] = score;
      idx[base + c] = item;
      this.size[owner] = n + 1;
      return;
    }
    const rv = val[base];
    if (score < rv || (score === rv && item > idx[base])) return;
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= K) break;
      const r = child + 1;
      if (r < K && (val[base + r] < val[base + child] || (val[base + r] === val[base + child] && idx[base + r] > idx[base + child]))) child = r;
      const cv = val[base + child];
      if (!(cv < score || (cv === score && idx[base + child] > item))) break;
      val[base + c] = cv;
      idx[base + c] = idx[base + child];
      c = child;
    }
    val[base + c] = score;
    idx[base + c] = item;
  }

  toNeighbors(): ItemNeighbors {
    const { nItems, K } = this;
    const ptr = new Int32Array(nItems + 1);
    for (let i = 0; i < nItems; i++) ptr[i + 1] = ptr[i] + this.size[i];
    const items = new Int32Array(ptr[nItems]);
    const scores = new Float32Array(ptr[nItems]);
    const order: number[] = [];
    for (let i = 0; i < nItems; i++) {
      const base = i * K;
      order.length = 0;
      for (let t = 0; t < this.size[i]; t++) order.push(base + t);
      order.sort((a, b) => this.val[b] - this.val[a] || this.idx[a] - this.idx[b]);
      order.forEach((slot, r) => {
        items[ptr[i] + r] = this.idx[slot];
        scores[ptr[i] + r] = this.val[slot];
      });
    }
    return { nItems, ptr, items, scores };
  }
}

/** Reverse lists: for item h, the items whose neighbour lists contain h (with that similarity). */
export function invertNeighbors(nb: ItemNeighbors): ItemNeighbors {
  const { nItems, ptr, items, scores } = nb;
  const rptr = new Int32Array(nItems + 1);
  for (let p = 0; p < items.length; p++) rptr[items[p] + 1]++;
  for (let i = 0; i < nItems; i++) rptr[i + 1] += rptr[i];
  const fill = rptr.slice(0, nItems);
  const ritems = new Int32Array(items.length);
  const rscores = new Float32Array(items.length);
  for (let i = 0; i < nItems; i++) {
    for (let p = ptr[i]; p < ptr[i + 1]; p++) {
      const q = fill[items[p]]++;
      ritems[q] = i;
      rscores[q] = scores[p];
    }
  }
  return { nItems, ptr: rptr, items: ritems, scores: rscores };
}

const reverseCache = new WeakMap<ItemNeighbors, ItemNeighbors>();

/** invertNeighbors, computed once per neighbour structure. */
export function reverseNeighbors(nb: ItemNeighbors): ItemNeighbors {
  let r = reverseCache.get(nb);
  if (!r) {
    r = invertNeighbors(nb);
    reverseCache.set(nb, r);
  }
  return r;
}

/**
 * score(i) = Σ_{h ∈ history, h ∈ N(i)} w_h · sim(i, h): each candidate is scored by the history items
 * among its own K nearest neighbours (which ranks better than summing each history item's
 * neighbours: a popular item is in many lists but keeps only its K closest).
 * Writes into `out` (length nItems, zeroed by the caller); if `anchors` is given, also the
 * history item with the largest contribution for each scored item.
 */
export function scoreFromNeighbors(
  nb: ItemNeighbors,
  historyItems: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  out: Float64Array,
  anchors?: { item: Int32Array; contribution: Float64Array },
): void {
  const rev = reverseNeighbors(nb);
  for (let t = 0; t < historyItems.length; t++) {
    const h = historyItems[t];
    if (h < 0 || h >= nb.nItems) continue;
    const w = weights ? weights[t] : 1;
    for (let p = rev.ptr[h]; p < rev.ptr[h + 1]; p++) {
      const i = rev.items[p];
      const c = w * rev.scores[p];
      out[i] += c;
      if (anchors && c > anchors.contribution[i]) {
        anchors.contribution[i] = c;
        anchors.item[i] = h;
      }
    }
  }
}

/**
 * Explain recommended items for any model: for each item, the history item most similar to it
 * (looking in the item's own neighbour list and in the history items' lists). -1 when none is a
 * neighbour. Works for models that have no native notion of an anchor (popularity, user-knn).
 */
export function explainWithNeighbors(
  nb: ItemNeighbors,
  historyItems: ArrayLike<number>,
  items: ArrayLike<number>,
): { anchors: Int32Array; similarities: Float32Array } {
  const rev = reverseNeighbors(nb);
  const inHistory = new Set<number>();
  for (let t = 0; t < historyItems.length; t++) inHistory.add(historyItems[t]);
  const anchors = new Int32Array(items.length).fill(-1);
  const similarities = new Float32Array(items.length);
  for (let r = 0; r < items.length; r++) {
    const item = items[r];
    if (item < 0 || item >= nb.nItems) continue;
    let best = -1;
    let bestSim = 0;
    for (const list of [nb, rev]) {
      for (let p = list.ptr[item]; p < list.ptr[item + 1]; p++) {
        const h = list.items[p];
        const s = list.scores[p];
        if (inHistory.has(h) && (s > bestSim || (s === bestSim && best !== -1 && h < best))) {
          best = h;
          bestSim = s;
        }
      }
    }
    anchors[r] = best;
    similarities[r] = bestSim;
  }
  return { anchors, similarities };
}

/** Similar items for one item (for a "similar movies" row): indices and similarities, best first. */
export function similarItems(nb: ItemNeighbors, item: number, k = Infinity): Recommendations {
  if (item < 0 || item >= nb.nItems) return { items: new Int32Array(0), scores: new Float32Array(0) };
  const a = nb.ptr[item];
  const b = Math.min(nb.ptr[item + 1], a + k);
  return { items: nb.items.slice(a, b), scores: nb.scores.slice(a, b) };
}
