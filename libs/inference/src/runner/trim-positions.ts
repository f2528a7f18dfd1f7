// Text batches at their own length: a batch of token rows runs at its longest row (eos included) instead of the
// tokenizer's full seqLen, and every output is zero-padded back to the declared shape afterwards, or, when the
// caller reads positions from the dims (RunOptions.textPositions "longest"), only to the call's longest row. Exact
// under a causal mask, which CLIP's text tower has: no position ≤ eos attends to the padding after it. Pure helpers.

/** Positions rows [start, start + count) need: the longest row's eos position + 1, within [1, full]. */
export function positionsNeeded(
  rows: readonly { eosPosition: number }[],
  start: number,
  count: number,
  full: number,
): number {
  let need = 1;
  for (let r = start; r < start + count; r++) need = Math.max(need, rows[r].eosPosition + 1);
  return Math.min(need, full);
}

/**
 * The shape an output of a run at `ran` positions has at `to` positions (default `full`, the declared length): each
 * axis that came back as `ran` where `declared` (the full-length shape) says `full` becomes `to`. Null when the
 * output does not look trimmed that way.
 */
export function untrimmedDims(
  dims: readonly number[],
  declared: readonly number[],
  ran: number,
  full: number,
  to = full,
): number[] | null {
  if (dims.length !== declared.length) return null;
  let trimmed = false;
  const out = [...declared];
  for (let i = 0; i < dims.length; i++) {
    if (dims[i] === declared[i]) continue;
    if (dims[i] !== ran || declared[i] !== full) return null;
    out[i] = to;
    trimmed = true;
  }
  return trimmed ? out : null;
}

/**
 * A declared shape as a run at `length` of `full` positions returns it: each axis declared `full` that came back as
 * `length` (in `dims`) is `length`; the rest as declared ("batch" and other names included).
 */
export function declaredAt<D extends number | string>(
  declared: readonly D[],
  dims: readonly number[],
  full: number,
  length: number,
): (D | number)[] {
  if (length === full) return [...declared];
  return declared.map((d, i) => (d === full && dims[i] === length ? length : d));
}

/** Zero-pads a row-major tensor from `dims` to `toDims` (each toDims[i] ≥ dims[i]); values keep their indices. */
export function padAxes<T extends Float32Array | Int32Array>(
  data: T,
  dims: readonly number[],
  toDims: readonly number[],
): T {
  const n = dims.length;
  const size = toDims.reduce((a, d) => a * d, 1);
  const out = new (data.constructor as { new (length: number): T })(size);
  // innermost axis that changes; the axes after it are copied as one contiguous block
  let k = n - 1;
  while (k >= 0 && dims[k] === toDims[k]) k--;
  if (k < 0) {
    out.set(data);
    return out;
  }
  let block = 1;
  for (let i = k; i < n; i++) block *= dims[i];
  const toStride = new Array<number>(k).fill(0);
  let stride = 1;
  for (let i = n - 1; i >= 0; i--) {
    if (i < k) toStride[i] = stride;
    stride *= toDims[i];
  }
  const index = new Array<number>(k).fill(0);
  let to = 0;
  for (let from = 0; from < data.length; from += block) {
    out.set(data.subarray(from, from + block), to);
    // odometer over axes 0..k-1 of the source
    let i = k - 1;
    while (i >= 0) {
      index[i]++;
      to += toStride[i];
      if (index[i] < dims[i]) break;
      to -= index[i] * toStride[i];
      index[i] = 0;
      i--;
    }
  }
  return out;
}
