// Turns encoded images (PNG/JPEG bytes) or decoded RGBA images into the model's normalized float32 batch.
import { InferenceError } from "../errors";
import type { ImagePreprocessSpec } from "../manifest/types";
import { decodeImage, type RgbaImage } from "./decode-image";
import { clipResizeCropRgb } from "./clip-resize";
import { resizeBilinearRgb } from "./resize";

/** Encoded PNG/JPEG bytes, or already decoded RGBA pixels. */
export type ImageInput = Uint8Array | RgbaImage;

function toRgba(input: ImageInput, index: number): RgbaImage {
  if (input instanceof Uint8Array) return decodeImage(input, `image ${index}`);
  if (
    input &&
    typeof input === "object" &&
    Number.isInteger(input.width) &&
    Number.isInteger(input.height) &&
    input.data instanceof Uint8Array
  ) {
    if (input.width <= 0 || input.height <= 0 || input.data.length !== input.width * input.height * 4)
      throw new InferenceError(
        "BAD_IMAGE",
        `image ${index}: RGBA data has ${input.data.length} bytes, expected ${input.width}×${input.height}×4`,
      );
    return input;
  }
  throw new InferenceError(
    "BAD_INPUT",
    `image ${index}: expected PNG/JPEG bytes (Uint8Array) or { width, height, data: RGBA Uint8Array }`,
  );
}

/**
 * One image → size×size float32 in the manifest layout (CHW or HWC), (v/255 - mean) / std. The geometry is a plain
 * bilinear resize to size×size, or with `resize: "clip"` CLIPImageProcessor's shortest-edge bicubic resize + center crop.
 */
export function preprocessImage(input: ImageInput, spec: ImagePreprocessSpec, index = 0): Float32Array {
  const rgba = toRgba(input, index);
  const rgb =
    spec.resize === "clip"
      ? clipResizeCropRgb(rgba, spec.shortestEdge ?? spec.size, spec.size)
      : resizeBilinearRgb(rgba, spec.size, spec.size); // CHW in [0,255]
  const plane = spec.size * spec.size;
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const m = spec.mean[c],
      s = spec.std[c];
    for (let i = 0; i < plane; i++) {
      const v = (rgb[c * plane + i] / 255 - m) / s;
      if (spec.layout === "NCHW") out[c * plane + i] = v;
      else out[i * 3 + c] = v;
    }
  }
  return out;
}

/** A batch of images → [B,3,S,S] (NCHW) or [B,S,S,3] (NHWC) float32. */
export function preprocessImages(inputs: ImageInput[], spec: ImagePreprocessSpec): Float32Array {
  const per = spec.size * spec.size * 3;
  const out = new Float32Array(inputs.length * per);
  inputs.forEach((img, i) => out.set(preprocessImage(img, spec, i), i * per));
  return out;
}
