// Pure math of a probe: one unit's values over positions, per-unit maxima, and the top-N units of a layer.
// Layouts (one example, row-major): hook/SAE tensors [positions × units]; attention patterns [heads × query × key].

/** Values of unit `unit` at positions [0, valid) of a [positions × width] matrix. */
export function unitColumn(
  data: ArrayLike<number>,
  positions: number,
  width: number,
  unit: number,
  valid = positions,
): Float32Array {
  checkMatrix(data, positions, width, unit, valid);
  const out = new Float32Array(valid);
  for (let p = 0; p < valid; p++) out[p] = data[p * width + unit];
  return out;
}

/** Attention of head `head` from query position `query` to keys [0, valid) of a [heads × seq × seq] pattern. */
export function headRow(
  pattern: ArrayLike<number>,
  heads: number,
  seq: number,
  head: number,
  query: number,
  valid = seq,
): Float32Array {
  if (pattern.length !== heads * seq * seq)
    throw new RangeError(`pattern has ${pattern.length} values, expected ${heads}×${seq}×${seq}`);
  if (!Number.isInteger(head) || head < 0 || head >= heads)
    throw new RangeError(`head ${head} out of range 0..${heads - 1}`);
  if (!Number.isInteger(query) || query < 0 || query >= seq)
    throw new RangeError(`query ${query} out of range 0..${seq - 1}`);
  if (!Number.isInteger(valid) || valid < 1 || valid > seq)
    throw new RangeError(`valid ${valid} out of range 1..${seq}`);
  const start = (head * seq + query) * seq;
  return Float32Array.from({ length: valid }, (_, k) => pattern[start + k]);
}

/** Largest value (−Infinity for an empty list). */
export function maxOf(values: ArrayLike<number>, from = 0): number {
  let m = -Infinity;
  for (let i = from; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

/** Per-unit maximum over positions [0, valid) of a [positions × width] matrix. */
export function maxOverPositions(
  data: ArrayLike<number>,
  positions: number,
  width: number,
  valid = positions,
): Float32Array {
  checkMatrix(data, positions, width, 0, valid);
  const out = new Float32Array(width).fill(-Infinity);
  for (let p = 0; p < valid; p++) {
    const row = p * width;
    for (let u = 0; u < width; u++) if (data[row + u] > out[u]) out[u] = data[row + u];
  }
  return out;
}

/** Per-head maximum attention from `query` to any other key in [0, valid) (the head's activation on the input). */
export function headMaxima(
  pattern: ArrayLike<number>,
  heads: number,
  seq: number,
  query: number,
  valid = seq,
): Float32Array {
  const out = new Float32Array(heads);
  for (let h = 0; h < heads; h++) out[h] = headActivation(headRow(pattern, heads, seq, h, query, valid), query);
  return out;
}

/** A head's activation: its largest attention weight from the pooled query to a position other than itself. */
export function headActivation(row: ArrayLike<number>, query: number): number {
  let m = -Infinity;
  for (let k = 0; k < row.length; k++) if (k !== query && row[k] > m) m = row[k];
  return m === -Infinity ? (row[query] ?? 0) : m;
}

export interface RankedUnit {
  index: number;
  value: number;
}

/** The `n` largest values, descending; ties → smaller index first. */
export function topN(values: ArrayLike<number>, n: number): RankedUnit[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  return order.slice(0, n).map((index) => ({ index, value: values[index] }));
}

function checkMatrix(data: ArrayLike<number>, positions: number, width: number, unit: number, valid: number): void {
  if (data.length !== positions * width)
    throw new RangeError(`matrix has ${data.length} values, expected ${positions}×${width}`);
  if (!Number.isInteger(unit) || unit < 0 || unit >= width)
    throw new RangeError(`unit ${unit} out of range 0..${width - 1}`);
  if (!Number.isInteger(valid) || valid < 1 || valid > positions)
    throw new RangeError(`valid ${valid} out of range 1..${positions}`);
}
