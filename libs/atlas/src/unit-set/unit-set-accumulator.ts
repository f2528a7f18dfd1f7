// Everything a build keeps per set of units (one hook point or SAE) while streaming the dataset: the top-k
// tracker, the quantile sampler and the unit statistics, fed by one `add(batch)`, checkpointed by one
// snapshot. Statistics run over examples (the per-example activation) or over positions (tokens/patches,
// padding excluded through `validPositions`), as the build chooses.
import { AtlasError } from "../errors";
import { type ActivationBatch, checkBatch } from "../util/batch";
import { assertLength } from "../util/validate";
import { type LogBinsOptions } from "../stats/log-bins";
import { type UnitStats, UnitStatsAccumulator, type UnitStatsSnapshot } from "../stats/unit-stats";
import { type TopKEntry, TopKTracker, type TopKSnapshot } from "../topk/top-k-tracker";
import {
  type QuantileBand,
  type QuantileResultOptions,
  QuantileSampler,
  type QuantileSamplerSnapshot,
} from "../quantiles/quantile-sampler";

export type StatsGranularity = "examples" | "positions";

export interface UnitSetAccumulatorOptions {
  units: number;
  /** top examples kept per unit (default 20) */
  k?: number;
  /** positions per example kept with top/quantile examples and used for position-level stats; 0 = none */
  positions?: number;
  /** histogram range and bins */
  histogram?: LogBinsOptions;
  /** quantile sampler fine bins, reservoir size and seed */
  quantiles?: LogBinsOptions & { perBin?: number; seed?: number };
  /** rows of the histogram/density: examples (default) or positions (needs positions > 0) */
  statsOver?: StatsGranularity;
}

export interface UnitSetBatch extends ActivationBatch {
  /** per example, how many leading positions are real (the rest is padding); default all */
  validPositions?: ArrayLike<number>;
}

export interface UnitSummary {
  top: TopKEntry[];
  /** quantile bands, never repeating a top example */
  quantiles: QuantileBand[];
  stats: UnitStats;
}

export interface UnitSetSnapshot {
  kind: "unit-set";
  version: 1;
  statsOver: StatsGranularity;
  top: TopKSnapshot;
  quantiles: QuantileSamplerSnapshot;
  stats: UnitStatsSnapshot;
}

export class UnitSetAccumulator {
  readonly units: number;
  readonly positions: number;
  readonly statsOver: StatsGranularity;
  private constructor(
    private readonly top: TopKTracker,
    private readonly quantiles: QuantileSampler,
    private readonly stats: UnitStatsAccumulator,
    statsOver: StatsGranularity,
  ) {
    this.units = top.units;
    this.positions = top.positions;
    this.statsOver = statsOver;
  }

  static create(options: UnitSetAccumulatorOptions): UnitSetAccumulator {
    const { units, k, positions = 0, histogram = {}, quantiles = {}, statsOver = "examples" } = options;
    if (statsOver !== "examples" && statsOver !== "positions")
      throw new AtlasError("BAD_OPTION", `statsOver must be "examples" or "positions", got ${statsOver}`);
    if (statsOver === "positions" && positions === 0)
      throw new AtlasError("BAD_OPTION", 'statsOver "positions" needs positions > 0');
    return new UnitSetAccumulator(
      new TopKTracker({ units, k, positions }),
      new QuantileSampler({ units, positions, ...quantiles }),
      new UnitStatsAccumulator({ units, ...histogram }),
      statsOver,
    );
  }

  /** Validates the whole batch first, then feeds all three accumulators (a rejected batch changes nothing). */
  add(batch: UnitSetBatch): void {
    const examples = checkBatch(batch, this.units, this.positions, true);
    const { validPositions } = batch;
    if (validPositions) {
      assertLength(validPositions, examples, "validPositions");
      for (let e = 0; e < examples; e++) {
        const n = validPositions[e];
        if (!Number.isInteger(n) || n < 1 || n > this.positions) {
          throw new AtlasError(
            "BAD_INPUT",
            `validPositions[${e}] must be an integer in [1, ${this.positions}], got ${n}`,
          );
        }
      }
    }
    this.top.add(batch);
    this.quantiles.add(batch);
    if (this.statsOver === "examples") this.stats.add(batch.activations);
    else this.stats.add(validRows(batch.positionValues!, examples, this.positions, this.units, validPositions));
  }

  get examplesCount(): number {
    return this.top.examplesCount;
  }

  result(unit: number, options: Omit<QuantileResultOptions, "exclude"> = {}): UnitSummary {
    const top = this.top.result(unit);
    const exclude = new Set(top.map((e) => e.exampleId));
    return { top, quantiles: this.quantiles.result(unit, { ...options, exclude }), stats: this.stats.result(unit) };
  }

  byteSize(): number {
    return this.top.byteSize() + this.quantiles.byteSize();
  }

  snapshot(): UnitSetSnapshot {
    return {
      kind: "unit-set",
      version: 1,
      statsOver: this.statsOver,
      top: this.top.snapshot(),
      quantiles: this.quantiles.snapshot(),
      stats: this.stats.snapshot(),
    };
  }

  static restore(s: UnitSetSnapshot): UnitSetAccumulator {
    if (s?.kind !== "unit-set" || s.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 unit-set snapshot");
    const acc = new UnitSetAccumulator(
      TopKTracker.restore(s.top),
      QuantileSampler.restore(s.quantiles),
      UnitStatsAccumulator.restore(s.stats),
      s.statsOver,
    );
    if (
      acc.quantiles.units !== acc.units ||
      acc.stats.units !== acc.units ||
      acc.quantiles.positions !== acc.positions
    ) {
      throw new AtlasError("BAD_SNAPSHOT", "unit-set snapshot parts disagree on units/positions");
    }
    if (acc.statsOver === "positions" && acc.positions === 0)
      throw new AtlasError("BAD_SNAPSHOT", "unit-set snapshot has position stats without positions");
    return acc;
  }
}

/** rows [Σ valid positions × units] of the non-padding positions */
function validRows(
  values: Float32Array | Float64Array,
  examples: number,
  positions: number,
  units: number,
  valid?: ArrayLike<number>,
): Float32Array {
  if (!valid) return values instanceof Float32Array ? values : Float32Array.from(values);
  let rows = 0;
  for (let e = 0; e < examples; e++) rows += valid[e];
  const out = new Float32Array(rows * units);
  let r = 0;
  for (let e = 0; e < examples; e++) {
    const start = e * positions * units;
    out.set(values.subarray(start, start + valid[e] * units), r * units);
    r += valid[e];
  }
  return out;
}
