// Streaming state of one neuron/SAE unit set: top-k examples with per-position values (TopKTracker), quantile
// samples by activation band with per-position values (QuantileSampler, coarse bins to keep checkpoints small), and
// position-level statistics (histogram, density, max). Memory is O(units × k × positions + units × bins),
// independent of the number of examples; snapshot() gives typed arrays (binary checkpoint body), restore() takes them
// or the number arrays of older JSON checkpoints. A hook tensor is scanned for NaN/±Infinity once per batch.
import {
  AtlasError,
  QuantileSampler,
  TopKTracker,
  UnitStatsAccumulator,
  reduceOverPositions,
  type QuantileSamplerSnapshot,
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
   * One batch of a hook/SAE tensor [examples × positions × units]; `valid[e]` leading positions are real (the
   * rest padding). The per-example activation is the max over valid positions.
   */
  add(exampleIds: number[], values: Float32Array, valid?: number[], profile = new PassProfile()): void {
    const n = exampleIds.length,
      P = this.positions,
      U = this.units;
    // one finiteness scan of the tensor; everything below is derived from it (max, copies), so it stays finite
    profile.time("accumulate.check", () => assertFiniteRows(values, n, P, U, valid));
    const activations = profile.time("accumulate.reduce", () => reduceOverPositions(values, n, P, U, "max", valid));
    const positionValues = profile.time("accumulate.reduce", () =>
      valid ? maskPadding(values, n, P, U, valid) : values,
    );
    const batch = { exampleIds, activations, positionValues, checkedFinite: true };
    profile.time("accumulate.topk", () => this.top.add(batch));
    profile.time("accumulate.quantiles", () => this.quantiles.add(batch));
    profile.time("accumulate.stats", () => this.stats.add(validRows(values, n, P, U, valid), { checkedFinite: true }));
  }

  byteSize(): number {
    return this.top.byteSize() + this.quantiles.byteSize() + this.units * (HISTOGRAM_BINS.bins + 8) * 8;
  }

  snapshot(): UnitSetStateSnapshot {
    return { top: this.top.snapshot(), quantiles: this.quantiles.snapshot(), stats: this.stats.snapshot() };
  }

  static restore(s: UnitSetStateSnapshot): UnitSetState {
    return new UnitSetState(
      TopKTracker.restore(s.top),
      QuantileSampler.restore(s.quantiles),
      UnitStatsAccumulator.restore(s.stats),
    );
  }
}

/** NON_FINITE (AtlasError) naming the first NaN/±Infinity value at a real (non-padding) position */
function assertFiniteRows(values: Float32Array, n: number, P: number, U: number, valid?: number[]): void {
  if (values.length !== n * P * U)
    throw new AtlasError("SHAPE_MISMATCH", `values has length ${values.length}, expected ${n} × ${P} × ${U}`);
  for (let e = 0; e < n; e++) {
    const end = (e * P + (valid ? valid[e] : P)) * U;
    for (let i = e * P * U; i < end; i++) {
      const v = values[i];
      if (v - v !== 0)
        throw new AtlasError(
          "NON_FINITE",
          `values[${i}] is ${v} (example ${e}, position ${Math.floor(i / U) - e * P}, unit ${i % U})`,
        );
    }
  }
}

/** padding positions set to 0 so stored per-token values only show real tokens */
function maskPadding(values: Float32Array, n: number, P: number, U: number, valid: number[]): Float32Array {
  const out = values.slice();
  for (let e = 0; e < n; e++) out.fill(0, (e * P + valid[e]) * U, (e + 1) * P * U);
  return out;
}

/** rows [Σ valid positions × units] of the real (non-padding) positions */
function validRows(values: Float32Array, n: number, P: number, U: number, valid?: number[]): Float32Array {
  if (!valid) return values;
  const rows = valid.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * U);
  let r = 0;
  for (let e = 0; e < n; e++) {
    out.set(values.subarray(e * P * U, (e * P + valid[e]) * U), r * U);
    r += valid[e];
  }
  return out;
}
