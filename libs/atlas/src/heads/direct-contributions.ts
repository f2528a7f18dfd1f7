// Direct contributions of attention heads to a CLIP image embedding (Gandelsman et al., ICLR 2024, "TextSpan"):
// the residual stream at the CLS position is a sum of direct terms (the embedding, every head's output, every
// layer's b_O and every MLP's output). A head's term is c_{l,h} = Σ_k A_{l,h}[CLS,k]·(LN1_l(x_k) W_V^h + b_V^h) W_O^h
// (Σ_k A = 1, so the value bias passes through whole). ln_final is linearised as TextSpan does: each example's σ of
// the final residual is frozen, so a term t reaches the joint space as proj(g ⊙ (t − mean(t)) / σ) and the
// (unnormalised) embedding is the sum of those plus proj(b). Pure functions on flat row-major Float32Arrays.
import { AtlasError } from "../errors";

/** Per-head weights of one layer, TransformerLens layout. */
export interface HeadLayerWeights {
  heads: number;
  dModel: number;
  dHead: number;
  /** ln1 gain and bias [d] */
  ln1W: Float32Array;
  ln1B: Float32Array;
  /** [H, d, dh] */
  wV: Float32Array;
  /** [H, dh] (zeros when the model has none) */
  bV: Float32Array;
  /** [H, dh, d] */
  wO: Float32Array;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new AtlasError("SHAPE_MISMATCH", msg);
}

/** LayerNorm of one row (biased variance, like torch / ONNX LayerNormalization). */
export function layerNormRow(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  eps: number,
): Float64Array {
  const d = x.length;
  let mean = 0;
  for (let i = 0; i < d; i++) mean += x[i];
  mean /= d;
  let v = 0;
  for (let i = 0; i < d; i++) v += (x[i] - mean) ** 2;
  const inv = 1 / Math.sqrt(v / d + eps);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = (x[i] - mean) * inv * w[i] + b[i];
  return out;
}

/** σ of a row as LayerNorm sees it: sqrt(biased variance + eps). */
export function layerNormScale(x: ArrayLike<number>, eps: number): number {
  const d = x.length;
  let mean = 0;
  for (let i = 0; i < d; i++) mean += x[i];
  mean /= d;
  let v = 0;
  for (let i = 0; i < d; i++) v += (x[i] - mean) ** 2;
  return Math.sqrt(v / d + eps);
}

/**
 * Every head's direct output at one query position of one example: [H × d].
 * `resid` is the residual stream entering the layer, [T × d]; `pattern` the layer's attention [H × T × T]
 * (softmax over keys); `query` the position read (CLS = 0).
 */
export function headOutputsAt(
  resid: Float32Array,
  pattern: Float32Array,
  tokens: number,
  query: number,
  w: HeadLayerWeights,
  lnEps: number,
): Float64Array {
  const { heads: H, dModel: d, dHead: dh } = w;
  check(resid.length === tokens * d, `resid has ${resid.length} values, expected ${tokens}×${d}`);
  check(
    pattern.length === H * tokens * tokens,
    `pattern has ${pattern.length} values, expected ${H}×${tokens}×${tokens}`,
  );
  check(w.wV.length === H * d * dh && w.wO.length === H * dh * d && w.bV.length === H * dh, "head weights shape");
  check(query >= 0 && query < tokens, `query ${query} outside 0..${tokens - 1}`);
  const normed: Float64Array[] = [];
  for (let k = 0; k < tokens; k++) normed.push(layerNormRow(resid.subarray(k * d, (k + 1) * d), w.ln1W, w.ln1B, lnEps));
  const out = new Float64Array(H * d);
  const y = new Float64Array(d);
  const z = new Float64Array(dh);
  for (let h = 0; h < H; h++) {
    y.fill(0);
    const row = (h * tokens + query) * tokens;
    let mass = 0;
    for (let k = 0; k < tokens; k++) {
      const a = pattern[row + k];
      mass += a;
      if (a === 0) continue;
      const n = normed[k];
      for (let i = 0; i < d; i++) y[i] += a * n[i];
    }
    for (let j = 0; j < dh; j++) z[j] = mass * w.bV[h * dh + j];
    for (let i = 0; i < d; i++) {
      const yi = y[i];
      if (yi === 0) continue;
      const base = (h * d + i) * dh;
      for (let j = 0; j < dh; j++) z[j] += yi * w.wV[base + j];
    }
    for (let j = 0; j < dh; j++) {
      const zj = z[j];
      const base = (h * dh + j) * d;
      for (let i = 0; i < d; i++) out[h * d + i] += zj * w.wO[base + i];
    }
  }
  return out;
}

/** Read-out of ln_final + proj, with the example's σ frozen (TextSpan's linearisation). */
export interface Readout {
  dModel: number;
  embedDim: number;
  /** ln_final gain [d] */
  gain: Float32Array;
  /** [d × e] */
  proj: Float32Array;
}

/** A direct term t [d] in the joint space: proj(g ⊙ (t − mean(t)) / σ) → [e]. */
export function readoutTerm(term: ArrayLike<number>, sigma: number, r: Readout): Float64Array {
  const { dModel: d, embedDim: e } = r;
  check(term.length === d, `term has ${term.length} values, expected ${d}`);
  check(r.proj.length === d * e && r.gain.length === d, "readout weights shape");
  let mean = 0;
  for (let i = 0; i < d; i++) mean += term[i];
  mean /= d;
  const out = new Float64Array(e);
  for (let i = 0; i < d; i++) {
    const v = (r.gain[i] * (term[i] - mean)) / sigma;
    if (v === 0) continue;
    for (let o = 0; o < e; o++) out[o] += v * r.proj[i * e + o];
  }
  return out;
}

/** proj(b) of ln_final's bias: the constant term of every example's embedding. */
export function readoutBias(bias: ArrayLike<number>, r: Readout): Float64Array {
  const out = new Float64Array(r.embedDim);
  for (let i = 0; i < r.dModel; i++)
    for (let o = 0; o < r.embedDim; o++) out[o] += bias[i] * r.proj[i * r.embedDim + o];
  return out;
}
