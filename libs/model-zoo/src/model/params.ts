// Parameters of CLIP-shapes: seeded initialization, and conversion between the training layout
// (fused QKV matrices) and TransformerLens-style names/shapes stored in weights.safetensors.
import * as tf from "@tensorflow/tfjs";
import { type ClipShapesConfig, headDim, patchDim, visionSeqLen } from "./config";

/** Host-side tensor: shape + row-major float32 values. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}
export type HostWeights = Record<string, HostTensor>;
export type Towers = "vision" | "text";
export const TOWERS: readonly Towers[] = ["vision", "text"];

/** Training-layout parameter shapes: `{tower}.blocks.{l}.attn.W_QKV` is [D, 3D] with columns q|k|v, heads contiguous. */
export function paramShapes(c: ClipShapesConfig): Record<string, number[]> {
  const D = c.width,
    M = c.mlpWidth,
    s: Record<string, number[]> = {};
  s["vision.embed.W_E"] = [patchDim(c), D];
  s["vision.embed.b_E"] = [D];
  s["vision.cls_token"] = [D];
  s["vision.pos_embed.W_pos"] = [visionSeqLen(c), D];
  s["text.embed.W_E"] = [c.vocabSize, D];
  s["text.pos_embed.W_pos"] = [c.textSeqLen, D];
  for (const t of TOWERS) {
    for (let l = 0; l < c.layers; l++) {
      const p = `${t}.blocks.${l}`;
      s[`${p}.ln1.w`] = [D];
      s[`${p}.ln1.b`] = [D];
      s[`${p}.attn.W_QKV`] = [D, 3 * D];
      s[`${p}.attn.b_QKV`] = [3 * D];
      s[`${p}.attn.W_O`] = [D, D];
      s[`${p}.attn.b_O`] = [D];
      s[`${p}.ln2.w`] = [D];
      s[`${p}.ln2.b`] = [D];
      s[`${p}.mlp.W_in`] = [D, M];
      s[`${p}.mlp.b_in`] = [M];
      s[`${p}.mlp.W_out`] = [M, D];
      s[`${p}.mlp.b_out`] = [D];
    }
    s[`${t}.ln_final.w`] = [D];
    s[`${t}.ln_final.b`] = [D];
    s[`${t}.proj`] = [D, c.embedDim];
  }
  s["logit_scale"] = [];
  return s;
}

/** Seeded initial values (GPT-2 style: N(0, 0.02), residual outputs scaled by 1/sqrt(2L), LN = identity). */
export function initParams(c: ClipShapesConfig, seed: number): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  let k = seed * 1000;
  for (const [name, shape] of Object.entries(paramShapes(c))) {
    const leaf = name.split(".").pop()!;
    let init: tf.Tensor;
    if (name === "logit_scale") init = tf.scalar(Math.log(1 / 0.07));
    else if (leaf === "w") init = tf.ones(shape);
    else if (leaf.startsWith("b")) init = tf.zeros(shape);
    else {
      const std = name.endsWith(".proj")
        ? c.width ** -0.5
        : name === "text.pos_embed.W_pos"
          ? 0.01
          : leaf === "W_O" || leaf === "W_out"
            ? 0.02 / Math.sqrt(2 * c.layers)
            : 0.02;
      init = tf.randomNormal(shape, 0, std, "float32", k++);
    }
    out[name] = tf.variable(init, true, name);
    init.dispose();
  }
  return out;
}

/** Convert training-layout weights to TransformerLens names/shapes (W_Q [H,D,dh], b_Q [H,dh], W_O [H,dh,D]). */
export function toTransformerLens(c: ClipShapesConfig, w: HostWeights): HostWeights {
  const D = c.width,
    H = c.heads,
    dh = headDim(c);
  const out: HostWeights = {};
  for (const [name, t] of Object.entries(w)) {
    if (name.endsWith(".attn.W_QKV")) {
      const p = name.slice(0, -"W_QKV".length);
      ["Q", "K", "V"].forEach((which, j) => {
        const data = new Float32Array(H * D * dh);
        for (let h = 0; h < H; h++)
          for (let d = 0; d < D; d++)
            for (let e = 0; e < dh; e++) data[(h * D + d) * dh + e] = t.data[d * 3 * D + j * D + h * dh + e];
        out[`${p}W_${which}`] = { shape: [H, D, dh], data };
      });
    } else if (name.endsWith(".attn.b_QKV")) {
      const p = name.slice(0, -"b_QKV".length);
      ["Q", "K", "V"].forEach((which, j) => {
        out[`${p}b_${which}`] = { shape: [H, dh], data: t.data.slice(j * D, (j + 1) * D) };
      });
    } else if (name.endsWith(".attn.W_O")) out[name] = { shape: [H, dh, D], data: t.data.slice() };
    else out[name] = { shape: [...t.shape], data: t.data.slice() };
  }
  return out;
}

/** Inverse of toTransformerLens: TransformerLens-style weights back to the training layout. */
export function fromTransformerLens(c: ClipShapesConfig, w: HostWeights): HostWeights {
  const D = c.width,
    H = c.heads,
    dh = headDim(c);
  const out: HostWeights = {};
  for (const name of Object.keys(paramShapes(c))) {
    if (name.endsWith(".attn.W_QKV")) {
      const p = name.slice(0, -"W_QKV".length),
        data = new Float32Array(D * 3 * D);
      ["Q", "K", "V"].forEach((which, j) => {
        const src = need(w, `${p}W_${which}`, [H, D, dh]);
        for (let h = 0; h < H; h++)
          for (let d = 0; d < D; d++)
            for (let e = 0; e < dh; e++) data[d * 3 * D + j * D + h * dh + e] = src[(h * D + d) * dh + e];
      });
      out[name] = { shape: [D, 3 * D], data };
    } else if (name.endsWith(".attn.b_QKV")) {
      const p = name.slice(0, -"b_QKV".length),
        data = new Float32Array(3 * D);
      ["Q", "K", "V"].forEach((which, j) => data.set(need(w, `${p}b_${which}`, [H, dh]), j * D));
      out[name] = { shape: [3 * D], data };
    } else if (name.endsWith(".attn.W_O")) out[name] = { shape: [D, D], data: need(w, name, [H, dh, D]).slice() };
    else out[name] = { shape: paramShapes(c)[name], data: need(w, name, paramShapes(c)[name]).slice() };
  }
  return out;
}

function need(w: HostWeights, name: string, shape: number[]): Float32Array {
  const t = w[name];
  if (!t) throw new Error(`weights: missing tensor ${name}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new Error(`weights: ${name} has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(shape)}`);
  return t.data;
}

/** Read variables back to host memory. */
export function toHost(params: Record<string, tf.Tensor>): HostWeights {
  const out: HostWeights = {};
  for (const [name, v] of Object.entries(params))
    out[name] = { shape: [...v.shape], data: v.dataSync() as Float32Array };
  return out;
}

/** Host weights as (non-trainable) tfjs tensors. */
export function toTensors(w: HostWeights): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(w)) out[name] = tf.tensor(t.data, t.shape, "float32");
  return out;
}
