// Streaming per-unit statistics over rows (examples, or tokens/patches — the caller decides what a row is):
// a log-spaced histogram of positive values with zero / negative / underflow / overflow counts, density
// (fraction of rows where the unit is > 0), max, min and mean. Memory O(units × bins); checkpointable.
import { AtlasError } from "../errors";
import {
  adoptOrCopy,
  isNumberList,
  snapshotArray,
  snapshotCopy,
  type NumberList,
  type RestoreMode,
  type SnapshotMode,
} from "../util/snapshot-arrays";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { DEFAULT_LOG_BINS, LogBins, VALUE_SLOTS, type LogBinsOptions } from "./log-bins";
import {
  chooseSweep,
  slotCount,
  sweepByPosition,
  sweepByUnit,
  type PositionSweep,
  type SweepInput,
  type SweepScratch,
} from "./position-sweeps";

export interface UnitStatsOptions extends LogBinsOptions {
  units: number;
}

export interface UnitStats {
  /** rows seen */
  total: number;
  /** rows with value > 0 */
  positive: number;
  /** rows with value exactly 0 */
  zero: number;
  /** rows with value < 0 (not binned: the bins are log-spaced) */
  negative: number;
  /** rows with 0 < value < edges[0] */
  underflow: number;
  /** rows with value ≥ edges[last] */
  overflow: number;
  /** bins + 1 log-spaced edges; counts[i] covers [edges[i], edges[i+1]) */
  edges: number[];
  counts: number[];
  /** positive / total (0 when no rows) */
  density: number;
  /** null when no rows were seen */
  max: number | null;
  min: number | null;
  mean: number | null;
}

export interface UnitStatsSnapshot {
  kind: "unit-stats";
  version: 1;
  units: number;
  bins: { min: number; max: number; bins: number };
  total: number;
  /** typed arrays (Float64Array) from snapshot(); restore() also takes number[] */
  counts: NumberList;
  zero: NumberList;
  negative: NumberList;
  underflow: NumberList;
  overflow: NumberList;
  sum: NumberList;
  max: NumberList;
  min: NumberList;
}

export class UnitStatsAccumulator {
  readonly units: number;
  readonly bins: LogBins;
  private total = 0;
  private counts: Float64Array;
  private zero: Float64Array;
  private negative: Float64Array;
  private underflow: Float64Array;
  private overflow: Float64Array;
  private sum: Float64Array;
  private readonly maxValue: Float64Array;
  private readonly minValue: Float64Array;

  /** bytes an accumulator with these options allocates (what byteSize() of one will say), without allocating it */
  static bytesFor(options: UnitStatsOptions): number {
    return options.units * ((options.bins ?? DEFAULT_LOG_BINS.bins) + 7) * 8;
  }

  constructor(options: UnitStatsOptions) {
    assertPositiveInt(options.units, "units");
    this.units = options.units;
    this.bins = new LogBins(options);
    const u = this.units;
    this.counts = new Float64Array(u * this.bins.bins);
    this.zero = new Float64Array(u);
    this.negative = new Float64Array(u);
    this.underflow = new Float64Array(u);
    this.overflow = new Float64Array(u);
    this.sum = new Float64Array(u);
    this.maxValue = new Float64Array(u).fill(-Infinity);
    this.minValue = new Float64Array(u).fill(Infinity);
  }

  /** bytes held by the accumulator's buffers (fixed at construction) */
  byteSize(): number {
    return (
      this.counts.byteLength +
      this.zero.byteLength +
      this.negative.byteLength +
      this.underflow.byteLength +
      this.overflow.byteLength +
      this.sum.byteLength +
      this.maxValue.byteLength +
      this.minValue.byteLength
    );
  }

  /** Adds rows × units values (row-major: values[r * units + u]). */
  add(values: Float32Array | Float64Array, options: { checkedFinite?: boolean } = {}): void {
    if (values.length % this.units !== 0) {
      throw new AtlasError(
        "SHAPE_MISMATCH",
        `values has length ${values.length}, not a multiple of units (${this.units})`,
      );
    }
    if (!options.checkedFinite) assertAllFinite(values, "values");
    const rows = values.length / this.units;
    const { units, bins, sum, maxValue, minValue, zero, negative, underflow, overflow, counts } = this;
    const lo = bins.min;
    const hi = bins.max;
    const nb = bins.bins;
    // float32 input: the bin's table key comes straight from the value's bits
    const bits =
      values instanceof Float32Array ? new Int32Array(values.buffer, values.byteOffset, values.length) : null;
    for (let r = 0; r < rows; r++) {
      const row = r * units;
      for (let u = 0; u < units; u++) {
        const v = values[row + u];
        sum[u] += v;
        if (v > maxValue[u]) maxValue[u] = v;
        if (v < minValue[u]) minValue[u] = v;
        if (v === 0) zero[u]++;
        else if (v < 0) negative[u]++;
        else if (v < lo) underflow[u]++;
        else if (v >= hi) overflow[u]++;
        else counts[u * nb + (bits ? bins.indexOfFloat32(v, bits[row + u]) : bins.indexOf(v))]++;
      }
    }
    // a zero max / min is +0, as addPositions stores it (a -0 would win or lose by its position)
    for (let u = 0; u < units; u++) {
      if (maxValue[u] === 0) maxValue[u] = 0;
      if (minValue[u] === 0) minValue[u] = 0;
    }
    this.total += rows;
  }

  /**
   * Adds the real positions of a hook tensor [examples × positions × units] (row-major, the layout [B, T, U]) as rows:
   * example e's first `validPositions[e]` positions (default all; the rest is padding and skipped). One sweep that
   * also returns each example's max over its real positions [examples × units] (reduceOverPositions "max") and checks
   * finiteness: bit for bit add(rows of the real positions) + reduceOverPositions, without copies or extra sweeps.
   * The sweep (position-sweeps.ts) is unit by unit on dense tensors and position by position, skipping exact zeros,
   * on sparse ones (SAE features); `sweep` forces one (tests, benchmarks). Counts go through LogBins' float32 slot
   * table into a scratch row per unit, and everything is committed at the end: a NaN/±Infinity at a real position
   * (NON_FINITE) or a bad validPositions (BAD_INPUT) throws and leaves the accumulator unchanged.
   */
  addPositions(
    values: Float32Array,
    examples: number,
    positions: number,
    validPositions?: ArrayLike<number>,
    sweep: PositionSweep | "auto" = "auto",
  ): Float32Array {
    assertPositiveInt(positions, "positions");
    const { units, bins } = this;
    assertLength(values, examples * positions * units, "values");
    let rows = examples * positions;
    if (validPositions) {
      assertLength(validPositions, examples, "validPositions");
      rows = 0;
      for (let e = 0; e < examples; e++) {
        const n = validPositions[e];
        if (!Number.isInteger(n) || n < 1 || n > positions)
          throw new AtlasError("BAD_INPUT", `validPositions[${e}] must be an integer in [1, ${positions}], got ${n}`);
        rows += n;
      }
    }
    const input: SweepInput = {
      values,
      examples,
      positions,
      units,
      bins,
      validPositions: validPositions ?? null,
    };
    const slots = slotCount(bins);
    const scratch: SweepScratch = {
      sum: this.sum.slice(),
      minValue: this.minValue.slice(),
      maxValue: this.maxValue.slice(),
      slotCounts: new Float64Array(units * slots),
      out: new Float32Array(examples * units),
      touched: null,
    };
    const chosen = sweep === "auto" ? (examples > 0 ? chooseSweep(input) : "by-unit") : sweep;
    if (chosen === "by-position") sweepByPosition(input, scratch);
    else sweepByUnit(input, scratch);
    // commit (counts are integers: exact in any order)
    const { slotCounts, touched } = scratch;
    this.sum.set(scratch.sum);
    this.minValue.set(scratch.minValue);
    this.maxValue.set(scratch.maxValue);
    const nb = bins.bins;
    for (let u = 0; u < units; u++) {
      const row = u * slots;
      if (touched && !touched[u]) {
        this.zero[u] += slotCounts[row + VALUE_SLOTS.zero]; // only zeros in this call
        continue;
      }
      this.negative[u] += slotCounts[row + VALUE_SLOTS.negative];
      this.zero[u] += slotCounts[row + VALUE_SLOTS.zero];
      this.underflow[u] += slotCounts[row + VALUE_SLOTS.underflow];
      for (let b = 0; b < nb; b++) this.counts[u * nb + b] += slotCounts[row + VALUE_SLOTS.firstBin + b];
      this.overflow[u] += slotCounts[row + VALUE_SLOTS.firstBin + nb];
    }
    this.total += rows;
    return scratch.out;
  }

  get rows(): number {
    return this.total;
  }

  result(unit: number): UnitStats {
    if (!Number.isInteger(unit) || unit < 0 || unit >= this.units) {
      throw new AtlasError("BAD_INPUT", `unit must be an integer in [0, ${this.units}), got ${unit}`);
    }
    const nb = this.bins.bins;
    const counts = Array.from(this.counts.subarray(unit * nb, (unit + 1) * nb));
    const binned = counts.reduce((a, b) => a + b, 0);
    const positive = binned + this.underflow[unit] + this.overflow[unit];
    const empty = this.total === 0;
    return {
      total: this.total,
      positive,
      zero: this.zero[unit],
      negative: this.negative[unit],
      underflow: this.underflow[unit],
      overflow: this.overflow[unit],
      edges: Array.from(this.bins.edges),
      counts,
      density: empty ? 0 : positive / this.total,
      max: empty ? null : this.maxValue[unit],
      min: empty ? null : this.minValue[unit],
      mean: empty ? null : this.sum[unit] / this.total,
    };
  }

  /** The state as typed arrays: copies, or with mode "share" views of the live buffers (see SnapshotMode). */
  snapshot(mode: SnapshotMode = "copy"): UnitStatsSnapshot {
    return {
      kind: "unit-stats",
      version: 1,
      units: this.units,
      bins: { min: this.bins.min, max: this.bins.max, bins: this.bins.bins },
      total: this.total,
      counts: snapshotArray(this.counts, mode),
      zero: snapshotArray(this.zero, mode),
      negative: snapshotArray(this.negative, mode),
      underflow: snapshotArray(this.underflow, mode),
      overflow: snapshotArray(this.overflow, mode),
      sum: snapshotArray(this.sum, mode),
      // ±Infinity is not JSON: before any row max/min are written as 0 and restored as ±Infinity (total = 0)
      max: finiteOrZero(this.maxValue),
      min: finiteOrZero(this.minValue),
    };
  }

  /** mode "adopt": the snapshot's typed arrays become the accumulator's buffers (see RestoreMode) */
  static restore(s: UnitStatsSnapshot, mode: RestoreMode = "copy"): UnitStatsAccumulator {
    if (s?.kind !== "unit-stats" || s.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 unit-stats snapshot");
    const acc = new UnitStatsAccumulator({ units: s.units, ...s.bins });
    const u = acc.units;
    const ok =
      isNumberList(s.counts) &&
      s.counts.length === u * acc.bins.bins &&
      [s.zero, s.negative, s.underflow, s.overflow, s.sum, s.max, s.min].every(
        (a) => isNumberList(a) && a.length === u,
      ) &&
      Number.isInteger(s.total) &&
      s.total >= 0;
    if (!ok) throw new AtlasError("BAD_SNAPSHOT", "unit-stats snapshot arrays do not match its units/bins");
    acc.total = s.total;
    acc.counts = adoptOrCopy(acc.counts, s.counts, mode);
    acc.zero = adoptOrCopy(acc.zero, s.zero, mode);
    acc.negative = adoptOrCopy(acc.negative, s.negative, mode);
    acc.underflow = adoptOrCopy(acc.underflow, s.underflow, mode);
    acc.overflow = adoptOrCopy(acc.overflow, s.overflow, mode);
    acc.sum = adoptOrCopy(acc.sum, s.sum, mode);
    if (s.total > 0) {
      acc.maxValue.set(s.max);
      acc.minValue.set(s.min);
    }
    return acc;
  }
}

function finiteOrZero(values: Float64Array): Float64Array {
  const out = snapshotCopy(values);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = 0;
  return out;
}
