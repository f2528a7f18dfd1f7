// Feature visualization of CLIP-shapes image units with the tfjs model (gradients exist there, unlike in
// onnxruntime-node): for each target one image, parameterised in decorrelated DCT space (parameterization.ts),
// optimised with Adam to maximise the unit's mean + max value over the 17 image tokens (the atlas measures an
// example by its max; the mean spreads the gradient over all patches), under random jitter each step
// and a total-variation + L2 penalty. Many targets share one batch (one image each; Adam is elementwise, so
// images do not interact). A fixed seed gives the same images: start coefficients are seeded per target
// (seed + target key), jitter offsets from the seed.
import * as tf from "@tensorflow/tfjs";
import type { ClipShapesConfig } from "../model/config";
import { imageTower, type Params } from "../model/forward";
import { patchify } from "../model/batch";
import { encodePng } from "../shapes/png";
import { createRng } from "../shapes/rng";
import { coefficientsToPixels, createImageBasis, disposeImageBasis, pixelsToPatches } from "./parameterization";
import { l2FromGrey, roll2d, totalVariation } from "./regularizers";
import { groupTargets, targetKey, targetValues, type VisTarget } from "./unit-objective";

/** Bumped when the method or its defaults change (stored with each image). */
export const FEATURE_VIS_VERSION = 1;

export interface FeatureVisOptions {
  steps: number;
  seed: number;
  /** Adam learning rate on the DCT coefficients */
  learningRate: number;
  /** largest jitter shift in pixels (each axis, uniform in [-jitter, jitter]) */
  jitter: number;
  totalVariationWeight: number;
  l2Weight: number;
  /** std of the seeded start coefficients */
  initStd: number;
  /** images per optimisation batch */
  batchSize: number;
  /** spectrum decay of the DCT parameterisation (higher: smoother images) */
  decay: number;
  /** what is maximised over the image tokens: their mean, their max, or the sum of both */
  reduce: "mean" | "max" | "mean+max";
}

/**
 * Defaults chosen on 32 layer-1 units (16 MLP neurons, 16 TopK-SAE latents) of CLIP-shapes: every optimised image
 * beat its start image, 29/32 beat the unit's max over 128 shapes-world images (mean ratio 2.0), and decay 1.5 with
 * TV 3 gave smoother images than decay 1 / TV 0.1 at about the same activation.
 */
export const DEFAULT_FEATURE_VIS_OPTIONS: FeatureVisOptions = {
  steps: 64,
  seed: 0,
  learningRate: 0.05,
  jitter: 2,
  totalVariationWeight: 3,
  l2Weight: 0.3,
  initStd: 0.01,
  batchSize: 64,
  reduce: "mean+max",
  decay: 1.5,
};

export interface FeatureVisResult {
  target: VisTarget;
  /** RGB bytes (imageSize² × 3) and their PNG */
  rgb: Uint8Array;
  png: Buffer;
  /** the unit's activation on the stored (8-bit) image: max over tokens, as the atlas measures examples */
  activation: number;
  /** the same on the start image */
  startActivation: number;
}

/** Block index of a `vision.blocks.<l>.…` hook. */
const layerOf = (hook: string): number => Number(/^vision\.blocks\.(\d+)\./.exec(hook)?.[1] ?? NaN);

/** 32-bit FNV-1a hash of a string (mixes the target key into its seed). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Seeded start coefficients [3, S, S] ~ N(0, std²) (Box–Muller on mulberry32). */
function startCoefficients(seed: number, key: string, size: number, std: number): Float32Array {
  const rng = createRng((seed ^ hashString(key)) | 0),
    out = new Float32Array(3 * size * size);
  for (let i = 0; i < out.length; i++) {
    const u = Math.max(rng(), 1e-12),
      v = rng();
    out[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** Float pixels [B,S,S,3] in [0,1] → 8-bit RGB images. */
function toBytes(pixels: Float32Array, B: number, size: number): Uint8Array[] {
  const per = size * size * 3;
  return Array.from({ length: B }, (_, b) =>
    Uint8Array.from(pixels.subarray(b * per, (b + 1) * per), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)),
  );
}

/**
 * Each target's activation on its image (image i for target i): the max over the image's tokens of the exact unit
 * value (SAE latents after ReLU/TopK), as the atlas reduces an example.
 */
export function measureTargets(
  c: ClipShapesConfig,
  params: Params,
  targets: readonly VisTarget[],
  images: readonly Uint8Array[],
): number[] {
  if (images.length !== targets.length) throw new Error("measureTargets: one image per target");
  if (!targets.length) return [];
  return tf.tidy(() => {
    const B = targets.length,
      hooks: Record<string, tf.Tensor> = {};
    imageTower(c, params, tf.tensor3d(patchify(c, images), [B, c.gridSize ** 2, c.patchSize ** 2 * 3]), hooks);
    return Array.from(tf.max(targetValues(hooks, groupTargets(targets), B, true), 1).dataSync());
  });
}

/** Lets other work of the event loop run (an optimisation step holds the thread for up to a few hundred ms). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Optimises one batch of targets; returns float pixels [B,S,S,3] of the start and final images. */
async function optimiseBatch(
  c: ClipShapesConfig,
  params: Params,
  targets: readonly VisTarget[],
  o: FeatureVisOptions,
  onStep: () => void,
): Promise<{ start: Float32Array; final: Float32Array }> {
  const S = c.imageSize,
    B = targets.length;
  const groups = groupTargets(targets);
  // blocks after the deepest target's layer cannot change the objective: they are not run
  const upTo = { ...c, layers: Math.min(c.layers, 1 + Math.max(...targets.map((t) => layerOf(t.hook)))) };
  const basis = createImageBasis(S, o.decay);
  const init = new Float32Array(B * 3 * S * S);
  targets.forEach((t, b) => init.set(startCoefficients(o.seed, targetKey(t), S, o.initStd), b * 3 * S * S));
  const coeffs = tf.variable(tf.tensor4d(init, [B, 3, S, S]), true);
  const start = tf.tidy(() => coefficientsToPixels(coeffs, basis).dataSync() as Float32Array);
  const opt = tf.train.adam(o.learningRate);
  const rng = createRng(o.seed);
  const shift = () => Math.floor(rng() * (2 * o.jitter + 1)) - o.jitter;
  try {
    for (let step = 0; step < o.steps; step++) {
      const dy = shift(),
        dx = shift();
      const loss = opt.minimize(
        () => {
          const pixels = coefficientsToPixels(coeffs, basis);
          const hooks: Record<string, tf.Tensor> = {};
          imageTower(upTo, params, pixelsToPatches(c, roll2d(pixels, dy, dx)), hooks);
          const values = targetValues(hooks, groups, B, false);
          const objective =
            o.reduce === "mean"
              ? tf.mean(values, 1)
              : o.reduce === "max"
                ? tf.max(values, 1)
                : tf.add(tf.mean(values, 1), tf.max(values, 1));
          const penalty = tf.add(
            tf.mul(totalVariation(pixels), o.totalVariationWeight),
            tf.mul(l2FromGrey(pixels), o.l2Weight),
          );
          return tf.sum(tf.sub(penalty, objective)) as tf.Scalar;
        },
        false,
        [coeffs],
      );
      loss?.dispose();
      onStep();
      await yieldToEventLoop();
    }
    const final = tf.tidy(() => coefficientsToPixels(coeffs, basis).dataSync() as Float32Array);
    return { start, final };
  } finally {
    opt.dispose();
    coeffs.dispose();
    disposeImageBasis(basis);
  }
}

/**
 * Feature visualizations of `targets` (in order). `onProgress(done, total)` counts optimisation steps × images;
 * `signal` stops between steps (throws the signal's reason). Yields to the event loop after every step.
 */
export async function visualizeTargets(
  c: ClipShapesConfig,
  params: Params,
  targets: readonly VisTarget[],
  options: Partial<FeatureVisOptions> = {},
  hooks: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<FeatureVisResult[]> {
  const o = { ...DEFAULT_FEATURE_VIS_OPTIONS, ...options };
  if (!(o.steps >= 0 && o.batchSize >= 1)) throw new Error("feature visualization: steps ≥ 0 and batchSize ≥ 1");
  const total = targets.length * o.steps,
    S = c.imageSize;
  let done = 0;
  const out: FeatureVisResult[] = new Array(targets.length);
  // shallow targets first, batched together: their batches run fewer blocks
  const order = targets.map((_, i) => i).sort((a, b) => layerOf(targets[a].hook) - layerOf(targets[b].hook) || a - b);
  for (let s = 0; s < order.length; s += o.batchSize) {
    const slots = order.slice(s, s + o.batchSize);
    const batch = slots.map((i) => targets[i]);
    const { start, final } = await optimiseBatch(c, params, batch, o, () => {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error("aborted");
      done += batch.length;
      hooks.onProgress?.(done, total);
    });
    const startImgs = toBytes(start, batch.length, S),
      finalImgs = toBytes(final, batch.length, S);
    const startAct = measureTargets(c, params, batch, startImgs),
      finalAct = measureTargets(c, params, batch, finalImgs);
    batch.forEach((target, i) => {
      out[slots[i]] = {
        target,
        rgb: finalImgs[i],
        png: encodePng(finalImgs[i], S, S),
        activation: finalAct[i],
        startActivation: startAct[i],
      };
    });
  }
  return out;
}
