// The shape every streaming accumulator is fed: one batch of examples with one activation per
// (example, unit), optionally the per-position values (tokens/patches) behind them, plus helpers to
// validate it and to reduce a hook tensor [examples × positions × units] to per-example activations.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "./validate";

export interface ActivationBatch {
  /** dataset example ids (integers, e.g. Example.index), one per row */
  exampleIds: ArrayLike<number>;
  /** [examples × units], row-major: activations[e * units + u] */
  activations: Float32Array | Float64Array;
  /** [examples × positionStride × units], row-major (the hook tensor layout [B, T, U]); optional */
  positionValues?: Float32Array | Float64Array;
  /**
   * positions per example in positionValues, ≤ the accumulator's positions (default: all of them). A text batch run
   * at its longest row has fewer; the kept per-position values are zero after them, as for padding.
   */
  positionStride?: number;
  /** the caller already verified that every value is finite (skips the per-value scan; e.g. checked once per tensor) */
  checkedFinite?: boolean;
}

/** Validates a batch against the accumulator's unit/position counts and returns its example count. */
export function checkBatch(batch: ActivationBatch, units: number, positions: number, needPositions: boolean): number {
  const examples = batch.exampleIds.length;
  if (batch.activations.length !== examples * units) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `activations has length ${batch.activations.length}, expected examples (${examples}) × units (${units}) = ${examples * units}`,
    );
  }
  for (let e = 0; e < examples; e++) {
    const id = batch.exampleIds[e];
    if (!Number.isSafeInteger(id)) throw new AtlasError("BAD_INPUT", `exampleIds[${e}] must be an integer, got ${id}`);
  }
  if (!batch.checkedFinite) assertAllFinite(batch.activations, "activations");
  if (batch.positionValues !== undefined) {
    if (positions === 0)
      throw new AtlasError("BAD_INPUT", "positionValues given but the accumulator was created with positions = 0");
    assertLength(batch.positionValues, examples * positionStrideOf(batch, positions) * units, "positionValues");
    if (!batch.checkedFinite) assertAllFinite(batch.positionValues, "positionValues");
  } else if (needPositions && positions > 0 && examples > 0) {
    throw new AtlasError("BAD_INPUT", `positionValues is required (accumulator created with positions = ${positions})`);
  }
  return examples;
}

/** positions per example in a batch's positionValues (validated: an integer in [1, positions]) */
export function positionStrideOf(batch: ActivationBatch, positions: number): number {
  const stride = batch.positionStride ?? positions;
  if (!Number.isInteger(stride) || stride < 1 || stride > positions)
    throw new AtlasError("BAD_INPUT", `positionStride must be an integer in [1, ${positions}], got ${stride}`);
  return stride;
}

export type PositionReduction = "max" | "mean";

/**
 * Reduces a hook tensor [examples × positions × units] to [examples × units] by max (Neuronpedia's
 * per-example activation) or mean over positions. `validPositions[e]` (optional) limits example e to its
 * first n positions (e.g. text without padding).
 */
export function reduceOverPositions(
  values: Float32Array | Float64Array,
  examples: number,
  positions: number,
  units: number,
  reduction: PositionReduction = "max",
  validPositions?: ArrayLike<number>,
): Float32Array {
  assertPositiveInt(positions, "positions");
  assertPositiveInt(units, "units");
  assertLength(values, examples * positions * units, "values");
  if (validPositions) assertLength(validPositions, examples, "validPositions");
  const out = new Float32Array(examples * units);
  // position-major sweeps over contiguous rows (same per-(example, unit) order of operations as a per-unit loop)
  const acc = new Float64Array(units);
  for (let e = 0; e < examples; e++) {
    const n = validPositions ? validPositions[e] : positions;
    if (!Number.isInteger(n) || n < 1 || n > positions) {
      throw new AtlasError("BAD_INPUT", `validPositions[${e}] must be an integer in [1, ${positions}], got ${n}`);
    }
    acc.fill(reduction === "max" ? -Infinity : 0);
    for (let t = 0; t < n; t++) {
      const row = (e * positions + t) * units;
      if (reduction === "max") {
        for (let u = 0; u < units; u++) {
          const v = values[row + u];
          if (v > acc[u]) acc[u] = v;
        }
      } else {
        for (let u = 0; u < units; u++) acc[u] += values[row + u];
      }
    }
    const o = e * units;
    if (reduction === "max") for (let u = 0; u < units; u++) out[o + u] = acc[u];
    else for (let u = 0; u < units; u++) out[o + u] = acc[u] / n;
  }
  return out;
}
