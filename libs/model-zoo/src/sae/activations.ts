// Collects residual-stream activation vectors (one row per token) from the tfjs model for SAE training.
import type { ClipShapesTf } from "../model/embed";
import { generateCaptionCorpus } from "../shapes/captions";
import { generateShapesWorld } from "../shapes/generate";
import { EOS_ID } from "../shapes/tokenize";
import { tokenizeBatch } from "../model/batch";

export interface ActivationRows {
  rows: number;
  dIn: number;
  data: Float32Array;
}

/** Every token's activation at a vision hook ([B,T,D] → [B·T, D]) for `count` shapes-world images. */
export function visionActivations(model: ClipShapesTf, hook: string, seed: number, count: number): ActivationRows {
  const ex = generateShapesWorld({ seed, count });
  const h = model.embedImages(
    ex.map((e) => e.pixels),
    [hook],
  ).hooks[hook];
  const dIn = h.shape[2];
  return { rows: h.data.length / dIn, dIn, data: h.data };
}

/** Text-hook activations at real token positions (up to and including <eos>; padding is skipped). */
export function textActivations(model: ClipShapesTf, hook: string, seed: number, count: number): ActivationRows {
  const texts = generateCaptionCorpus({ seed, count }).map((t) => t.text);
  const h = model.embedTexts(texts, [hook]).hooks[hook];
  const [, T, dIn] = h.shape;
  const ids = tokenizeBatch(texts, T);
  const keep: number[] = [];
  for (let b = 0; b < texts.length; b++) {
    for (let t = 0; t < T; t++) {
      keep.push(b * T + t);
      if (ids[b * T + t] === EOS_ID) break;
    }
  }
  const data = new Float32Array(keep.length * dIn);
  keep.forEach((r, i) => data.set(h.data.subarray(r * dIn, (r + 1) * dIn), i * dIn));
  return { rows: keep.length, dIn, data };
}
