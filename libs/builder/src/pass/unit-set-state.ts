// Streaming state of one neuron/SAE unit set: top-k examples with per-position values (TopKTracker), quantile
// samples by activation band with per-position values (QuantileSampler, coarse bins to keep checkpoints small), and
// position-level statistics (histogram, density, max). Memory is O(units × k × positions + units × bins),
// independent of the number of examples; snapshot()/restore() give the JSON checkpoint.
import {
  QuantileSampler, TopKTracker, UnitStatsAccumulator, reduceOverPositions,
  type QuantileSamplerSnapshot, type TopKSnapshot, type UnitStatsSnapshot,
} from "@mmatlas/atlas";

export const HISTOGRAM_BINS = { min: 1e-3, max: 1e2, bins: 40 };
export const QUANTILE_BINS = { min: 1e-3, max: 1e2, bins: 25, perBin: 2 };

export interface UnitSetStateSnapshot {
  top: TopKSnapshot;
  quantiles: QuantileSamplerSnapshot;
  stats: UnitStatsSnapshot;
}

export class UnitSetState {
  private constructor(readonly top: TopKTracker, readonly quantiles: QuantileSampler, readonly stats: UnitStatsAccumulator) {}

  static create(units: number, positions: number, k: number, seed: number): UnitSetState {
    return new UnitSetState(
      new TopKTracker({ units, k, positions }),
      new QuantileSampler({ units, positions, seed, ...QUANTILE_BINS }),
      new UnitStatsAccumulator({ units, ...HISTOGRAM_BINS }),
    );
  }

  get units(): number { return this.top.units; }
  get positions(): number { return this.top.positions; }

  /**
   * One batch of a hook/SAE tensor [examples × positions × units]; `valid[e]` leading positions are real (the
   * rest padding). The per-example activation is the max over valid positions.
   */
  add(exampleIds: number[], values: Float32Array, valid?: number[]): void {
    const n = exampleIds.length, P = this.positions, U = this.units;
    const activations = reduceOverPositions(values, n, P, U, "max", valid);
    const positionValues = valid ? maskPadding(values, n, P, U, valid) : values;
    this.top.add({ exampleIds, activations, positionValues });
    this.quantiles.add({ exampleIds, activations, positionValues });
    this.stats.add(validRows(values, n, P, U, valid));
  }

  byteSize(): number {
    return this.top.byteSize() + this.quantiles.byteSize() + this.units * (HISTOGRAM_BINS.bins + 8) * 8;
  }

  snapshot(): UnitSetStateSnapshot {
    return { top: this.top.snapshot(), quantiles: this.quantiles.snapshot(), stats: this.stats.snapshot() };
  }

  static restore(s: UnitSetStateSnapshot): UnitSetState {
    return new UnitSetState(TopKTracker.restore(s.top), QuantileSampler.restore(s.quantiles), UnitStatsAccumulator.restore(s.stats));
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
