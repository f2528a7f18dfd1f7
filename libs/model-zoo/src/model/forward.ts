// tfjs forward pass of CLIP-shapes (used for training, evaluation, SAE activations and the ONNX check).
// Shapes: vision input = normalized patches [B, gridSize², patchDim]; text input = token ids [B, seqLen].
// Hook tensors use TransformerLens names: resid_post [B,T,D], mlp.hook_post [B,T,4D], attn.hook_pattern [B,H,T,T].
import * as tf from "@tensorflow/tfjs";
import { EOS_ID } from "../shapes/tokenize";
import { type ClipShapesConfig, headDim } from "./config";

export type Params = Record<string, tf.Tensor>;
export type Hooks = Record<string, tf.Tensor>;

/** x·w whose gradient uses explicit transposes + plain matMul (the fast path of tfjs-backend-wasm). */
export const matMulFast = tf.customGrad((...args: unknown[]) => {
  const [x, w, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1]) as tf.Tensor2D),
      tf.matMul(tf.transpose(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D),
    ],
  };
}) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

const linear = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(matMulFast(x, w), b);

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b);
}

/** Exact GELU: x·½·(1 + erf(x/√2)). */
export const gelu = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));

/** L2-normalize the last axis. */
export const l2normalize = (x: tf.Tensor) => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), 1e-12)));

function block(
  c: ClipShapesConfig,
  p: Params,
  pre: string,
  x2: tf.Tensor,
  B: number,
  T: number,
  mask: tf.Tensor | null,
  hooks?: Hooks,
): tf.Tensor {
  const D = c.width,
    H = c.heads,
    dh = headDim(c);
  const h1 = layerNorm(x2, p[`${pre}.ln1.w`], p[`${pre}.ln1.b`], c.lnEps);
  const qkv = linear(h1, p[`${pre}.attn.W_QKV`], p[`${pre}.attn.b_QKV`]);
  const [q, k, v] = tf.split(qkv, 3, 1).map((t) => tf.transpose(tf.reshape(t, [B, T, H, dh]), [0, 2, 1, 3]));
  let scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(dh)), k, false, true);
  if (mask) scores = tf.add(scores, mask);
  const pattern = tf.softmax(scores);
  const z = tf.reshape(tf.transpose(tf.matMul(pattern, v), [0, 2, 1, 3]), [B * T, D]);
  const mid = tf.add(x2, linear(z, p[`${pre}.attn.W_O`], p[`${pre}.attn.b_O`]));
  const h2 = layerNorm(mid, p[`${pre}.ln2.w`], p[`${pre}.ln2.b`], c.lnEps);
  const act = gelu(linear(h2, p[`${pre}.mlp.W_in`], p[`${pre}.mlp.b_in`]));
  const out = tf.add(mid, linear(act, p[`${pre}.mlp.W_out`], p[`${pre}.mlp.b_out`]));
  if (hooks) {
    hooks[`${pre}.attn.hook_pattern`] = pattern;
    hooks[`${pre}.mlp.hook_post`] = tf.reshape(act, [B, T, c.mlpWidth]);
    hooks[`${pre}.hook_resid_post`] = tf.reshape(out, [B, T, D]);
  }
  return out;
}

/** Image tower: patches [B, N, patchDim] (already normalized) → unnormalized embeddings [B, E]. */
export function imageTower(c: ClipShapesConfig, p: Params, patches: tf.Tensor, hooks?: Hooks): tf.Tensor {
  const [B, N, P] = patches.shape;
  const T = N + 1,
    D = c.width;
  const emb = tf.reshape(linear(tf.reshape(patches, [B * N, P]), p["vision.embed.W_E"], p["vision.embed.b_E"]), [
    B,
    N,
    D,
  ]);
  const cls = tf.tile(tf.reshape(p["vision.cls_token"], [1, 1, D]), [B, 1, 1]);
  let x2 = tf.reshape(tf.add(tf.concat([cls, emb], 1), p["vision.pos_embed.W_pos"]), [B * T, D]);
  for (let l = 0; l < c.layers; l++) x2 = block(c, p, `vision.blocks.${l}`, x2, B, T, null, hooks);
  const first = tf.reshape(tf.slice(tf.reshape(x2, [B, T, D]), [0, 0, 0], [B, 1, D]), [B, D]);
  return matMulFast(layerNorm(first, p["vision.ln_final.w"], p["vision.ln_final.b"], c.lnEps), p["vision.proj"]);
}

/** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above. */
export function causalMask(T: number): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));
}

/** Text tower: token ids [B, T] (right-padded, one <eos>) → unnormalized embeddings [B, E], pooled at <eos>. */
export function textTower(
  c: ClipShapesConfig,
  p: Params,
  tokens: tf.Tensor,
  hooks?: Hooks,
  mask?: tf.Tensor,
): tf.Tensor {
  const [B, T] = tokens.shape;
  const D = c.width;
  const oneHot = tf.oneHot(tf.reshape(tf.cast(tokens, "int32"), [B * T]) as tf.Tensor1D, c.vocabSize);
  let x2 = tf.reshape(
    tf.add(tf.reshape(matMulFast(oneHot, p["text.embed.W_E"]), [B, T, D]), p["text.pos_embed.W_pos"]),
    [B * T, D],
  );
  const m = mask ?? causalMask(T);
  for (let l = 0; l < c.layers; l++) x2 = block(c, p, `text.blocks.${l}`, x2, B, T, m, hooks);
  const eos = tf.reshape(tf.cast(tf.equal(tokens, EOS_ID), "float32"), [B, T, 1]);
  const pooled = tf.sum(tf.mul(tf.reshape(x2, [B, T, D]), eos), 1);
  return matMulFast(layerNorm(pooled, p["text.ln_final.w"], p["text.ln_final.b"], c.lnEps), p["text.proj"]);
}
