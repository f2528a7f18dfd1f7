// Trains a ReLU ("standard") or TopK sparse autoencoder on activation vectors with tfjs, and measures it.
// Encoder (apply_b_dec_to_input): f = act((x - b_dec)·W_enc + b_enc); decoder: x̂ = f·W_dec + b_dec.
// ReLU SAEs use an L1 penalty weighted by decoder row norms; TopK keeps the k largest pre-activations (then ReLU).
import * as tf from "@tensorflow/tfjs";
import { matMulFast } from "../model/forward";
import { createRng } from "../shapes/rng";
import type { SaeArchitecture, SaeMetrics, SaeWeights } from "./types";

export interface SaeTrainOptions {
  architecture: SaeArchitecture;
  dSae: number;
  k?: number;
  l1Coefficient?: number;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
}

/** Rows of `x` ([rows, dIn]) and their mean. */
function columnMean(x: Float32Array, dIn: number): Float32Array {
  const rows = x.length / dIn,
    m = new Float32Array(dIn);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dIn; j++) m[j] += x[r * dIn + j] / rows;
  return m;
}

/** Pre-activations (x - b_dec)·W_enc + b_enc. */
const preActs = (x: tf.Tensor, p: Record<string, tf.Tensor>) =>
  tf.add(matMulFast(tf.sub(x, p.b_dec), p.W_enc), p.b_enc);

/** 0/1 mask of each row's k largest pre-activations (computed off the gradient tape). */
function topkMask(pre: tf.Tensor, k: number): tf.Tensor {
  const kth = tf.slice(tf.topk(pre, k).values, [0, k - 1], [-1, 1]);
  return tf.cast(tf.greaterEqual(pre, kth), "float32");
}

/** Latent activations; TopK SAEs need the mask from topkMask (kept out of autodiff, as in SAELens). */
function encode(x: tf.Tensor, p: Record<string, tf.Tensor>, arch: SaeArchitecture, mask?: tf.Tensor): tf.Tensor {
  const pre = preActs(x, p);
  return arch === "standard" ? tf.relu(pre) : tf.relu(tf.mul(pre, mask!));
}

export function trainSae(x: Float32Array, dIn: number, o: SaeTrainOptions, log?: (s: string) => void): SaeWeights {
  const rows = x.length / dIn,
    rng = createRng(o.seed);
  const mean = columnMean(x, dIn);
  const p = {
    W_enc: tf.variable(tf.randomNormal([dIn, o.dSae], 0, 1 / Math.sqrt(dIn), "float32", o.seed)),
    b_enc: tf.variable(tf.zeros([o.dSae])),
    W_dec: tf.variable(tf.zeros([o.dSae, dIn])),
    b_dec: tf.variable(tf.tensor1d(mean)),
  };
  p.W_dec.assign(tf.tidy(() => unitRows(tf.transpose(p.W_enc))));
  const opt = tf.train.adam(o.lr);
  const xAll = tf.tensor2d(x, [rows, dIn]);
  for (let step = 0; step < o.steps; step++) {
    const idx = tf.tensor1d(
      Int32Array.from({ length: o.batch }, () => Math.floor(rng() * rows)),
      "int32",
    );
    const xb = tf.gather(xAll, idx);
    const mask = o.architecture === "topk" ? tf.tidy(() => topkMask(preActs(xb, p), o.k!)) : undefined;
    const cost = opt.minimize(
      () => {
        const f = encode(xb, p, o.architecture, mask);
        const recon = tf.add(matMulFast(f, p.W_dec), p.b_dec);
        const mse = tf.mean(tf.sum(tf.square(tf.sub(recon, xb)), 1));
        if (o.architecture === "topk") return mse as tf.Scalar;
        const decNorm = tf.norm(p.W_dec, "euclidean", 1);
        return tf.add(mse, tf.mul(o.l1Coefficient ?? 1, tf.mean(tf.sum(tf.mul(f, decNorm), 1)))) as tf.Scalar;
      },
      true,
      Object.values(p),
    )!;
    if (o.architecture === "topk") tf.tidy(() => p.W_dec.assign(unitRows(p.W_dec)));
    if (log && (step + 1) % 500 === 0) log(`  step ${step + 1}/${o.steps} loss ${cost.dataSync()[0].toFixed(4)}`);
    cost.dispose();
    xb.dispose();
    idx.dispose();
    mask?.dispose();
  }
  const out: SaeWeights = {
    architecture: o.architecture,
    dIn,
    dSae: o.dSae,
    k: o.k,
    W_enc: p.W_enc.dataSync() as Float32Array,
    W_dec: p.W_dec.dataSync() as Float32Array,
    b_enc: p.b_enc.dataSync() as Float32Array,
    b_dec: p.b_dec.dataSync() as Float32Array,
  };
  tf.dispose([...Object.values(p), xAll]);
  opt.dispose();
  return out;
}

const unitRows = (w: tf.Tensor) => tf.div(w, tf.add(tf.norm(w, "euclidean", 1, true), 1e-8));

/** Encode + reconstruct `x` with a trained SAE and measure L0, explained variance and dead latents. */
export function measureSae(sae: SaeWeights, x: Float32Array): SaeMetrics {
  const rows = x.length / sae.dIn;
  return tf.tidy(() => {
    const p = {
      W_enc: tf.tensor2d(sae.W_enc, [sae.dIn, sae.dSae]),
      b_enc: tf.tensor1d(sae.b_enc),
      W_dec: tf.tensor2d(sae.W_dec, [sae.dSae, sae.dIn]),
      b_dec: tf.tensor1d(sae.b_dec),
    };
    const xt = tf.tensor2d(x, [rows, sae.dIn]);
    const f = encode(
      xt,
      p,
      sae.architecture,
      sae.architecture === "topk" ? topkMask(preActs(xt, p), sae.k!) : undefined,
    );
    const recon = tf.add(tf.matMul(f, p.W_dec), p.b_dec);
    const active = tf.cast(tf.greater(f, 0), "float32");
    const l0 = tf.mean(tf.sum(active, 1)).dataSync()[0];
    const fired = tf.greater(tf.max(f, 0), 0).dataSync();
    const sse = tf.sum(tf.square(tf.sub(recon, xt))).dataSync()[0];
    const sst = tf.sum(tf.square(tf.sub(xt, tf.mean(xt, 0)))).dataSync()[0];
    const dead = Array.from(fired).filter((v) => !v).length;
    return { l0, explainedVariance: 1 - sse / sst, deadFraction: dead / sae.dSae, mse: sse / rows, evalRows: rows };
  });
}
