// Train/test splitting with the protocol of /work/shared/reference/split.py (Microsoft Recommenders'
// python_stratified_split): group rows by item (or user), visit groups in id order, shuffle each
// group with one seeded generator and put the first round(ratio * size) rows into train.

export type SplitBy = "item" | "user";

export interface Split {
  /** Row indices into the source table, grouped by key in key order. */
  train: Int32Array;
  test: Int32Array;
}

/** A small, fast, seeded PRNG (sfc32 seeded through splitmix32). Returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  const next32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Python's round(): halves go to the even neighbour (round(2.5) == 2), as split.py relies on. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Stratified split of rows by a group key (item or user code). As in split.py, groups are visited in
 * the order of their external ids (numerically when numeric: `sorted(groups, key=int)`), each group
 * starts in file order and is shuffled with the one generator, and round(ratio * size) rows go to
 * train (so single-interaction groups stay entirely in train).
 */
export function stratifiedSplit(
  keys: Int32Array,
  keyIds: readonly string[],
  options: { ratio: number; seed: number },
): Split {
  const { ratio, seed } = options;
  if (!(ratio > 0 && ratio < 1)) throw new RangeError(`split ratio must be between 0 and 1, got ${ratio}`);
  const nKeys = keyIds.length;
  const n = keys.length;

  // Rows grouped by key, file order within a group.
  const start = new Int32Array(nKeys + 1);
  for (let r = 0; r < n; r++) start[keys[r] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const grouped = new Int32Array(n);
  const fill = start.slice(0, nKeys);
  for (let r = 0; r < n; r++) grouped[fill[keys[r]]++] = r;

  const keyOrder = Array.from({ length: nKeys }, (_, k) => k).sort((a, b) => compareIds(keyIds[a], keyIds[b]));
  const rng = createRng(seed);
  const train = new Int32Array(n);
  const test = new Int32Array(n);
  let nTrain = 0;
  let nTest = 0;
  for (const k of keyOrder) {
    const a = start[k];
    const size = start[k + 1] - a;
    if (size === 0) continue;
    const group = grouped.subarray(a, a + size);
    shuffle(group, rng);
    const cut = roundHalfEven(ratio * size);
    for (let j = 0; j < size; j++) {
      if (j < cut) train[nTrain++] = group[j];
      else test[nTest++] = group[j];
    }
  }
  return { train: train.slice(0, nTrain), test: test.slice(0, nTest) };
}

/** Parse "item:0.75" / "user:0.8" / "0.75" (item by default). */
export function parseSplitSpec(spec: string): { by: SplitBy; ratio: number } {
  const m = /^(?:(item|user):)?(0?\.\d+|0|1)$/.exec(spec.trim());
  if (!m) throw new RangeError(`invalid split "${spec}": expected item:RATIO or user:RATIO with 0 < RATIO < 1, e.g. item:0.75`);
  const ratio = Number(m[2]);
  if (!(ratio > 0 && ratio < 1)) throw new RangeError(`invalid split "${spec}": the ratio must be strictly between 0 and 1`);
  return { by: (m[1] as SplitBy | undefined) ?? "item", ratio };
}

/** In-place Fisher–Yates shuffle. */
function shuffle(a: Int32Array, rng: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
