// The two sweeps behind UnitStatsAccumulator.addPositions over a hook tensor [examples × positions × units]: both
// accumulate, per unit, the sum / min / max and the value-slot counts (LogBins.float32SlotTable) of each example's
// real positions, and each example's max over them, into a scratch the caller commits. They give bit-identical
// results (per unit the same additions in the same order: positions ascending, example by example):
// - sweepByUnit walks unit by unit down an example's positions: cheapest on dense tensors (MLP, residual stream);
// - sweepByPosition walks each position's units contiguously and skips exact zeros (±0) with one comparison,
//   adding their count per unit afterwards: several times cheaper on sparse tensors (SAE features, where most values
//   are 0). Skipping ±0 in a sum is exact: a float64 sum of float32 values that starts at +0 is never -0.
// A max or min that is zero is +0 in both (a -0 among the values would otherwise win or lose by its position).
// chooseSweep picks by the share of exact zeros in the first example's real positions.
import { AtlasError } from "../errors";
import { FLOAT32_KEY_SHIFT, VALUE_SLOTS, type LogBins } from "./log-bins";

/** What one call accumulates before it is committed: copies of the running sums/min/max, counts per unit and slot. */
export interface SweepScratch {
  /** per unit: running sum, min and max (started from the accumulator's state) */
  sum: Float64Array;
  minValue: Float64Array;
  maxValue: Float64Array;
  /** units × slots counts (VALUE_SLOTS order, then the bins, then overflow) */
  slotCounts: Float64Array;
  /** each example's max over its real positions [examples × units] */
  out: Float32Array;
  /** set by sweepByPosition: 1 for the units with a non-zero value (the others only counted zeros); null: all */
  touched: Uint8Array | null;
}

export interface SweepInput {
  values: Float32Array;
  examples: number;
  positions: number;
  units: number;
  /** real positions per example (validated by the caller: integers in [1, positions]); null: all are real */
  validPositions: ArrayLike<number> | null;
  bins: LogBins;
}

export type PositionSweep = "by-unit" | "by-position";

/** a zero share at or above which sweepByPosition is the cheaper sweep (measured: docs/benchmarks.md, bench:stats) */
export const SPARSE_SWEEP_ZERO_SHARE = 0.5;

/** The cheaper sweep for this tensor: by position where the first example's real positions are mostly exact zeros. */
export function chooseSweep(input: SweepInput): PositionSweep {
  const { values, units } = input;
  const end = (input.validPositions ? input.validPositions[0] : input.positions) * units;
  const bits = new Int32Array(values.buffer, values.byteOffset, end);
  let zeros = 0;
  for (let i = 0; i < end; i++) if (bits[i] === 0) zeros++;
  return zeros >= SPARSE_SWEEP_ZERO_SHARE * end ? "by-position" : "by-unit";
}

/** Unit by unit down each example's real positions. */
export function sweepByUnit(input: SweepInput, scratch: SweepScratch): void {
  const { values, examples, positions, units, bins, validPositions } = input;
  const { sum, minValue, maxValue, slotCounts, out } = scratch;
  const table = bins.float32SlotTable(),
    shift = FLOAT32_KEY_SHIFT; // a local: hot-loop reads of a module binding are property loads
  const slots = slotCount(bins);
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  for (let e = 0; e < examples; e++) {
    const n = validPositions ? validPositions[e] : positions;
    const base = e * positions * units;
    for (let u = 0; u < units; u++) {
      let s = sum[u],
        min = minValue[u],
        max = -Infinity;
      const row = u * slots;
      for (let i = base + u, end = base + n * units; i < end; i += units) {
        const v = values[i];
        s += v;
        if (v > max) max = v;
        if (v < min) min = v;
        let slot = table[bits[i] >>> shift];
        // -1: a key shared by two slots (an edge, or ±0 with the denormals of its sign)
        if (slot < 0) slot = bins.slotOf(v);
        slotCounts[row + slot]++;
      }
      // a finite running sum stays finite with finite values (float64 over float32 inputs), so a non-finite sum
      // means a NaN/±Infinity among these positions
      if (s - s !== 0) throw nonFinite(values, base, n, units, e);
      if (max === 0) max = 0; // -0 → +0
      if (min === 0) min = 0;
      sum[u] = s;
      minValue[u] = min;
      if (max > maxValue[u]) maxValue[u] = max;
      out[e * units + u] = max;
    }
  }
}

/** Position by position over contiguous units, exact zeros skipped and counted per unit afterwards. */
export function sweepByPosition(input: SweepInput, scratch: SweepScratch): void {
  const { values, examples, positions, units, bins, validPositions } = input;
  const { sum, minValue, maxValue, slotCounts, out } = scratch;
  const table = bins.float32SlotTable(),
    shift = FLOAT32_KEY_SHIFT,
    zeroSlot = VALUE_SLOTS.zero;
  const slots = slotCount(bins);
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const exampleMax = new Float64Array(units);
  const nonZero = new Int32Array(units);
  const touched = (scratch.touched = new Uint8Array(units));
  for (let e = 0; e < examples; e++) {
    const n = validPositions ? validPositions[e] : positions;
    const base = e * positions * units;
    exampleMax.fill(-Infinity);
    nonZero.fill(0);
    for (let t = 0; t < n; t++) {
      const rowBase = base + t * units;
      for (let u = 0; u < units; u++) {
        const b = bits[rowBase + u];
        if ((b & 0x7fffffff) === 0) continue; // ±0
        const v = values[rowBase + u];
        nonZero[u]++;
        sum[u] += v;
        if (v > exampleMax[u]) exampleMax[u] = v;
        if (v < minValue[u]) minValue[u] = v;
        let slot = table[b >>> shift];
        if (slot < 0) slot = bins.slotOf(v);
        slotCounts[u * slots + slot]++;
      }
    }
    for (let u = 0; u < units; u++) {
      if (sum[u] - sum[u] !== 0) throw nonFinite(values, base, n, units, e);
      let max = exampleMax[u];
      const zeros = n - nonZero[u];
      if (zeros < n) touched[u] = 1;
      if (zeros > 0) {
        slotCounts[u * slots + zeroSlot] += zeros;
        if (!(max > 0)) max = 0;
        if (minValue[u] > 0) minValue[u] = 0;
      }
      if (max > maxValue[u]) maxValue[u] = max;
      out[e * units + u] = max;
    }
  }
}

/** slots per unit in SweepScratch.slotCounts: negative, zero, underflow, the bins, overflow */
export function slotCount(bins: LogBins): number {
  return VALUE_SLOTS.firstBin + bins.bins + 1;
}

/** NON_FINITE naming the first NaN/±Infinity (row-major) among example e's first n positions, which start at `base` */
function nonFinite(values: Float32Array, base: number, n: number, units: number, e: number): AtlasError {
  let i = base;
  while (i < base + n * units - 1 && Number.isFinite(values[i])) i++;
  const t = Math.floor((i - base) / units);
  return new AtlasError("NON_FINITE", `values[${i}] is ${values[i]} (example ${e}, position ${t}, unit ${i % units})`);
}
