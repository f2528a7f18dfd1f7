// Per-head statistics of attention patterns [batch × heads × queries × keys] (rows = queries):
//   toCls        mean over valid queries of the attention mass on CLS positions
//   toSelf       mean over valid queries of A[q, q]
//   toNeighbours mean over queries that have neighbours of the mass on them — image grids: the 4- (or 8-)
//                adjacent patches of a patch query; token sequences: the previous token (q ≥ 1)
//   entropy      mean over valid queries of −Σ_k A[q, k]·ln A[q, k] (nats; 0·ln 0 = 0)
// `validLengths[b]` limits item b to its first n positions as queries and keys (e.g. text padding).
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertNonNegativeInt, assertPositiveInt } from "../util/validate";

export type AttentionLayout =
  | { kind: "grid"; rows: number; cols: number; /** position of the first patch token (row-major patches) */ firstPatch: number; neighbourhood?: 4 | 8 }
  | { kind: "tokens" };

export interface AttentionPatterns {
  /** [batch × heads × seqLen × seqLen], row-major */
  patterns: Float32Array | Float64Array;
  batch: number;
  heads: number;
  seqLen: number;
  /** positions holding CLS tokens (default none) */
  clsPositions?: readonly number[];
  layout: AttentionLayout;
  validLengths?: ArrayLike<number>;
}

export interface HeadStats {
  head: number;
  toCls: number;
  toSelf: number;
  /** null when no query has neighbours */
  toNeighbours: number | null;
  entropy: number;
}

/** neighbour key positions of each query position (empty when it has none) */
export function neighbourPositions(layout: AttentionLayout, seqLen: number): number[][] {
  const out: number[][] = Array.from({ length: seqLen }, () => []);
  if (layout.kind === "tokens") {
    for (let q = 1; q < seqLen; q++) out[q].push(q - 1);
    return out;
  }
  const { rows, cols, firstPatch, neighbourhood = 4 } = layout;
  assertPositiveInt(rows, "rows");
  assertPositiveInt(cols, "cols");
  assertNonNegativeInt(firstPatch, "firstPatch");
  if (neighbourhood !== 4 && neighbourhood !== 8) throw new AtlasError("BAD_OPTION", `neighbourhood must be 4 or 8, got ${neighbourhood}`);
  if (firstPatch + rows * cols > seqLen) {
    throw new AtlasError("SHAPE_MISMATCH", `grid ${rows}×${cols} from position ${firstPatch} does not fit in seqLen ${seqLen}`);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if ((dr === 0 && dc === 0) || (neighbourhood === 4 && dr !== 0 && dc !== 0)) continue;
          const rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) out[firstPatch + r * cols + c].push(firstPatch + rr * cols + cc);
        }
      }
    }
  }
  return out;
}

export function attentionHeadStats(input: AttentionPatterns): HeadStats[] {
  const { patterns, batch, heads, seqLen, clsPositions = [], layout, validLengths } = input;
  assertPositiveInt(batch, "batch");
  assertPositiveInt(heads, "heads");
  assertPositiveInt(seqLen, "seqLen");
  assertLength(patterns, batch * heads * seqLen * seqLen, "patterns (batch × heads × seqLen × seqLen)");
  assertAllFinite(patterns, "patterns");
  for (const p of clsPositions) {
    if (!Number.isInteger(p) || p < 0 || p >= seqLen) throw new AtlasError("BAD_INPUT", `clsPositions entry ${p} is outside [0, ${seqLen})`);
  }
  if (validLengths) {
    assertLength(validLengths, batch, "validLengths");
    for (let b = 0; b < batch; b++) {
      const n = validLengths[b];
      if (!Number.isInteger(n) || n < 1 || n > seqLen) throw new AtlasError("BAD_INPUT", `validLengths[${b}] must be an integer in [1, ${seqLen}], got ${n}`);
    }
  }
  const neighbours = neighbourPositions(layout, seqLen);
  const stats: HeadStats[] = [];
  for (let h = 0; h < heads; h++) {
    let queries = 0, cls = 0, self = 0, entropy = 0, nbQueries = 0, nb = 0;
    for (let b = 0; b < batch; b++) {
      const len = validLengths ? validLengths[b] : seqLen;
      const base = (b * heads + h) * seqLen * seqLen;
      for (let q = 0; q < len; q++) {
        const row = base + q * seqLen;
        queries++;
        self += patterns[row + q];
        for (const p of clsPositions) if (p < len) cls += patterns[row + p];
        for (let k = 0; k < len; k++) {
          const a = patterns[row + k];
          if (a > 0) entropy -= a * Math.log(a);
        }
        const ks = neighbours[q].filter((k) => k < len);
        if (ks.length > 0) {
          nbQueries++;
          for (const k of ks) nb += patterns[row + k];
        }
      }
    }
    stats.push({ head: h, toCls: cls / queries, toSelf: self / queries, toNeighbours: nbQueries === 0 ? null : nb / nbQueries, entropy: entropy / queries });
  }
  return stats;
}
