// Contrastive training loop of CLIP-shapes on an endless seeded stream of shapes-world examples.
import * as tf from "@tensorflow/tfjs";
import { captionMatches } from "../shapes/captions";
import { generateShapesWorld, trainingCaption } from "../shapes/generate";
import { patchify, tokenizeBatch } from "./batch";
import type { ClipShapesConfig } from "./config";
import { causalMask, imageTower, l2normalize, textTower } from "./forward";
import { clipLoss, softTargets } from "./loss";
import { initParams, toHost, type HostWeights } from "./params";

export interface TrainOptions {
  seed: number;
  /** Seed of the training data stream (held-out evaluation uses other seeds). */
  dataSeed: number;
  steps: number;
  batch: number;
  lr: number;
  warmup: number;
  logEvery: number;
  onLog?: (line: string) => void;
  /** Called with the current weights every `checkpointEvery` steps and at the end. */
  onCheckpoint?: (weights: HostWeights, step: number) => void;
  checkpointEvery?: number;
}

export interface TrainResult {
  weights: HostWeights;
  losses: number[];
  seconds: number;
  msPerStep: number;
}

/** One training batch: patches, tokens and soft targets built from the tag-level caption matches. */
export function makeBatch(c: ClipShapesConfig, dataSeed: number, step: number, batch: number) {
  const ex = generateShapesWorld({ seed: dataSeed, count: batch, offset: step * batch });
  const caps = ex.map((e) => trainingCaption(e, dataSeed));
  const match = ex.map((e) => caps.map((cap) => captionMatches(cap.tags, e.tags)));
  return {
    patches: patchify(
      c,
      ex.map((e) => e.pixels),
    ),
    tokens: tokenizeBatch(
      caps.map((x) => x.text),
      c.textSeqLen,
    ),
    ...softTargets(match),
  };
}

/** Learning rate: linear warm-up then cosine decay to 5% of the peak. */
export function learningRate(step: number, o: Pick<TrainOptions, "lr" | "warmup" | "steps">): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const t = (step - o.warmup) / Math.max(1, o.steps - o.warmup);
  return o.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

export function trainClip(c: ClipShapesConfig, o: TrainOptions): TrainResult {
  const params = initParams(c, o.seed);
  const vars = Object.values(params);
  const opt = tf.train.adam(o.lr);
  const mask = causalMask(c.textSeqLen);
  const N = c.gridSize * c.gridSize,
    P = c.patchSize * c.patchSize * c.channels;
  const losses: number[] = [];
  const t0 = performance.now();
  for (let step = 0; step < o.steps; step++) {
    const b = makeBatch(c, o.dataSeed, step, o.batch);
    (opt as unknown as { learningRate: number }).learningRate = learningRate(step, o);
    const inputs = tf.tidy(() => ({
      patches: tf.tensor3d(b.patches, [o.batch, N, P]),
      tokens: tf.tensor2d(b.tokens, [o.batch, c.textSeqLen], "int32"),
      i2t: tf.tensor2d(b.imageToText, [o.batch, o.batch]),
      t2i: tf.tensor2d(b.textToImage, [o.batch, o.batch]),
    }));
    const cost = opt.minimize(
      () =>
        clipLoss(
          l2normalize(imageTower(c, params, inputs.patches)),
          l2normalize(textTower(c, params, inputs.tokens, undefined, mask)),
          params["logit_scale"],
          inputs.i2t,
          inputs.t2i,
        ),
      true,
      vars,
    )!;
    const loss = cost.dataSync()[0];
    cost.dispose();
    tf.dispose(inputs);
    losses.push(loss);
    if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${step} (loss ${loss})`);
    const done = step + 1;
    if (done % o.logEvery === 0 || done === o.steps) {
      const sec = (performance.now() - t0) / 1000;
      const recent = losses.slice(-o.logEvery);
      o.onLog?.(
        `step ${done}/${o.steps} loss ${(recent.reduce((s, v) => s + v, 0) / recent.length).toFixed(4)} ` +
          `scale ${Math.exp(params["logit_scale"].dataSync()[0]).toFixed(1)} ${((1000 * sec) / done).toFixed(0)} ms/step ` +
          `elapsed ${sec.toFixed(0)} s eta ${((sec / done) * (o.steps - done)).toFixed(0)} s`,
      );
    }
    if (o.onCheckpoint && o.checkpointEvery && done % o.checkpointEvery === 0 && done !== o.steps)
      o.onCheckpoint(toHost(params), done);
  }
  const seconds = (performance.now() - t0) / 1000;
  const weights = toHost(params);
  o.onCheckpoint?.(weights, o.steps);
  tf.dispose(vars);
  mask.dispose();
  opt.dispose();
  return { weights, losses, seconds, msPerStep: (1000 * seconds) / o.steps };
}
