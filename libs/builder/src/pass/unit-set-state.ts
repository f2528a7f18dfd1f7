// Streaming state of one neuron/SAE unit set: top-k examples with per-position values (TopKTracker), quantile
// samples by activation band with per-position values (QuantileSampler, coarse bins to keep checkpoints small), and
// position-level statistics (histogram, density, max). Memory is O(units × k × positions + units × bins),
// independent of the number of examples; snapshot() gives typed arrays (binary checkpoint body), restore() takes them
// or the number arrays of older JSON checkpoints. A hook tensor is swept once per batch (finiteness, statistics and
// per-example max together: UnitStatsAccumulator.addPositions); top-k and quantiles read only what they keep.
import {
  AtlasError,
  QuantileSampler,
  TopKTracker,
  UnitStatsAccumulator,
  type QuantileSamplerSnapshot,
  type RestoreMode,
  type SnapshotMode,
  type TopKSnapshot,
  type UnitStatsSnapshot,
} from "@mmatlas/atlas";
import { PassProfile } from "./pass-profile";

export const HISTOGRAM_BINS = { min: 1e-3, max: 1e2, bins: 40 };
export const QUANTILE_BINS = { min: 1e-3, max: 1e2, bins: 25, perBin: 2 };

export interface UnitSetStateSnapshot {
  top: TopKSnapshot;
  quantiles: QuantileSamplerSnapshot;
  stats: UnitStatsSnapshot;
}

export class UnitSetState {
  private constructor(
    readonly top: TopKTracker,
    readonly quantiles: QuantileSampler,
    readonly stats: UnitStatsAccumulator,
  ) {}

  static create(units: number, positions: number, k: number, seed: number): UnitSetState {
    return new UnitSetState(
      new TopKTracker({ units, k, positions }),
      new QuantileSampler({ units, positions, seed, ...QUANTILE_BINS }),
      new UnitStatsAccumulator({ units, ...HISTOGRAM_BINS }),
    );
  }

  get units(): number {
    return this.top.units;
  }
  get positions(): number {
    return this.top.positions;
  }

  /**
   * One batch of a hook/SAE tensor [examples × positionsIn × units]; `valid[e]` leading positions are real (the
   * rest padding). `positionsIn` (default: the state's positions) may be fewer, for a text batch run at its longest
   * row: the kept per-position values are zero after it, as after any padding. The per-example activation is the
   * max over valid positions. The tensor is consumed: its padding positions are zeroed in place (stored
   * per-position values only show real tokens), sparing a copy per batch.
   */
  add(
    exampleIds: number[],
    values: Float32Array,
    valid?: number[],
    profile = new PassProfile(),
    positionsIn = this.positions,
  ): void {
    const n = exampleIds.length,
      P = positionsIn,
      U = this.units;
    // before anything is fed: the statistics sweep commits before top-k and quantiles would see a bad length
    if (!Number.isInteger(P) || P < 1 || P > this.positions)
      throw new AtlasError("BAD_INPUT", `a tensor at ${P} positions per example; this unit set has ${this.positions}`);
    // one sweep over the real positions: finiteness (a NaN/±Infinity throws before anything changes), position
    // statistics and each example's max; everything below is derived from it, so it stays finite
    const activations = profile.time("accumulate.stats", () => this.stats.addPositions(values, n, P, valid));
    if (valid) profile.time("accumulate.mask", () => zeroPadding(values, n, P, U, valid));
    const batch = { exampleIds, activations, positionValues: values, positionStride: P, checkedFinite: true };
    profile.time("accumulate.topk", () => this.top.add(batch));
    profile.time("accumulate.quantiles", () => this.quantiles.add(batch));
  }

  byteSize(): number {
    return this.top.byteSize() + this.quantiles.byteSize() + this.stats.byteSize();
  }

  /** bytes create(units, positions, k) allocates (what its byteSize() will say), without allocating them */
  static bytesFor(units: number, positions: number, k: number): number {
    return (
      TopKTracker.bytesFor({ units, k, positions }) +
      QuantileSampler.bytesFor({ units, positions, ...QUANTILE_BINS }) +
      UnitStatsAccumulator.bytesFor({ units, ...HISTOGRAM_BINS })
    );
  }

  /** copies of the buffers, or with "share" views of them (the end-of-pass checkpoint: nothing feeds the state after it) */
  snapshot(mode: SnapshotMode = "copy"): UnitSetStateSnapshot {
    return {
      top: this.top.snapshot(mode),
      quantiles: this.quantiles.snapshot(mode),
      stats: this.stats.snapshot(mode),
    };
  }

  /** mode "adopt": the snapshot's typed arrays become the state's buffers (a snapshot nothing else holds) */
  static restore(s: UnitSetStateSnapshot, mode: RestoreMode = "copy"): UnitSetState {
    return new UnitSetState(
      TopKTracker.restore(s.top, mode),
      QuantileSampler.restore(s.quantiles, mode),
      UnitStatsAccumulator.restore(s.stats, mode),
    );
  }
}

/** padding positions set to 0, in place */
function zeroPadding(values: Float32Array, n: number, P: number, U: number, valid: number[]): void {
  for (let e = 0; e < n; e++) values.fill(0, (e * P + valid[e]) * U, (e + 1) * P * U);
}
