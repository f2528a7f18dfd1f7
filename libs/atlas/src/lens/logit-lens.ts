// Logit lens for inputs: residual-stream vectors [positions × d] read out the way the tower reads its final
// layer — layer norm (gain, bias, eps) then the projection into the joint space [d × e] — L2-normalised, and
// ranked against unit-norm concept text embeddings [texts × e] by cosine: the top-k texts per position.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt, type NumericArray } from "../util/validate";

/** The tower's read-out: ln_final (gain, bias, eps) and proj [dModel × dOut], row-major. */
export interface LensReadout {
  gain: NumericArray;
  bias: NumericArray;
  eps: number;
  proj: NumericArray;
  dModel: number;
  dOut: number;
}

export interface LensCell {
  /** indices into the concept texts, best first */
  indices: number[];
  /** cosine similarity of the read-out with each of those texts */
  scores: number[];
}

function checkReadout(r: LensReadout): void {
  assertPositiveInt(r.dModel, "dModel");
  assertPositiveInt(r.dOut, "dOut");
  assertLength(r.gain, r.dModel, "gain");
  assertLength(r.bias, r.dModel, "bias");
  assertLength(r.proj, r.dModel * r.dOut, "proj");
  if (!(r.eps >= 0) || !Number.isFinite(r.eps))
    throw new AtlasError("BAD_OPTION", `eps must be a finite non-negative number, got ${r.eps}`);
}

/**
 * LN(x) · proj for each row of `resid` [positions × dModel], scaled to unit L2 norm → [positions × dOut]
 * (a row whose read-out is all zero stays zero). LN uses the biased variance, like PyTorch / TransformerLens.
 */
export function lensReadout(resid: NumericArray, positions: number, r: LensReadout): Float32Array {
  checkReadout(r);
  assertPositiveInt(positions, "positions");
  assertLength(resid, positions * r.dModel, "resid");
  assertAllFinite(resid, "resid");
  const { dModel: d, dOut: e } = r;
  const out = new Float32Array(positions * e);
  const normed = new Float64Array(d);
  const row = new Float64Array(e);
  for (let p = 0; p < positions; p++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += resid[p * d + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (resid[p * d + i] - mean) ** 2;
    variance /= d;
    const inv = variance + r.eps > 0 ? 1 / Math.sqrt(variance + r.eps) : 0; // a constant row with eps 0 → 0
    for (let i = 0; i < d; i++) normed[i] = (resid[p * d + i] - mean) * inv * r.gain[i] + r.bias[i];
    row.fill(0);
    for (let i = 0; i < d; i++) {
      const v = normed[i];
      if (v === 0) continue;
      for (let o = 0; o < e; o++) row[o] += v * r.proj[i * e + o];
    }
    let norm = 0;
    for (let o = 0; o < e; o++) norm += row[o] ** 2;
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let o = 0; o < e; o++) out[p * e + o] = row[o] * s;
  }
  return out;
}

/**
 * Top-k concept texts per row of `readouts` [positions × dim] (unit norm) by cosine with `texts`
 * [count × dim] (unit norm). Ties go to the lower text index.
 */
export function lensTopK(readouts: NumericArray, texts: NumericArray, dim: number, k: number): LensCell[] {
  assertPositiveInt(dim, "dim");
  assertPositiveInt(k, "k");
  if (readouts.length % dim !== 0 || texts.length % dim !== 0)
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `readouts (${readouts.length}) and texts (${texts.length}) are not rows of ${dim}`,
    );
  const count = texts.length / dim;
  if (count === 0) throw new AtlasError("BAD_INPUT", "no concept texts to read out against");
  const positions = readouts.length / dim;
  const take = Math.min(k, count);
  const cells: LensCell[] = [];
  const sims = new Float64Array(count);
  for (let p = 0; p < positions; p++) {
    for (let t = 0; t < count; t++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += readouts[p * dim + i] * texts[t * dim + i];
      sims[t] = s;
    }
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => sims[b] - sims[a] || a - b);
    const indices = order.slice(0, take);
    cells.push({ indices, scores: indices.map((i) => sims[i]) });
  }
  return cells;
}

/** lensReadout then lensTopK: the logit-lens cells of one layer, one per position. */
export function logitLens(
  resid: NumericArray,
  positions: number,
  readout: LensReadout,
  texts: NumericArray,
  k: number,
): LensCell[] {
  return lensTopK(lensReadout(resid, positions, readout), texts, readout.dOut, k);
}
