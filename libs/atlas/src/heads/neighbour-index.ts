// Neighbour key positions of every query position of an attention layout — image grids: the 4- (or 8-)
// adjacent patches of a patch query; token sequences: the previous token (q ≥ 1). `neighbourIndex` gives the
// same lists flattened into typed arrays (CSR form) and caches them per (layout, seqLen), so the streaming
// head statistics look them up once per batch instead of rebuilding them.
import { AtlasError } from "../errors";
import { assertNonNegativeInt, assertPositiveInt } from "../util/validate";

export type AttentionLayout =
  | {
      kind: "grid";
      rows: number;
      cols: number;
      /** position of the first patch token (row-major patches) */ firstPatch: number;
      neighbourhood?: 4 | 8;
    }
  | { kind: "tokens" };

/** neighbours of query q are keys[start[q] .. start[q + 1]), ascending, in the order of `neighbourPositions` */
export interface NeighbourIndex {
  start: Int32Array;
  keys: Int32Array;
}

/** neighbour key positions of each query position (empty when it has none), ascending */
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
  if (neighbourhood !== 4 && neighbourhood !== 8)
    throw new AtlasError("BAD_OPTION", `neighbourhood must be 4 or 8, got ${neighbourhood}`);
  if (firstPatch + rows * cols > seqLen) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `grid ${rows}×${cols} from position ${firstPatch} does not fit in seqLen ${seqLen}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if ((dr === 0 && dc === 0) || (neighbourhood === 4 && dr !== 0 && dc !== 0)) continue;
          const rr = r + dr,
            cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols)
            out[firstPatch + r * cols + c].push(firstPatch + rr * cols + cc);
        }
      }
    }
  }
  return out;
}

const MAX_CACHED = 64;
const cache = new Map<string, NeighbourIndex>();

function cacheKey(layout: AttentionLayout, seqLen: number): string {
  return layout.kind === "tokens"
    ? `tokens|${seqLen}`
    : `grid|${layout.rows}|${layout.cols}|${layout.firstPatch}|${layout.neighbourhood ?? 4}|${seqLen}`;
}

/** `neighbourPositions` flattened; cached per (layout, seqLen) — callers must not modify the arrays */
export function neighbourIndex(layout: AttentionLayout, seqLen: number): NeighbourIndex {
  const key = cacheKey(layout, seqLen);
  const hit = cache.get(key);
  if (hit) return hit;
  const lists = neighbourPositions(layout, seqLen);
  const start = new Int32Array(seqLen + 1);
  for (let q = 0; q < seqLen; q++) start[q + 1] = start[q] + lists[q].length;
  const keys = Int32Array.from(lists.flat());
  const index = { start, keys };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, index);
  return index;
}
