/**
 * Rows (key, value, score) grouped by key, keeping row order within a key (a counting sort):
 * key k's rows are values[ptr[k] .. ptr[k + 1]) with their scores. Keys must be in [0, nKeys).
 */
export function groupRowsByKey(
  nKeys: number,
  keys: Int32Array,
  values: ArrayLike<number>,
  scores: ArrayLike<number>,
): { ptr: Int32Array; values: Int32Array; scores: Float32Array } {
  const n = keys.length;
  const ptr = new Int32Array(nKeys + 1);
  for (let r = 0; r < n; r++) ptr[keys[r] + 1]++;
  for (let k = 0; k < nKeys; k++) ptr[k + 1] += ptr[k];
  const fill = ptr.slice(0, nKeys);
  const outValues = new Int32Array(n);
  const outScores = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const q = fill[keys[r]]++;
    outValues[q] = values[r];
    outScores[q] = scores[r];
  }
  return { ptr, values: outValues, scores: outScores };
}
