// Item-item cosine neighbours (top-K per item) and scoring/explaining from a history through them.
// Used by the item-knn model, the "similar movies" cache and explanations ("because you rated X").
import { Worker } from "node:worker_threads";
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
  /** Worker threads for the top-K computation (same result for any count; default 1). */
  threads?: number;
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
 * per-item fixed-size heaps (nItems × K entries in total). Items are processed in blocks of 64;
 * with `threads` > 1 worker threads claim the blocks, never a full item × item matrix anywhere.
 * Time: Σ_users deg(u)²/2 multiply-adds; memory: O(nnz + threads · nItems · K), plus a shared copy
 * of the matrix when threaded. With K = 0 (keep every co-occurring item: exact, but memory grows
 * towards nItems²) each item's full row is built instead.
 */
export function itemNeighbors(dataset: Dataset, neighbors: number, options: Partial<SimilarityOptions> = {}): ItemNeighbors {
  const { shrink, alpha, exponent } = { ...DEFAULT_SIMILARITY, ...options };
  const { nItems } = dataset;
  if (!Number.isInteger(neighbors) || neighbors < 0) throw new RangeError(`neighbors must be a non-negative integer, got ${neighbors}`);

  const { left, right } = itemNorms(dataset, alpha);
  const sim = (dot: number, a: number, b: number) => {
    const x = dot / (left[a] * right[b] + shrink);
    return exponent === 1 ? x : Math.pow(x, exponent);
  };
  const K = Math.min(neighbors, Math.max(0, nItems - 1));
  return neighbors === 0
    ? allNeighbors(dataset, sim, options.onProgress)
    : topNeighbors(dataset, K, { left, right }, { shrink, exponent, threads: options.threads ?? 1, onProgress: options.onProgress });
}

/**
 * The top-K neighbour lists of the items in [from, to) only: one shard of itemNeighbors' result,
 * for sharded training (each process computes a range of items; lists of items outside the range
 * are left empty). Every pair (i, j) with i in the range is accumulated from i's side over the
 * users i and j share, in ascending user order: the same additions, in the same order, as
 * itemNeighbors makes for that pair from whichever side it starts, so the dot products, the
 * similarities and the (score desc, index asc) top K are bit-identical to the full computation.
 * Costs twice the full computation's pair work in total (each pair is seen from both sides), split
 * across the shards.
 */
export function itemNeighborsForRange(
  dataset: Dataset,
  neighbors: number,
  from: number,
  to: number,
  options: Partial<SimilarityOptions> = {},
): ItemNeighbors {
  const { shrink, alpha, exponent } = { ...DEFAULT_SIMILARITY, ...options };
  const { nItems, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights } = dataset;
  if (!Number.isInteger(neighbors) || neighbors < 1) throw new RangeError(`a sharded neighbour search needs a neighbour count ≥ 1, got ${neighbors}`);
  if (!(0 <= from && from <= to && to <= nItems)) throw new RangeError(`item range [${from}, ${to}) is outside [0, ${nItems})`);
  const K = Math.min(neighbors, Math.max(0, nItems - 1));
  const { left, right } = itemNorms(dataset, alpha);
  // Each item's heap is filled only while that item is processed, so threads share one set of heaps.
  const threads = Math.max(1, Math.min(options.threads ?? 1, Math.ceil((to - from) / BLOCK)));
  const alloc = threads > 1 ? shared : local;
  const share = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (threads > 1 ? toShared(a) : a);
  const input: RangeKernelInput = {
    from,
    to,
    nItems,
    K,
    block: BLOCK,
    shrink,
    exponent,
    userPtr: share(userPtr),
    userItems: share(userItems),
    userWeights: share(userWeights),
    itemPtr: share(itemPtr),
    itemUsers: share(itemUsers),
    itemWeights: share(itemWeights),
    left: share(left),
    right: share(right),
    counters: alloc(Int32Array, 4),
    heapIdx: alloc(Int32Array, nItems * K),
    heapVal: alloc(Float64Array, nItems * K),
    heapSize: alloc(Int32Array, nItems),
  };
  if (threads === 1) rangeKernel(input, options.onProgress);
  else {
    const source = `${heapPush.toString()}\n${rangeKernel.toString()}\nrangeKernel(require("node:worker_threads").workerData);`;
    for (let t = 0; t < threads; t++) new Worker(source, { eval: true, workerData: input }).unref();
    const counters = input.counters;
    for (;;) {
      const finished = Atomics.load(counters, 2);
      if (Atomics.load(counters, 3) > 0) throw new Error("a neighbour worker thread failed");
      if (finished === threads) break;
      Atomics.wait(counters, 2, finished, 1000);
      options.onProgress?.(Math.min(to - from, Atomics.load(counters, 1)), to - from);
    }
  }
  options.onProgress?.(to - from, to - from);
  return mergeHeaps([input], nItems, K);
}

/** Per item, ‖i‖^(2α) and ‖i‖^(2(1-α)) of its weight column (the asymmetric cosine's denominators). */
function itemNorms({ nItems, itemPtr, itemWeights }: Dataset, alpha: number): Norms {
  const left = new Float64Array(nItems);
  const right = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let p = itemPtr[i]; p < itemPtr[i + 1]; p++) s += itemWeights[p] * itemWeights[p];
    left[i] = Math.pow(s, alpha);
    right[i] = Math.pow(s, 1 - alpha);
  }
  return { left, right };
}

type Similarity = (dot: number, from: number, to: number) => number;

/** 2^21: item indices below this pack next to a 32-bit score in a 53-bit integer key. */
const INDEX_RANGE = 2 ** 21;

/** Items per block: the unit of work a thread claims (small enough to balance the popular head). */
const BLOCK = 64;

function topNeighbors(dataset: Dataset, K: number, norms: Norms, opts: { shrink: number; exponent: number; threads: number; onProgress?: (done: number, total: number) => void }): ItemNeighbors {
  const { nItems, nUsers, userPtr, userItems, itemPtr, nnz } = dataset;
  if (nItems * K > MAX_NEIGHBOR_ENTRIES) throw new RangeError(`${nItems} items × ${K} neighbours is too many entries to keep in memory; lower the neighbour count`);
  const threads = Math.max(1, Math.min(opts.threads, Math.ceil(nItems / BLOCK)));
  const alloc = threads > 1 ? shared : local;

  // Position of each CSC entry (item i, user u) inside u's CSR row.
  const rowPos = alloc(Int32Array, nnz);
  const fill = itemPtr.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) for (let q = userPtr[u]; q < userPtr[u + 1]; q++) rowPos[fill[userItems[q]]++] = q;

  const input: KernelInput = {
    nItems,
    K,
    block: BLOCK,
    shrink: opts.shrink,
    exponent: opts.exponent,
    userPtr: threads > 1 ? toShared(userPtr) : userPtr,
    userItems: threads > 1 ? toShared(userItems) : userItems,
    userWeights: threads > 1 ? toShared(dataset.userWeights) : dataset.userWeights,
    itemPtr: threads > 1 ? toShared(itemPtr) : itemPtr,
    itemUsers: threads > 1 ? toShared(dataset.itemUsers) : dataset.itemUsers,
    itemWeights: threads > 1 ? toShared(dataset.itemWeights) : dataset.itemWeights,
    rowPos,
    left: threads > 1 ? toShared(norms.left) : norms.left,
    right: threads > 1 ? toShared(norms.right) : norms.right,
    // [next block to claim, items finished, threads finished, threads failed]
    counters: alloc(Int32Array, 4),
    heapIdx: alloc(Int32Array, 0),
    heapVal: alloc(Float64Array, 0),
    heapSize: alloc(Int32Array, 0),
  };
  const heaps: Heaps[] = [];
  if (threads === 1) {
    const heap = { heapIdx: new Int32Array(nItems * K), heapVal: new Float64Array(nItems * K), heapSize: new Int32Array(nItems) };
    heaps.push(heap);
    neighborKernel({ ...input, ...heap }, opts.onProgress);
  } else {
    // Each thread claims blocks of items from a shared counter and keeps its own nItems × K heaps
    // (each co-occurring pair lands in exactly one thread's heaps); the main thread then takes the
    // top K of the union per item, which is exactly the single-threaded result. The main thread
    // waits synchronously (Atomics.wait), so the model API stays synchronous.
    const source = `${heapPush.toString()}\n${neighborKernel.toString()}\nneighborKernel(require("node:worker_threads").workerData);`;
    for (let t = 0; t < threads; t++) {
      const heap = { heapIdx: shared(Int32Array, nItems * K), heapVal: shared(Float64Array, nItems * K), heapSize: shared(Int32Array, nItems) };
      heaps.push(heap);
      new Worker(source, { eval: true, workerData: { ...input, ...heap } }).unref();
    }
    const counters = input.counters;
    for (;;) {
      const finished = Atomics.load(counters, 2);
      if (Atomics.load(counters, 3) > 0) throw new Error("a neighbour worker thread failed");
      if (finished === threads) break;
      Atomics.wait(counters, 2, finished, 1000);
      opts.onProgress?.(Math.min(nItems, Atomics.load(counters, 1)), nItems);
    }
  }
  opts.onProgress?.(nItems, nItems);
  return mergeHeaps(heaps, nItems, K);
}

type Norms = { left: Float64Array; right: Float64Array };
type Heaps = { heapIdx: Int32Array; heapVal: Float64Array; heapSize: Int32Array };
type KernelInput = Heaps & {
  nItems: number;
  K: number;
  block: number;
  shrink: number;
  exponent: number;
  userPtr: Int32Array;
  userItems: Int32Array;
  userWeights: Float32Array;
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  itemWeights: Float32Array;
  rowPos: Int32Array;
  left: Float64Array;
  right: Float64Array;
  counters: Int32Array;
};

type TypedArrayCtor<T> = { new (buffer: ArrayBufferLike): T; new (length: number): T; BYTES_PER_ELEMENT: number };
function local<T>(Ctor: TypedArrayCtor<T>, length: number): T {
  return new Ctor(length);
}
function shared<T>(Ctor: TypedArrayCtor<T>, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}
function toShared<T extends Int32Array | Float32Array | Float64Array>(a: T): T {
  const out = shared(a.constructor as unknown as TypedArrayCtor<T>, a.length);
  (out as Int32Array).set(a as unknown as Int32Array);
  return out;
}

// neighborKernel and heapPush also run in worker threads from their source text (Function#toString),
// so they must stay self-contained: no imports, no closures, no nested functions.

/**
 * Claim blocks of items i; for each, accumulate the dot products with every item j > i sharing a
 * user (each CSC entry knows its position in the user's sorted CSR row, so only the part of the
 * row past i is scanned) in a dense accumulator, then push sim(i→j) and sim(j→i) into the heaps.
 */
function neighborKernel(d: KernelInput, onProgress?: (done: number, total: number) => void): void {
  const { nItems, K, block, shrink, exponent, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights, rowPos, left, right, counters, heapIdx, heapVal, heapSize } = d;
  try {
    const acc = new Float64Array(nItems);
    const flag = new Uint8Array(nItems);
    const touched = new Int32Array(nItems);
    for (;;) {
      const start = Atomics.add(counters, 0, 1) * block;
      if (start >= nItems) break;
      const end = Math.min(nItems, start + block);
      for (let i = start; i < end; i++) {
        let nTouched = 0;
        for (let e = itemPtr[i]; e < itemPtr[i + 1]; e++) {
          const u = itemUsers[e];
          const wu = itemWeights[e];
          const stop = userPtr[u + 1];
          for (let q = rowPos[e] + 1; q < stop; q++) {
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
          let sij = dot / (left[i] * right[j] + shrink);
          let sji = dot / (left[j] * right[i] + shrink);
          if (exponent !== 1) {
            sij = Math.pow(sij, exponent);
            sji = Math.pow(sji, exponent);
          }
          heapPush(heapIdx, heapVal, heapSize, K, i, j, sij);
          heapPush(heapIdx, heapVal, heapSize, K, j, i, sji);
        }
      }
      const done = Atomics.add(counters, 1, end - start) + end - start;
      if (onProgress) onProgress(done, nItems);
    }
  } catch (err) {
    Atomics.add(counters, 3, 1);
    if (!onProgress) console.error(err);
    else throw err;
  } finally {
    Atomics.add(counters, 2, 1);
    Atomics.notify(counters, 2);
  }
}

type RangeKernelInput = Omit<KernelInput, "rowPos"> & { from: number; to: number };

/**
 * itemNeighborsForRange's work: claim blocks of items i in [from, to); for each, accumulate the dot
 * products with every item j sharing a user (whole user rows) and push sim(i→j) into i's heap.
 */
function rangeKernel(d: RangeKernelInput, onProgress?: (done: number, total: number) => void): void {
  const { from, to, nItems, K, block, shrink, exponent, userPtr, userItems, userWeights, itemPtr, itemUsers, itemWeights, left, right, counters, heapIdx, heapVal, heapSize } = d;
  try {
    const acc = new Float64Array(nItems);
    const flag = new Uint8Array(nItems);
    const touched = new Int32Array(nItems);
    for (;;) {
      const start = from + Atomics.add(counters, 0, 1) * block;
      if (start >= to) break;
      const end = Math.min(to, start + block);
      for (let i = start; i < end; i++) {
        let nTouched = 0;
        for (let e = itemPtr[i]; e < itemPtr[i + 1]; e++) {
          const u = itemUsers[e];
          const wu = itemWeights[e];
          for (let q = userPtr[u]; q < userPtr[u + 1]; q++) {
            const j = userItems[q];
            if (j === i) continue;
            if (flag[j] === 0) {
              flag[j] = 1;
              touched[nTouched++] = j;
            }
            // neighborKernel adds (weight of the lower item) × (weight of the higher one): same product.
            acc[j] += j > i ? wu * userWeights[q] : userWeights[q] * wu;
          }
        }
        for (let t = 0; t < nTouched; t++) {
          const j = touched[t];
          const dot = acc[j];
          acc[j] = 0;
          flag[j] = 0;
          if (dot <= 0) continue;
          let sij = dot / (left[i] * right[j] + shrink);
          if (exponent !== 1) sij = Math.pow(sij, exponent);
          heapPush(heapIdx, heapVal, heapSize, K, i, j, sij);
        }
      }
      const done = Atomics.add(counters, 1, end - start) + end - start;
      if (onProgress) onProgress(done, to - from);
    }
  } catch (err) {
    Atomics.add(counters, 3, 1);
    if (!onProgress) console.error(err);
    else throw err;
  } finally {
    Atomics.add(counters, 2, 1);
    Atomics.notify(counters, 2);
  }
}

/** Push into owner's min-heap of capacity K (root = weakest kept neighbour; ties: lower index wins). */
function heapPush(idx: Int32Array, val: Float64Array, size: Int32Array, K: number, owner: number, item: number, score: number): void {
  if (K === 0) return;
  const base = owner * K;
  const n = size[owner];
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
    size[owner] = n + 1;
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

/** Per item, the best K of the entries in all heaps, by score (desc) then index (asc). */
function mergeHeaps(heaps: Heaps[], nItems: number, K: number): ItemNeighbors {
  const ptr = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) {
    let n = 0;
    for (const h of heaps) n += h.heapSize[i];
    ptr[i + 1] = ptr[i] + Math.min(K, n);
  }
  const items = new Int32Array(ptr[nItems]);
  const scores = new Float32Array(ptr[nItems]);
  const candIdx: number[] = [];
  const candVal: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < nItems; i++) {
    candIdx.length = 0;
    candVal.length = 0;
    for (const h of heaps) {
      for (let t = 0; t < h.heapSize[i]; t++) {
        candIdx.push(h.heapIdx[i * K + t]);
        candVal.push(h.heapVal[i * K + t]);
      }
    }
    order.length = candIdx.length;
    for (let t = 0; t < order.length; t++) order[t] = t;
    order.sort((a, b) => candVal[b] - candVal[a] || candIdx[a] - candIdx[b]);
    for (let r = 0; r < ptr[i + 1] - ptr[i]; r++) {
      items[ptr[i] + r] = candIdx[order[r]];
      scores[ptr[i] + r] = candVal[order[r]];
    }
  }
  return { nItems, ptr, items, scores };
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
 * How each term w_h · sim(i, h) of a neighbour score is scaled before the terms are summed.
 * - `none`: as computed (the reference's item-knn).
 * - `candidate`: divided by the sum of the candidate i's own top-K similarities, i.e. every item's
 *   neighbour row normalised to sum to 1 as read on our lists (Deshpande & Karypis 2004,
 *   "Item-based top-N recommendation algorithms": neighbourhoods of different density bias the
 *   picks): i's score becomes the share of its neighbourhood that the history covers.
 * - `history`: divided by the sum of the history item h's own top-K similarities (the same
 *   normalisation read from h's side, as in their scoring, where h spreads its own list).
 * - `history-total`: divided by the sum of everything h contributes to (every item whose list holds h).
 * Measured for fold-in's sake (docs/evaluation.md, "Fold-in: one like explaining the list"): none of
 * them is used by serving. Only `none` and `candidate` keep each candidate's anchor (the largest
 * term) unchanged.
 */
export const NEIGHBOR_NORMALIZATIONS = ["none", "candidate", "history", "history-total"] as const;
export type NeighborNormalization = (typeof NEIGHBOR_NORMALIZATIONS)[number];

const rowSumCache = new WeakMap<ItemNeighbors, Float64Array>();

/** Per item, 1 / (the sum of its list's similarities); 0 for an item with an empty list. */
function inverseRowSums(nb: ItemNeighbors): Float64Array {
  let inv = rowSumCache.get(nb);
  if (!inv) {
    inv = new Float64Array(nb.nItems);
    for (let i = 0; i < nb.nItems; i++) {
      let s = 0;
      for (let p = nb.ptr[i]; p < nb.ptr[i + 1]; p++) s += nb.scores[p];
      inv[i] = s > 0 ? 1 / s : 0;
    }
    rowSumCache.set(nb, inv);
  }
  return inv;
}

/**
 * The factors of `normalization` for nb: term w_h · sim(i, h) is multiplied by byCandidate[i] and
 * byHistory[h] (null = 1).
 */
export function normalizationFactors(nb: ItemNeighbors, normalization: NeighborNormalization): { byCandidate: Float64Array | null; byHistory: Float64Array | null } {
  switch (normalization) {
    case "none":
      return { byCandidate: null, byHistory: null };
    case "candidate":
      return { byCandidate: inverseRowSums(nb), byHistory: null };
    case "history":
      return { byCandidate: null, byHistory: inverseRowSums(nb) };
    case "history-total":
      return { byCandidate: null, byHistory: inverseRowSums(reverseNeighbors(nb)) };
  }
}

/**
 * score(i) = Σ_{h ∈ history, h ∈ N(i)} w_h · sim(i, h): each candidate is scored by the history items
 * among its own K nearest neighbours (which ranks better than summing each history item's
 * neighbours: a popular item is in many lists but keeps only its K closest), each term scaled as
 * `normalization` says (default none).
 * Writes into `out` (length nItems, zeroed by the caller); if `anchors` is given, also the
 * history item with the largest contribution for each scored item.
 */
export function scoreFromNeighbors(
  nb: ItemNeighbors,
  historyItems: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  out: Float64Array,
  anchors?: { item: Int32Array; contribution: Float64Array },
  normalization: NeighborNormalization = "none",
): void {
  const rev = reverseNeighbors(nb);
  const { byCandidate, byHistory } = normalizationFactors(nb, normalization);
  for (let t = 0; t < historyItems.length; t++) {
    const h = historyItems[t];
    if (h < 0 || h >= nb.nItems) continue;
    const w = (weights ? weights[t] : 1) * (byHistory ? byHistory[h] : 1);
    for (let p = rev.ptr[h]; p < rev.ptr[h + 1]; p++) {
      const i = rev.items[p];
      const c = byCandidate ? w * rev.scores[p] * byCandidate[i] : w * rev.scores[p];
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
