// Train/test splitting with the protocol of the reference split.py (Microsoft Recommenders'
// python_stratified_split): group rows by item (or user), visit groups in id order, shuffle each
// group with one seeded generator and put the first round(ratio * size) rows into train.
// The generator is numpy's default_rng(seed) (SeedSequence → PCG64, Generator.permutation), so for
// the same file and seed the split is row-for-row the reference's and the numbers compare exactly.

export type SplitBy = "item" | "user";

export interface Split {
  /** Row indices into the source table, grouped by key in key order. */
  train: Int32Array;
  test: Int32Array;
}

/** A small, fast, seeded PRNG (sfc32 seeded through splitmix32) for tests and synthetic data; floats in [0, 1). */
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
  const rng = new NumpyRandom(seed);
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

/** In-place shuffle exactly as numpy's Generator.permutation / shuffle (Fisher–Yates from the top). */
function shuffle(a: Int32Array, rng: NumpyRandom): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.interval(i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

const M32 = 0xffffffffn;
const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

/** numpy.random.default_rng(seed): PCG64 seeded through SeedSequence. BigInt: fine for splits. */
export class NumpyRandom {
  private state = 0n;
  private readonly inc: bigint;
  private hasHalf = false;
  private half = 0;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    const [s0, s1, i0, i1] = seedSequenceState(seed, 4);
    this.inc = ((((i0 << 64n) | i1) << 1n) | 1n) & M128;
    this.step();
    this.state = (this.state + ((s0 << 64n) | s1)) & M128;
    this.step();
  }

  /** Uniform integer in [0, max], numpy's random_interval (masked rejection on 32-bit draws). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError("interval above 2^32 is not supported");
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let v: number;
    while ((v = (this.next32() & mask) >>> 0) > max);
    return v;
  }

  next32(): number {
    if (this.hasHalf) {
      this.hasHalf = false;
      return this.half;
    }
    const v = this.next64();
    this.hasHalf = true;
    this.half = Number(v >> 32n);
    return Number(v & M32);
  }

  next64(): bigint {
    this.step();
    const rot = Number(this.state >> 122n);
    const x = ((this.state >> 64n) ^ this.state) & M64;
    return ((x >> BigInt(rot)) | (x << BigInt((64 - rot) & 63))) & M64;
  }

  private step(): void {
    this.state = (this.state * PCG_MULTIPLIER + this.inc) & M128;
  }
}

/** numpy SeedSequence(seed).generate_state(n, uint64) (pool of four 32-bit words, no spawn key). */
function seedSequenceState(seed: number, nWords64: number): bigint[] {
  const entropy: number[] = [];
  let rest = BigInt(seed);
  do {
    entropy.push(Number(rest & M32));
    rest >>= 32n;
  } while (rest > 0n);
  let hashConst = 0x43b0d7e5;
  const hashmix = (value: number) => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, 0x931e8875) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number) => {
    const r = (Math.imul(0xca01f9dd, x) - Math.imul(0x4973f715, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const pool = [0, 1, 2, 3].map((i) => hashmix(i < entropy.length ? entropy[i] : 0));
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a !== b) pool[b] = mix(pool[b], hashmix(pool[a]));
  for (let a = 4; a < entropy.length; a++) for (let b = 0; b < 4; b++) pool[b] = mix(pool[b], hashmix(entropy[a]));
  let hc = 0x8b51f9dd;
  const words: number[] = [];
  for (let i = 0; i < nWords64 * 2; i++) {
    let v = (pool[i % 4] ^ hc) >>> 0;
    hc = Math.imul(hc, 0x58f38ded) >>> 0;
    v = Math.imul(v, hc) >>> 0;
    words.push((v ^ (v >>> 16)) >>> 0);
  }
  return Array.from({ length: nWords64 }, (_, i) => (BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i]));
}

function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
