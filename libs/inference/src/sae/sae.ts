// A loaded sparse autoencoder: SAELens-compatible encode / decode / reconstruct on row-major float32 rows.
import { InferenceError } from "../errors";
import type { SaeConfig } from "./config";
import type { SaeWeights } from "./weights";
import { topKPerRow, type SparseRows } from "./top-k";

export class Sae {
  readonly name: string;
  readonly cfg: SaeConfig;
  readonly weights: SaeWeights;
  /** W_enc * exp(r_mag) for gated SAEs, computed once. */
  private readonly wMag?: Float32Array;

  constructor(name: string, cfg: SaeConfig, weights: SaeWeights) {
    this.name = name;
    this.cfg = cfg;
    this.weights = weights;
    if (cfg.architecture === "gated") {
      const { W_enc, r_mag } = weights;
      this.wMag = new Float32Array(W_enc.length);
      for (let i = 0; i < cfg.dIn; i++)
        for (let j = 0; j < cfg.dSae; j++) this.wMag[i * cfg.dSae + j] = W_enc[i * cfg.dSae + j] * Math.exp(r_mag![j]);
    }
  }

  get dIn(): number {
    return this.cfg.dIn;
  }
  get dSae(): number {
    return this.cfg.dSae;
  }

  private rowsOf(x: Float32Array, width: number, what: string): number {
    if (x.length % width !== 0)
      throw new InferenceError(
        "BAD_INPUT",
        `SAE "${this.name}": ${what} has ${x.length} values, not a multiple of ${width} (mismatched d_in?)`,
      );
    return x.length / width;
  }

  /**
   * SAELens process_sae_in: run-time normalization, then subtract b_dec when apply_b_dec_to_input.
   * Returns the processed rows and the per-row state needed to undo the normalization on the way out.
   */
  processInput(x: Float32Array): { sae_in: Float32Array; scale: Float32Array; shift: Float32Array } {
    const { dIn, normalizeActivations, applyBDecToInput } = this.cfg;
    const rows = this.rowsOf(x, dIn, "input");
    const out = new Float32Array(x.length);
    const scale = new Float32Array(rows).fill(1); // sae_out = (decoded) * scale + shift
    const shift = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const o = r * dIn;
      if (normalizeActivations === "constant_norm_rescale") {
        let ss = 0;
        for (let i = 0; i < dIn; i++) ss += x[o + i] * x[o + i];
        const coeff = ss > 0 ? Math.sqrt(dIn) / Math.sqrt(ss) : 1;
        for (let i = 0; i < dIn; i++) out[o + i] = x[o + i] * coeff;
        scale[r] = 1 / coeff;
      } else if (normalizeActivations === "layer_norm") {
        let mu = 0;
        for (let i = 0; i < dIn; i++) mu += x[o + i];
        mu /= dIn;
        let v = 0;
        for (let i = 0; i < dIn; i++) v += (x[o + i] - mu) ** 2;
        const std = Math.sqrt(v / Math.max(1, dIn - 1)); // torch.std: unbiased
        for (let i = 0; i < dIn; i++) out[o + i] = (x[o + i] - mu) / (std + 1e-5);
        scale[r] = std;
        shift[r] = mu;
      } else {
        // "none"; "expected_average_only_in" is identity at run time in SAELens (the factor is folded into the weights)
        out.set(x.subarray(o, o + dIn), o);
      }
      if (applyBDecToInput) for (let i = 0; i < dIn; i++) out[o + i] -= this.weights.b_dec[i];
    }
    return { sae_in: out, scale, shift };
  }

  /** Feature activations, rows × d_sae. */
  encode(x: Float32Array): Float32Array {
    const { dIn, dSae, architecture } = this.cfg;
    const { sae_in } = this.processInput(x);
    const rows = sae_in.length / dIn;
    const W = this.weights;
    const pre = matmulBias(
      sae_in,
      rows,
      dIn,
      architecture === "gated" ? this.wMag! : W.W_enc,
      dSae,
      architecture === "gated" ? W.b_mag! : W.b_enc,
    );
    if (architecture === "standard") {
      for (let i = 0; i < pre.length; i++) if (!(pre[i] > 0)) pre[i] = 0;
    } else if (architecture === "jumprelu") {
      const t = W.threshold!;
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < dSae; j++) {
          const v = pre[r * dSae + j];
          pre[r * dSae + j] = v > t[j] && v > 0 ? v : 0;
        }
    } else if (architecture === "topk") {
      const k = this.cfg.k!;
      const top = topKPerRow(pre, rows, dSae, k);
      pre.fill(0);
      for (let r = 0; r < rows; r++)
        for (let s = 0; s < k; s++) {
          const v = top.values[r * k + s];
          pre[r * dSae + top.indices[r * k + s]] = v > 0 ? v : 0; // ReLU on the selected values
        }
    } else {
      // gated: magnitude = relu(x @ (W_enc*exp(r_mag)) + b_mag), kept where x @ W_enc + b_gate > 0
      const gate = matmulBias(sae_in, rows, dIn, W.W_enc, dSae, W.b_gate!);
      for (let i = 0; i < pre.length; i++) pre[i] = gate[i] > 0 && pre[i] > 0 ? pre[i] : 0;
    }
    return pre;
  }

  /** The `k` largest feature activations of each row, sorted descending (indices and values, rows × k). */
  encodeSparse(x: Float32Array, k: number): SparseRows {
    const f = this.encode(x);
    return topKPerRow(f, f.length / this.dSae, this.dSae, Math.min(k, this.dSae));
  }

  /** features @ W_dec + b_dec, in the SAE's (normalized) input space. */
  decode(features: Float32Array): Float32Array {
    const rows = this.rowsOf(features, this.dSae, "features");
    return matmulBias(features, rows, this.dSae, this.weights.W_dec, this.dIn, this.weights.b_dec);
  }

  /** Full SAELens forward: encode, decode, undo the run-time normalization. */
  reconstruct(x: Float32Array): Float32Array {
    const { scale, shift } = this.processInput(x);
    const out = this.decode(this.encode(x));
    const dIn = this.dIn;
    for (let r = 0; r < scale.length; r++)
      for (let i = 0; i < dIn; i++) out[r * dIn + i] = out[r * dIn + i] * scale[r] + shift[r];
    return out;
  }

  /** Decoder row of a feature (its direction in the hook's space), e.g. for steering. */
  decoderDirection(feature: number): Float32Array {
    if (!Number.isInteger(feature) || feature < 0 || feature >= this.dSae)
      throw new InferenceError("BAD_INPUT", `SAE "${this.name}": feature ${feature} out of range 0..${this.dSae - 1}`);
    return this.weights.W_dec.slice(feature * this.dIn, (feature + 1) * this.dIn);
  }
}

/** out[r, j] = bias[j] + Σ_i x[r, i] W[i, j] (row-major, i-k-j loop order for cache locality). */
export function matmulBias(
  x: Float32Array,
  rows: number,
  dIn: number,
  W: Float32Array,
  dOut: number,
  bias: Float32Array,
): Float32Array {
  const out = new Float32Array(rows * dOut);
  const acc = new Float64Array(dOut);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dOut; j++) acc[j] = bias[j];
    for (let i = 0; i < dIn; i++) {
      const xi = x[r * dIn + i];
      if (xi === 0) continue;
      const wo = i * dOut;
      for (let j = 0; j < dOut; j++) acc[j] += xi * W[wo + j];
    }
    const o = r * dOut;
    for (let j = 0; j < dOut; j++) out[o + j] = acc[j];
  }
  return out;
}
