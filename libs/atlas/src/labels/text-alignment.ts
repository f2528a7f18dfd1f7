// Automatic labels, method 2: text alignment — cosine between a unit's output direction in the joint
// embedding space (e.g. SAE decoder row or neuron output weights, projected by the model's final projection)
// and each concept's text embedding. A zero-norm direction scores 0 against every concept.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts, type ConceptScore, DEFAULT_LABEL_COUNT, topConcepts } from "./concept-ranking";

export interface UnitDirections {
  /** [units × dim], row-major */
  directions: Float32Array | Float64Array;
  units: number;
  /** [concepts × dim], row-major */
  conceptEmbeddings: Float32Array | Float64Array;
  concepts: readonly string[];
}

/** directions [units × dIn] times projection [dIn × dOut] → [units × dOut] (e.g. into the joint space). */
export function projectDirections(
  directions: Float32Array | Float64Array,
  units: number,
  projection: Float32Array | Float64Array,
  dIn: number,
  dOut: number,
): Float64Array {
  assertPositiveInt(units, "units");
  assertPositiveInt(dIn, "dIn");
  assertPositiveInt(dOut, "dOut");
  assertLength(directions, units * dIn, "directions (units × dIn)");
  assertLength(projection, dIn * dOut, "projection (dIn × dOut)");
  const out = new Float64Array(units * dOut);
  for (let u = 0; u < units; u++) {
    for (let i = 0; i < dIn; i++) {
      const d = directions[u * dIn + i];
      if (d === 0) continue;
      for (let o = 0; o < dOut; o++) out[u * dOut + o] += d * projection[i * dOut + o];
    }
  }
  return out;
}

/** cosine similarities [units × concepts], row-major */
export function textAlignmentScores(input: UnitDirections): Float64Array {
  const { directions, units, conceptEmbeddings, concepts } = input;
  checkConcepts(concepts);
  assertPositiveInt(units, "units");
  if (directions.length % units !== 0 || directions.length === 0) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `directions has length ${directions.length}, not a non-zero multiple of units (${units})`,
    );
  }
  const dim = directions.length / units;
  const nc = concepts.length;
  assertLength(conceptEmbeddings, nc * dim, `conceptEmbeddings (concepts × ${dim})`);
  assertAllFinite(directions, "directions");
  assertAllFinite(conceptEmbeddings, "conceptEmbeddings");
  const norm = (a: ArrayLike<number>, row: number) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[row * dim + i] ** 2;
    return Math.sqrt(s);
  };
  const conceptNorms = concepts.map((_, c) => norm(conceptEmbeddings, c));
  const scores = new Float64Array(units * nc);
  for (let u = 0; u < units; u++) {
    const nu = norm(directions, u);
    for (let c = 0; c < nc; c++) {
      if (nu === 0 || conceptNorms[c] === 0) continue;
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += directions[u * dim + i] * conceptEmbeddings[c * dim + i];
      scores[u * nc + c] = dot / (nu * conceptNorms[c]);
    }
  }
  return scores;
}

/** Top `count` (default 5) concepts by cosine per unit. */
export function textAlignmentLabels(input: UnitDirections, count = DEFAULT_LABEL_COUNT): ConceptScore[][] {
  const scores = textAlignmentScores(input);
  const nc = input.concepts.length;
  return Array.from({ length: input.units }, (_, u) => topConcepts(scores, input.concepts, count, u * nc));
}
