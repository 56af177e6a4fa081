// Bounded top-k selection with a binary min-heap on typed arrays (the root is the worst kept entry).
// Order: higher score first, then higher tie-break value (e.g. popularity), then lower index, so
// results are fully deterministic.

export class TopK {
  readonly capacity: number;
  size = 0;
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private readonly tie: Float64Array;

  constructor(capacity: number) {
    this.capacity = Math.max(0, capacity);
    this.idx = new Int32Array(this.capacity);
    this.val = new Float64Array(this.capacity);
    this.tie = new Float64Array(this.capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** The score an entry must beat to get in once the heap is full (-Infinity while not full). */
  get threshold(): number {
    return this.size < this.capacity ? -Infinity : this.val[0];
  }

  push(index: number, score: number, tie = 0): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let c = this.size++;
      // sift up
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(score, tie, index, this.val[p], this.tie[p], this.idx[p])) break;
        this.idx[c] = this.idx[p];
        this.val[c] = this.val[p];
        this.tie[c] = this.tie[p];
        c = p;
      }
      this.idx[c] = index;
      this.val[c] = score;
      this.tie[c] = tie;
      return;
    }
    if (!worse(this.val[0], this.tie[0], this.idx[0], score, tie, index)) return;
    this.siftDown(index, score, tie, this.size);
  }

  /** Drain into arrays, best first. The heap is empty afterwards. */
  drain(): { items: Int32Array; scores: Float32Array } {
    const n = this.size;
    const items = new Int32Array(n);
    const scores = new Float32Array(n);
    this.drainInto(items, scores, 0);
    return { items, scores };
  }

  /** Drain into `items`/`scores` starting at `offset`, best first; returns the count written. */
  drainInto(items: Int32Array, scores: Float32Array | Float64Array, offset: number): number {
    const n = this.size;
    for (let r = n - 1; r >= 0; r--) {
      items[offset + r] = this.idx[0];
      scores[offset + r] = this.val[0];
      const last = this.size - 1;
      this.size = last;
      if (last > 0) this.siftDown(this.idx[last], this.val[last], this.tie[last], last);
    }
    return n;
  }

  private siftDown(index: number, score: number, tie: number, size: number): void {
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && worse(this.val[right], this.tie[right], this.idx[right], this.val[child], this.tie[child], this.idx[child])) child = right;
      if (!worse(this.val[child], this.tie[child], this.idx[child], score, tie, index)) break;
      this.idx[c] = this.idx[child];
      this.val[c] = this.val[child];
      this.tie[c] = this.tie[child];
      c = child;
    }
    this.idx[c] = index;
    this.val[c] = score;
    this.tie[c] = tie;
  }
}

/** Is entry a ranked below entry b? */
function worse(sa: number, ta: number, ia: number, sb: number, tb: number, ib: number): boolean {
  if (sa !== sb) return sa < sb;
  if (ta !== tb) return ta < tb;
  return ia > ib;
}
