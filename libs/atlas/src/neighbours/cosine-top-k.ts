// Nearest rows of a matrix by cosine similarity: each row's k most similar other rows, from a blocked, symmetric
// all-pairs pass (each pair's dot product computed once, O(n² · dim / 2) multiply-adds, memory O(n · dim + n · k)).
// Rows with zero norm (dead units, constant activation profiles) have no neighbours and are nobody's neighbour.
// `center` subtracts each row's mean first: the cosine of centered rows is their Pearson correlation.
import { AtlasError } from "../errors";

/** k nearest neighbours per row: `indices[i * k + r]` is row i's r-th neighbour (-1 when it has fewer), `scores` its similarity. */
export interface NeighbourLists {
  n: number;
  k: number;
  indices: Int32Array;
  scores: Float32Array;
  /** neighbours actually found per row (0 for a zero-norm row) */
  counts: Int32Array;
}

export interface CosineTopKOptions {
  /** subtract each row's mean first (Pearson correlation); default false */
  center?: boolean;
  /** rows per block of the all-pairs pass (cache reuse); default 32 */
  blockRows?: number;
}

/** Normalized copy of the rows ([n × dim], float64), centered first when asked; zero rows stay zero. */
export function normalizedRows(
  rows: ArrayLike<number>,
  n: number,
  dim: number,
  center = false,
): { data: Float64Array; live: Uint8Array } {
  const data = new Float64Array(n * dim);
  const live = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let mean = 0;
    if (center) {
      for (let d = 0; d < dim; d++) mean += rows[o + d];
      mean /= dim;
    }
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      const v = rows[o + d] - mean;
      data[o + d] = v;
      sq += v * v;
    }
    // relative threshold: a centered constant row leaves only rounding noise
    let scale = 0;
    for (let d = 0; d < dim; d++) scale = Math.max(scale, Math.abs(rows[o + d]));
    const norm = Math.sqrt(sq);
    if (!Number.isFinite(norm)) throw new AtlasError("NON_FINITE", `row ${i} has a non-finite value`);
    if (norm <= 1e-12 * Math.max(1, scale) * Math.sqrt(dim)) {
      data.fill(0, o, o + dim);
      continue;
    }
    live[i] = 1;
    for (let d = 0; d < dim; d++) data[o + d] /= norm;
  }
  return { data, live };
}

/** Bounded per-row top-k lists, kept sorted by score (ties: lower index first). */
export class TopLists {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
  private readonly exact: Float64Array;
  readonly counts: Int32Array;

  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.indices = new Int32Array(n * k).fill(-1);
    this.scores = new Float32Array(n * k);
    this.exact = new Float64Array(n * k);
    this.counts = new Int32Array(n);
  }

  push(row: number, idx: number, score: number): void {
    const k = this.k,
      o = row * k,
      c = this.counts[row];
    if (c === k) {
      const last = o + k - 1;
      if (score < this.exact[last] || (score === this.exact[last] && idx > this.indices[last])) return;
    }
    let p = c === k ? k - 1 : c;
    if (c < k) this.counts[row] = c + 1;
    while (p > 0) {
      const q = o + p - 1;
      if (this.exact[q] > score || (this.exact[q] === score && this.indices[q] < idx)) break;
      this.exact[o + p] = this.exact[q];
      this.indices[o + p] = this.indices[q];
      p--;
    }
    this.exact[o + p] = score;
    this.indices[o + p] = idx;
  }

  finish(): NeighbourLists {
    for (let i = 0; i < this.exact.length; i++) this.scores[i] = this.exact[i];
    return { n: this.n, k: this.k, indices: this.indices, scores: this.scores, counts: this.counts };
  }
}

export const clamp = (x: number) => Math.max(-1, Math.min(1, x));

/** Argument checks shared by the cosine top-k passes. */
export function checkTopKArgs(rows: ArrayLike<number>, n: number, dim: number, k: number, name: string): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1)
    throw new AtlasError("SHAPE_MISMATCH", `${name}: bad shape ${n} × ${dim}`);
  if (!Number.isInteger(k) || k < 1)
    throw new AtlasError("BAD_OPTION", `${name}: k must be a positive integer, got ${k}`);
  if (rows.length < n * dim) throw new AtlasError("SHAPE_MISMATCH", `${name}: ${rows.length} values for ${n} × ${dim}`);
}

/** The k most cosine-similar other rows of every row of `rows` ([n × dim], row-major). */
export function cosineTopK(
  rows: ArrayLike<number>,
  n: number,
  dim: number,
  k: number,
  opts: CosineTopKOptions = {},
): NeighbourLists {
  checkTopKArgs(rows, n, dim, k, "cosineTopK");
  const { data, live } = normalizedRows(rows, n, dim, opts.center ?? false);
  const lists = new TopLists(n, k);
  const block = Math.max(1, opts.blockRows ?? 32);
  for (let ib = 0; ib < n; ib += block) {
    const ie = Math.min(n, ib + block);
    for (let j = ib + 1; j < n; j++) {
      if (!live[j]) continue;
      const oj = j * dim;
      const iEnd = Math.min(ie, j);
      let i = ib;
      // four rows of the block against row j at once: each value of row j is loaded once for four products
      for (; i + 3 < iEnd; i += 4) {
        const o0 = i * dim,
          o1 = o0 + dim,
          o2 = o1 + dim,
          o3 = o2 + dim;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        for (let d = 0; d < dim; d++) {
          const v = data[oj + d];
          s0 += data[o0 + d] * v;
          s1 += data[o1 + d] * v;
          s2 += data[o2 + d] * v;
          s3 += data[o3 + d] * v;
        }
        if (live[i]) {
          const c = clamp(s0);
          lists.push(i, j, c);
          lists.push(j, i, c);
        }
        if (live[i + 1]) {
          const c = clamp(s1);
          lists.push(i + 1, j, c);
          lists.push(j, i + 1, c);
        }
        if (live[i + 2]) {
          const c = clamp(s2);
          lists.push(i + 2, j, c);
          lists.push(j, i + 2, c);
        }
        if (live[i + 3]) {
          const c = clamp(s3);
          lists.push(i + 3, j, c);
          lists.push(j, i + 3, c);
        }
      }
      for (; i < iEnd; i++) {
        if (!live[i]) continue;
        const oi = i * dim;
        let s0 = 0;
        for (let d = 0; d < dim; d++) s0 += data[oi + d] * data[oj + d];
        const c = clamp(s0);
        lists.push(i, j, c);
        lists.push(j, i, c);
      }
    }
  }
  return lists.finish();
}
