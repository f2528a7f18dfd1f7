// Bilinear upsampling of a unit's patch-grid activation map to mask resolution (Network Dissection).
// Pixel-centre alignment (align_corners = false, as torch.nn.functional.interpolate and PIL): output pixel i
// samples source coordinate (i + 0.5)·src/dst − 0.5, clamped to [0, src − 1], and interpolates linearly
// between the two nearest source cells on each axis. So each grid cell's value sits at its patch centre and
// the border beyond the outermost centres repeats the edge value.
import { AtlasError } from "../errors";
import { assertLength, assertPositiveInt } from "../util/validate";

/** Per-axis sampling table: output index i reads source cells lo[i], hi[i] with weight (1 − w[i], w[i]). */
export interface BilinearAxis {
  lo: Int32Array;
  hi: Int32Array;
  w: Float64Array;
}

/** The sampling table of one axis from `src` cells to `dst` pixels. */
export function bilinearAxis(src: number, dst: number): BilinearAxis {
  assertPositiveInt(src, "source size");
  assertPositiveInt(dst, "destination size");
  const lo = new Int32Array(dst),
    hi = new Int32Array(dst),
    w = new Float64Array(dst);
  const scale = src / dst;
  for (let i = 0; i < dst; i++) {
    const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), src - 1);
    const l = Math.floor(x);
    lo[i] = l;
    hi[i] = Math.min(l + 1, src - 1);
    w[i] = x - l;
  }
  return { lo, hi, w };
}

/**
 * Upsamples `map` [srcRows × srcCols] (row-major, read from `offset` with element `stride`, so a unit can be
 * read straight out of an [positions × units] tensor) to [dstRows × dstCols] into `out` (allocated if absent).
 */
export function upsampleBilinear(
  map: ArrayLike<number>,
  srcRows: number,
  srcCols: number,
  dstRows: number,
  dstCols: number,
  out?: Float64Array,
  offset = 0,
  stride = 1,
  axes?: { rows: BilinearAxis; cols: BilinearAxis },
): Float64Array {
  assertPositiveInt(stride, "stride");
  const rows = axes?.rows ?? bilinearAxis(srcRows, dstRows);
  const cols = axes?.cols ?? bilinearAxis(srcCols, dstCols);
  if (rows.w.length !== dstRows || cols.w.length !== dstCols)
    throw new AtlasError("SHAPE_MISMATCH", "sampling tables do not match the destination size");
  if (offset < 0 || offset + (srcRows * srcCols - 1) * stride >= map.length) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `a ${srcRows}×${srcCols} map at offset ${offset}, stride ${stride} does not fit in ${map.length} values`,
    );
  }
  const result = out ?? new Float64Array(dstRows * dstCols);
  assertLength(result, dstRows * dstCols, "out");
  for (let y = 0; y < dstRows; y++) {
    const r0 = offset + rows.lo[y] * srcCols * stride,
      r1 = offset + rows.hi[y] * srcCols * stride,
      wy = rows.w[y];
    for (let x = 0; x < dstCols; x++) {
      const c0 = cols.lo[x] * stride,
        c1 = cols.hi[x] * stride,
        wx = cols.w[x];
      const top = map[r0 + c0] + wx * (map[r0 + c1] - map[r0 + c0]);
      const bottom = map[r1 + c0] + wx * (map[r1 + c1] - map[r1 + c0]);
      result[y * dstCols + x] = top + wy * (bottom - top);
    }
  }
  return result;
}

/**
 * Network Dissection's mask of one map: active[i] = 1 where upsampleBilinear(map) exceeds `threshold`, else 0;
 * returns the number of active pixels. Same arithmetic as upsampleBilinear, but it only evaluates pixels that
 * read at least one source cell above the threshold: any other pixel is a convex combination of cells
 * ≤ threshold and cannot exceed it. `scratch` (optional, srcRows·srcCols + srcRows bytes) avoids allocation.
 */
export function thresholdUpsampled(
  map: ArrayLike<number>,
  srcRows: number,
  srcCols: number,
  axes: { rows: BilinearAxis; cols: BilinearAxis },
  threshold: number,
  active: Uint8Array,
  offset = 0,
  stride = 1,
  scratch?: Uint8Array,
): number {
  const { rows, cols } = axes;
  const dstRows = rows.w.length,
    dstCols = cols.w.length;
  assertLength(active, dstRows * dstCols, "active");
  const hot = scratch ?? new Uint8Array(srcRows * srcCols + srcRows);
  const rowHot = srcRows * srcCols; // hot[rowHot + r] = row r has a cell above the threshold
  hot.fill(0, 0, srcRows * srcCols + srcRows);
  let any = false;
  for (let r = 0; r < srcRows; r++)
    for (let c = 0; c < srcCols; c++)
      if (map[offset + (r * srcCols + c) * stride] > threshold) {
        hot[r * srcCols + c] = 1;
        hot[rowHot + r] = 1;
        any = true;
      }
  active.fill(0);
  if (!any) return 0;
  let area = 0;
  for (let y = 0; y < dstRows; y++) {
    const lo = rows.lo[y],
      hi = rows.hi[y];
    if (!hot[rowHot + lo] && !hot[rowHot + hi]) continue;
    const r0 = offset + lo * srcCols * stride,
      r1 = offset + hi * srcCols * stride,
      wy = rows.w[y];
    for (let x = 0; x < dstCols; x++) {
      const cl = cols.lo[x],
        ch = cols.hi[x];
      if (!hot[lo * srcCols + cl] && !hot[lo * srcCols + ch] && !hot[hi * srcCols + cl] && !hot[hi * srcCols + ch])
        continue;
      const c0 = cl * stride,
        c1 = ch * stride,
        wx = cols.w[x];
      const top = map[r0 + c0] + wx * (map[r0 + c1] - map[r0 + c0]);
      const bottom = map[r1 + c0] + wx * (map[r1 + c1] - map[r1 + c0]);
      if (top + wy * (bottom - top) > threshold) {
        active[y * dstCols + x] = 1;
        area++;
      }
    }
  }
  return area;
}
