// Turns shapes-world examples into model inputs: normalized patches (patchify as in the ONNX graph) and token ids.
import type { ShapesExample } from "../shapes/generate";
import { tokenizeWords } from "../shapes/tokenize";
import type { ClipShapesConfig } from "./config";

/** [count, gridSize², patchSize²·3] float32; a patch vector is ordered (row, col, channel), pixels (v/255 - mean)/std. */
export function patchify(c: ClipShapesConfig, images: readonly Uint8Array[]): Float32Array {
  const { patchSize: P, gridSize: G, imageSize: S } = c;
  const per = G * G * P * P * 3;
  const out = new Float32Array(images.length * per);
  images.forEach((img, n) => {
    let o = n * per;
    for (let gy = 0; gy < G; gy++)
      for (let gx = 0; gx < G; gx++)
        for (let py = 0; py < P; py++)
          for (let px = 0; px < P; px++) {
            const i = ((gy * P + py) * S + gx * P + px) * 3;
            for (let ch = 0; ch < 3; ch++) out[o++] = (img[i + ch] / 255 - c.mean[ch]) / c.std[ch];
          }
  });
  return out;
}

/** Pixels of RGB images as NCHW float32 in [0,1] (the ONNX `pixels` input). */
export function toNchw(images: readonly Uint8Array[], size: number): Float32Array {
  const out = new Float32Array(images.length * 3 * size * size);
  images.forEach((img, n) => {
    for (let i = 0; i < size * size; i++)
      for (let ch = 0; ch < 3; ch++) out[(n * 3 + ch) * size * size + i] = img[3 * i + ch] / 255;
  });
  return out;
}

/** Token ids [count, seqLen] as int32. */
export function tokenizeBatch(texts: readonly string[], seqLen: number): Int32Array {
  const out = new Int32Array(texts.length * seqLen);
  texts.forEach((t, i) => out.set(tokenizeWords(t, seqLen), i * seqLen));
  return out;
}

/** Convenience: patches for examples. */
export const examplesToPatches = (c: ClipShapesConfig, ex: readonly ShapesExample[]) =>
  patchify(
    c,
    ex.map((e) => e.pixels),
  );
