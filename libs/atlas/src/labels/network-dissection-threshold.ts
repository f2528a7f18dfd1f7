// Network Dissection's first pass: each unit's threshold T_k, the top-quantile activation over every patch
// position of every example (Bau et al. 2017: P(a_k > T_k) = 0.005), computed on the patch grid before
// upsampling (as NetDissect does).
//
// Choice: EXACT quantile with bounded memory. The (1 − q) quantile with linear interpolation (numpy's and
// torch's default: sorted ascending x, h = (N − 1)(1 − q), T = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]))
// only reads the top N − ⌊h⌋ ≤ ⌈(N − 1)q⌉ + 1 values, so each unit keeps a min-heap of that many values,
// sized from the declared dataset size. Memory: 8 bytes × units × (⌈(N − 1)q⌉ + 1), e.g. 3072 units ×
// 10 000 images × 49 patches at q = 0.005 → 60 MB. The result does not depend on batch boundaries or order.
// (A histogram would be bounded independently of N but approximate; a sorted sample would be approximate too.)
import { AtlasError } from "../errors";
import { isNumberList, snapshotCopy, type NumberList } from "../util/snapshot-arrays";
import { assertAllFinite, assertPositiveInt } from "../util/validate";
import { checkGrid, type PatchGrid } from "./network-dissection-grid";

/** Bau et al.'s top quantile: the threshold is exceeded by 0.5 % of activations. */
export const NETDISSECT_TOP_QUANTILE = 0.005;

export interface DissectionThresholdOptions {
  units: number;
  /** positions per example in the fed tensors (grid cells plus any CLS/register tokens) */
  positions: number;
  grid: PatchGrid;
  /** examples that will be fed in all (bounds memory; feeding more is refused) */
  totalExamples: number;
  /** fraction of activations above the threshold, in (0, 1); default 0.005 */
  quantile?: number;
}

export interface DissectionThresholdsSnapshot {
  kind: "dissection-thresholds";
  version: 1;
  options: Required<DissectionThresholdOptions>;
  examplesSeen: number;
  /** heap sizes per unit and the heaps [units × capacity] (typed arrays from snapshot(); restore() also takes number[]) */
  sizes: NumberList;
  heaps: NumberList;
}

/** Values of the top of N that the linear-interpolated (1 − q) quantile reads. */
export function topValuesNeeded(n: number, quantile: number): number {
  return n - Math.floor((n - 1) * (1 - quantile));
}

/** The (1 − q) quantile (linear interpolation) of N values given only their `top` largest, sorted ascending. */
export function quantileFromTop(topAscending: ArrayLike<number>, n: number, quantile: number): number {
  const h = (n - 1) * (1 - quantile);
  const lo = Math.floor(h);
  const first = n - topAscending.length; // global ascending index of topAscending[0]
  if (lo < first)
    throw new AtlasError(
      "BAD_INPUT",
      `the top ${topAscending.length} of ${n} values cannot give the ${1 - quantile} quantile`,
    );
  const a = topAscending[lo - first];
  const b = lo + 1 < n ? topAscending[lo + 1 - first] : a;
  return a + (h - lo) * (b - a);
}

/** Streaming exact per-unit top-quantile thresholds over the grid positions of [examples × positions × units] tensors. */
export class DissectionThresholds {
  readonly units: number;
  readonly positions: number;
  readonly grid: PatchGrid;
  readonly quantile: number;
  readonly totalExamples: number;
  /** heap slots per unit */
  readonly capacity: number;
  private readonly heaps: Float64Array;
  private readonly sizes: Int32Array;
  /** each unit's heap minimum once its heap is full (−∞ before): a dense copy so most values are rejected without touching the heap */
  private readonly floors: Float64Array;
  private examplesSeen = 0;

  constructor(options: DissectionThresholdOptions) {
    const { units, positions, grid, totalExamples, quantile = NETDISSECT_TOP_QUANTILE } = options;
    assertPositiveInt(units, "units");
    assertPositiveInt(totalExamples, "totalExamples");
    checkGrid(grid, positions);
    if (!(quantile > 0 && quantile < 1))
      throw new AtlasError("BAD_OPTION", `quantile must be in (0, 1), got ${quantile}`);
    this.units = units;
    this.positions = positions;
    this.grid = grid;
    this.quantile = quantile;
    this.totalExamples = totalExamples;
    this.capacity = topValuesNeeded(totalExamples * grid.rows * grid.cols, quantile);
    this.heaps = new Float64Array(units * this.capacity);
    this.sizes = new Int32Array(units);
    this.floors = new Float64Array(units).fill(-Infinity);
  }

  get examples(): number {
    return this.examplesSeen;
  }

  /** Feeds a batch [examples × positions × units]; only the grid positions count. */
  add(values: Float32Array | Float64Array): void {
    const { units, positions, capacity: m, heaps, sizes, floors } = this;
    const examples = batchExamples(values, positions, units);
    if (this.examplesSeen + examples > this.totalExamples) {
      throw new AtlasError(
        "BAD_INPUT",
        `fed ${this.examplesSeen + examples} examples, more than the declared totalExamples ${this.totalExamples}`,
      );
    }
    assertAllFinite(values, "values");
    const { rows, cols, firstPatch } = this.grid;
    for (let e = 0; e < examples; e++) {
      for (let t = firstPatch; t < firstPatch + rows * cols; t++) {
        const row = (e * positions + t) * units;
        for (let u = 0; u < units; u++) {
          const v = values[row + u];
          if (v <= floors[u]) continue;
          const base = u * m;
          const size = sizes[u];
          if (size < m) {
            siftUp(heaps, base, size, v);
            sizes[u] = size + 1;
            if (size + 1 === m) floors[u] = heaps[base];
          } else {
            siftDownRoot(heaps, base, m, v);
            floors[u] = heaps[base];
          }
        }
      }
    }
    this.examplesSeen += examples;
  }

  /** T_k for each unit (exact linear-interpolated (1 − q) quantile of all grid activations fed). */
  thresholds(): Float64Array {
    const n = this.examplesSeen * this.grid.rows * this.grid.cols;
    if (n === 0) throw new AtlasError("BAD_INPUT", "no activations were fed");
    const out = new Float64Array(this.units);
    for (let u = 0; u < this.units; u++) {
      const top = this.heaps.slice(u * this.capacity, u * this.capacity + this.sizes[u]).sort();
      out[u] = quantileFromTop(top, n, this.quantile);
    }
    return out;
  }

  /** A checkpoint of the state (copies of the buffers). */
  snapshot(): DissectionThresholdsSnapshot {
    const { units, positions, grid, totalExamples, quantile } = this;
    return {
      kind: "dissection-thresholds",
      version: 1,
      options: { units, positions, grid: { ...grid }, totalExamples, quantile },
      examplesSeen: this.examplesSeen,
      sizes: snapshotCopy(this.sizes),
      heaps: snapshotCopy(this.heaps),
    };
  }

  static restore(s: DissectionThresholdsSnapshot): DissectionThresholds {
    if (s?.kind !== "dissection-thresholds" || s.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 dissection-thresholds snapshot");
    const t = new DissectionThresholds(s.options);
    const ok =
      isNumberList(s.sizes) &&
      isNumberList(s.heaps) &&
      s.sizes.length === t.units &&
      s.heaps.length === t.units * t.capacity &&
      Number.isInteger(s.examplesSeen) &&
      s.examplesSeen >= 0 &&
      s.examplesSeen <= t.totalExamples &&
      Array.prototype.every.call(s.sizes, (n: number) => Number.isInteger(n) && n >= 0 && n <= t.capacity);
    if (!ok)
      throw new AtlasError("BAD_SNAPSHOT", "dissection-thresholds snapshot arrays do not match its units/capacity");
    t.sizes.set(s.sizes);
    t.heaps.set(s.heaps);
    for (let u = 0; u < t.units; u++) if (t.sizes[u] === t.capacity) t.floors[u] = t.heaps[u * t.capacity];
    t.examplesSeen = s.examplesSeen;
    return t;
  }
}

/** Examples in a [examples × positions × units] batch (its length must be a multiple of positions × units). */
export function batchExamples(values: { length: number }, positions: number, units: number): number {
  const per = positions * units;
  if (values.length % per !== 0) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `values has length ${values.length}, not a multiple of positions (${positions}) × units (${units})`,
    );
  }
  return values.length / per;
}

function siftUp(heap: Float64Array, base: number, size: number, v: number): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[base + parent] <= v) break;
    heap[base + i] = heap[base + parent];
    i = parent;
  }
  heap[base + i] = v;
}

/** Replaces the minimum of a full heap with v. */
function siftDownRoot(heap: Float64Array, base: number, size: number, v: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && heap[base + r] < heap[base + l] ? r : l;
    if (heap[base + c] >= v) break;
    heap[base + i] = heap[base + c];
    i = c;
  }
  heap[base + i] = v;
}
