// Per-head statistics of attention patterns [batch × heads × queries × keys] (rows = queries):
//   toCls        mean over valid queries of the attention mass on CLS positions
//   toSelf       mean over valid queries of A[q, q]
//   toNeighbours mean over queries that have neighbours of the mass on them — image grids: the 4- (or 8-)
//                adjacent patches of a patch query; token sequences: the previous token (q ≥ 1)
//   entropy      mean over valid queries of −Σ_k A[q, k]·ln A[q, k] (nats; 0·ln 0 = 0)
// `validLengths[b]` limits item b to its first n positions as queries and keys (e.g. text padding).
// Hot path of the streaming build: one allocation-free pass over each valid query row computes all four sums;
// every running sum adds its terms in the same order as the plain definition (batch, query, key ascending),
// so the results do not depend on how the loops are arranged.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { neighbourIndex, type AttentionLayout } from "./neighbour-index";

export { neighbourPositions, type AttentionLayout } from "./neighbour-index";

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

/** throws NON_FINITE (naming the first bad entry) unless every entry is finite */
function assertPatternsFinite(patterns: Float32Array | Float64Array): void {
  let ok = true;
  for (let i = 0; i < patterns.length; i++) {
    const v = patterns[i];
    if (v - v !== 0) {
      ok = false;
      break;
    } // NaN and ±Infinity give NaN
  }
  if (!ok) assertAllFinite(patterns, "patterns");
}

function validatedLengths(validLengths: ArrayLike<number> | undefined, batch: number, seqLen: number): Int32Array {
  const lengths = new Int32Array(batch).fill(seqLen);
  if (!validLengths) return lengths;
  assertLength(validLengths, batch, "validLengths");
  for (let b = 0; b < batch; b++) {
    const n = validLengths[b];
    if (!Number.isInteger(n) || n < 1 || n > seqLen)
      throw new AtlasError("BAD_INPUT", `validLengths[${b}] must be an integer in [1, ${seqLen}], got ${n}`);
    lengths[b] = n;
  }
  return lengths;
}

export function attentionHeadStats(input: AttentionPatterns): HeadStats[] {
  const { patterns, batch, heads, seqLen, clsPositions = [], layout, validLengths } = input;
  assertPositiveInt(batch, "batch");
  assertPositiveInt(heads, "heads");
  assertPositiveInt(seqLen, "seqLen");
  assertLength(patterns, batch * heads * seqLen * seqLen, "patterns (batch × heads × seqLen × seqLen)");
  assertPatternsFinite(patterns);
  for (const p of clsPositions) {
    if (!Number.isInteger(p) || p < 0 || p >= seqLen)
      throw new AtlasError("BAD_INPUT", `clsPositions entry ${p} is outside [0, ${seqLen})`);
  }
  const lengths = validatedLengths(validLengths, batch, seqLen);
  const cls = Int32Array.from(clsPositions);
  const { start: nbStart, keys: nbKeys } = neighbourIndex(layout, seqLen);

  // running sums per head; for each head they see batch items, queries and keys in ascending order
  const clsSum = new Float64Array(heads),
    selfSum = new Float64Array(heads),
    entropySum = new Float64Array(heads);
  const nbSum = new Float64Array(heads),
    nbQueries = new Float64Array(heads);
  let queries = 0;
  for (let b = 0; b < batch; b++) {
    const len = lengths[b];
    queries += len;
    for (let h = 0; h < heads; h++) {
      let clsAcc = clsSum[h],
        selfAcc = selfSum[h],
        entropyAcc = entropySum[h],
        nbAcc = nbSum[h],
        nbCount = nbQueries[h];
      const base = (b * heads + h) * seqLen * seqLen;
      for (let q = 0; q < len; q++) {
        const row = base + q * seqLen;
        selfAcc += patterns[row + q];
        for (let c = 0; c < cls.length; c++) if (cls[c] < len) clsAcc += patterns[row + cls[c]];
        for (let k = row, end = row + len; k < end; k++) {
          const a = patterns[k];
          if (a > 0) entropyAcc -= a * Math.log(a);
        }
        let hasNeighbour = false;
        for (let i = nbStart[q], end = nbStart[q + 1]; i < end; i++) {
          const k = nbKeys[i];
          if (k < len) {
            hasNeighbour = true;
            nbAcc += patterns[row + k];
          }
        }
        if (hasNeighbour) nbCount++;
      }
      clsSum[h] = clsAcc;
      selfSum[h] = selfAcc;
      entropySum[h] = entropyAcc;
      nbSum[h] = nbAcc;
      nbQueries[h] = nbCount;
    }
  }
  const stats: HeadStats[] = [];
  for (let h = 0; h < heads; h++) {
    stats.push({
      head: h,
      toCls: clsSum[h] / queries,
      toSelf: selfSum[h] / queries,
      toNeighbours: nbQueries[h] === 0 ? null : nbSum[h] / nbQueries[h],
      entropy: entropySum[h] / queries,
    });
  }
  return stats;
}
