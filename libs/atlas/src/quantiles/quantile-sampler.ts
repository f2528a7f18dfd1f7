// Quantile samples per unit (Neuronpedia-like): a few examples from each activation band, where band b of B
// covers (b/B·max, (b+1)/B·max] of the unit's final max activation.
//
// Design (single pass, bounded memory): the final max is unknown while streaming, so positive values are
// bucketed into fine log-spaced bins over a fixed range (values below the range go to the first bin, above it
// to the last) and each (unit, bin) keeps a uniform reservoir (Algorithm R, seeded RNG) of `perBin` examples
// plus the exact number seen. At the end each stored example is assigned to its band by its actual value and
// weighted by seen/kept of its bin (inverse inclusion probability); `perBand` examples are drawn per band by
// weighted sampling without replacement (Efraimidis–Spirakis keys, RNG seeded per unit and band). The sum of
// weights estimates the band's example count (exact when a band covers whole bins). Memory is
// O(units × bins × perBin × positions), independent of the number of examples. The fine bins must be narrow
// relative to the bands (default 12 per decade) for the upper bands to find candidates.
import { AtlasError } from "../errors";
import { type ActivationBatch, checkBatch, positionStrideOf } from "../util/batch";
import { mixSeed, SeededRng } from "../util/rng";
import {
  adoptOrCopy,
  isNumberList,
  snapshotArray,
  type NumberList,
  type RestoreMode,
  type SnapshotMode,
} from "../util/snapshot-arrays";
import { assertNonNegativeInt, assertPositiveInt } from "../util/validate";
import { LogBins, type LogBinsOptions } from "../stats/log-bins";

export interface QuantileSamplerOptions extends LogBinsOptions {
  units: number;
  /** examples kept per (unit, fine bin) (default 3) */
  perBin?: number;
  /** per-position values kept with each sample; 0 = none (default) */
  positions?: number;
  /** RNG seed (default 0) */
  seed?: number;
}

export interface QuantileResultOptions {
  /** number of equal-width bands between 0 and the max (default 5) */
  bands?: number;
  /** examples drawn per band (default 3) */
  perBand?: number;
  /** example ids never to return (e.g. those already shown as top-k) */
  exclude?: ReadonlySet<number>;
}

export interface QuantileSample {
  exampleId: number;
  value: number;
  positionValues?: Float32Array;
}

export interface QuantileBand {
  /** 0 = lowest band */
  band: number;
  /** band covers (lower, upper] */
  lower: number;
  upper: number;
  /** estimated number of examples of the stream in this band */
  estimatedCount: number;
  /** drawn examples, strongest first */
  samples: QuantileSample[];
}

export interface QuantileSamplerSnapshot {
  kind: "quantiles";
  version: 1;
  units: number;
  bins: { min: number; max: number; bins: number };
  perBin: number;
  positions: number;
  seed: number;
  rngState: number;
  /** typed arrays from snapshot() (Float64Array / Float32Array); restore() also takes number[] */
  seen: NumberList;
  values: NumberList;
  ids: NumberList;
  positionValues: NumberList;
  max: NumberList;
}

export const DEFAULT_QUANTILE_BINS = { min: 1e-3, max: 1e3, bins: 72 };

export class QuantileSampler {
  readonly units: number;
  readonly bins: LogBins;
  readonly perBin: number;
  readonly positions: number;
  readonly seed: number;
  private readonly rng: SeededRng;
  private seen: Float64Array;
  private values: Float64Array;
  private ids: Float64Array;
  private positionStore: Float32Array;
  private maxValue: Float64Array;

  /** bytes a sampler with these options allocates (what byteSize() of one will say), without allocating it */
  static bytesFor(options: QuantileSamplerOptions): number {
    const { units, perBin = 3, positions = 0 } = options;
    const cells = units * (options.bins ?? DEFAULT_QUANTILE_BINS.bins);
    return cells * 8 + cells * perBin * (8 + 8 + positions * 4) + units * 8;
  }

  constructor(options: QuantileSamplerOptions) {
    const { units, perBin = 3, positions = 0, seed = 0 } = options;
    assertPositiveInt(units, "units");
    assertPositiveInt(perBin, "perBin");
    assertNonNegativeInt(positions, "positions");
    if (!Number.isInteger(seed)) throw new AtlasError("BAD_OPTION", `seed must be an integer, got ${seed}`);
    this.units = units;
    this.bins = new LogBins({
      min: options.min ?? DEFAULT_QUANTILE_BINS.min,
      max: options.max ?? DEFAULT_QUANTILE_BINS.max,
      bins: options.bins ?? DEFAULT_QUANTILE_BINS.bins,
    });
    this.perBin = perBin;
    this.positions = positions;
    this.seed = seed;
    this.rng = new SeededRng(mixSeed(seed, 0x9e3779b9));
    const cells = units * this.bins.bins;
    this.seen = new Float64Array(cells);
    this.values = new Float64Array(cells * perBin);
    this.ids = new Float64Array(cells * perBin);
    this.positionStore = new Float32Array(cells * perBin * positions);
    this.maxValue = new Float64Array(units);
  }

  /** Feeds one batch (values ≤ 0 are never sampled); each example must be fed once. */
  add(batch: ActivationBatch): void {
    const examples = checkBatch(batch, this.units, this.positions, true);
    const { units, perBin, positions, bins, seen, values, ids, positionStore, maxValue, rng } = this;
    const { activations, exampleIds, positionValues } = batch;
    const stride = positionValues ? positionStrideOf(batch, positions) : positions;
    const lo = bins.min,
      hi = bins.max,
      nb = bins.bins;
    const bits =
      activations instanceof Float32Array
        ? new Int32Array(activations.buffer, activations.byteOffset, activations.length)
        : null;
    for (let e = 0; e < examples; e++) {
      const row = e * units;
      for (let u = 0; u < units; u++) {
        const v = activations[row + u];
        if (!(v > 0)) continue;
        if (v > maxValue[u]) maxValue[u] = v;
        const bin = v < lo ? 0 : v >= hi ? nb - 1 : bits ? bins.indexOfFloat32(v, bits[row + u]) : bins.indexOf(v);
        const cell = u * nb + bin;
        const n = ++seen[cell];
        let slot: number;
        if (n <= perBin) slot = n - 1;
        else {
          slot = rng.nextInt(n);
          if (slot >= perBin) continue;
        }
        const at = cell * perBin + slot;
        values[at] = v;
        ids[at] = exampleIds[e];
        if (positionValues && positions > 0) {
          for (let t = 0; t < stride; t++)
            positionStore[at * positions + t] = positionValues[(e * stride + t) * units + u];
          if (stride < positions) positionStore.fill(0, at * positions + stride, (at + 1) * positions);
        }
      }
    }
  }

  /** max positive value seen for the unit (0 when none) */
  maxOf(unit: number): number {
    this.checkUnit(unit);
    return this.maxValue[unit];
  }

  /** entries currently held over all units (≤ units × bins × perBin) */
  storedEntries(): number {
    let n = 0;
    for (let c = 0; c < this.seen.length; c++) n += Math.min(this.seen[c], this.perBin);
    return n;
  }

  byteSize(): number {
    return (
      this.seen.byteLength +
      this.values.byteLength +
      this.ids.byteLength +
      this.positionStore.byteLength +
      this.maxValue.byteLength
    );
  }

  result(unit: number, options: QuantileResultOptions = {}): QuantileBand[] {
    this.checkUnit(unit);
    const { bands = 5, perBand = 3, exclude } = options;
    assertPositiveInt(bands, "bands");
    assertPositiveInt(perBand, "perBand");
    const max = this.maxValue[unit];
    const width = max / bands;
    const out: QuantileBand[] = [];
    const candidates: { at: number; value: number; id: number; weight: number }[][] = [];
    for (let b = 0; b < bands; b++) {
      out.push({
        band: b,
        lower: b * width,
        upper: b === bands - 1 ? max : (b + 1) * width,
        estimatedCount: 0,
        samples: [],
      });
      candidates.push([]);
    }
    if (max <= 0) return out;
    const nb = this.bins.bins;
    for (let bin = 0; bin < nb; bin++) {
      const cell = unit * nb + bin;
      const seen = this.seen[cell];
      const kept = Math.min(seen, this.perBin);
      for (let s = 0; s < kept; s++) {
        const at = cell * this.perBin + s;
        const value = this.values[at];
        const band = Math.min(bands - 1, Math.max(0, Math.ceil(value / width) - 1));
        const weight = seen / kept;
        out[band].estimatedCount += weight;
        if (!exclude?.has(this.ids[at])) candidates[band].push({ at, value, id: this.ids[at], weight });
      }
    }
    for (let b = 0; b < bands; b++) {
      const rng = new SeededRng(mixSeed(this.seed, unit, b));
      const keyed = candidates[b]
        .sort((x, y) => y.value - x.value || x.id - y.id)
        .map((c) => ({ c, key: Math.log(1 - rng.next()) / c.weight }));
      keyed.sort((x, y) => y.key - x.key || x.c.id - y.c.id);
      out[b].samples = keyed
        .slice(0, perBand)
        .map(({ c }) => c)
        .sort((x, y) => y.value - x.value || x.id - y.id)
        .map((c) => {
          const sample: QuantileSample = { exampleId: c.id, value: c.value };
          if (this.positions > 0)
            sample.positionValues = this.positionStore.slice(c.at * this.positions, (c.at + 1) * this.positions);
          return sample;
        });
    }
    return out;
  }

  /** The state as typed arrays: copies, or with mode "share" views of the live buffers (see SnapshotMode). */
  snapshot(mode: SnapshotMode = "copy"): QuantileSamplerSnapshot {
    return {
      kind: "quantiles",
      version: 1,
      units: this.units,
      bins: { min: this.bins.min, max: this.bins.max, bins: this.bins.bins },
      perBin: this.perBin,
      positions: this.positions,
      seed: this.seed,
      rngState: this.rng.getState(),
      seen: snapshotArray(this.seen, mode),
      values: snapshotArray(this.values, mode),
      ids: snapshotArray(this.ids, mode),
      positionValues: snapshotArray(this.positionStore, mode),
      max: snapshotArray(this.maxValue, mode),
    };
  }

  /** mode "adopt": the snapshot's typed arrays become the sampler's buffers (see RestoreMode) */
  static restore(s: QuantileSamplerSnapshot, mode: RestoreMode = "copy"): QuantileSampler {
    if (s?.kind !== "quantiles" || s.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 quantile-sampler snapshot");
    const q = new QuantileSampler({
      units: s.units,
      ...s.bins,
      perBin: s.perBin,
      positions: s.positions,
      seed: s.seed,
    });
    const cells = q.units * q.bins.bins;
    const ok =
      [s.seen, s.values, s.ids, s.positionValues, s.max].every(isNumberList) &&
      s.seen.length === cells &&
      s.values?.length === cells * q.perBin &&
      s.ids?.length === cells * q.perBin &&
      s.positionValues?.length === cells * q.perBin * q.positions &&
      s.max?.length === q.units &&
      Number.isInteger(s.rngState);
    if (!ok)
      throw new AtlasError(
        "BAD_SNAPSHOT",
        "quantile-sampler snapshot arrays do not match its units/bins/perBin/positions",
      );
    q.seen = adoptOrCopy(q.seen, s.seen, mode);
    q.values = adoptOrCopy(q.values, s.values, mode);
    q.ids = adoptOrCopy(q.ids, s.ids, mode);
    q.positionStore = adoptOrCopy(q.positionStore, s.positionValues, mode);
    q.maxValue = adoptOrCopy(q.maxValue, s.max, mode);
    q.rng.setState(s.rngState);
    return q;
  }

  private checkUnit(unit: number): void {
    if (!Number.isInteger(unit) || unit < 0 || unit >= this.units) {
      throw new AtlasError("BAD_INPUT", `unit must be an integer in [0, ${this.units}), got ${unit}`);
    }
  }
}
