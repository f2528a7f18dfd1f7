// CLIPImageProcessor's geometry, bit-exact with Pillow (what Hugging Face runs on uint8 images): resize so the
// shortest edge is `shortestEdge` (the long edge int(shortestEdge·long/short)) with PIL's antialiased bicubic
// (Keys a = −0.5, support widened by the scale when shrinking, 22-bit fixed-point weights, horizontal pass then
// vertical, each rounded and clipped to uint8), then center crop `crop`×`crop` (top = (h − crop) // 2).
// Synchronous on purpose: the builder preprocesses row by row inside its batch loop (sharp is async-only).
import { InferenceError } from "../errors";
import type { RgbaImage } from "./decode-image";

const PRECISION_BITS = 22; // Pillow: 32 − 8 − 2
const ONE = 2 ** PRECISION_BITS;

function bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coeffs {
  start: Int32Array;
  count: Int32Array;
  k: Float64Array;
  ksize: number;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for a 0..inSize box. */
function coeffs(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize),
    count = new Int32Array(outSize),
    k = new Float64Array(outSize * ksize);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - lo;
    const w = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      w[i] = bicubic((i + lo - center + 0.5) / filterScale);
      total += w[i];
    }
    for (let i = 0; i < n; i++) {
      const v = total !== 0 ? w[i] / total : w[i];
      k[o * ksize + i] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    start[o] = lo;
    count[o] = n;
  }
  return { start, count, k, ksize };
}

const clip8 = (acc: number) => Math.min(255, Math.max(0, Math.floor(acc / ONE)));

/** One separable pass over `channels`-interleaved uint8 pixels along x (horizontal) or y (vertical). */
function pass(src: Uint8Array, w: number, h: number, outLen: number, horizontal: boolean): Uint8Array {
  const c = coeffs(horizontal ? w : h, outLen);
  const ow = horizontal ? outLen : w,
    oh = horizontal ? h : outLen;
  const out = new Uint8Array(ow * oh * 3);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const o = horizontal ? x : y;
      const base = o * c.ksize,
        lo = c.start[o],
        n = c.count[o];
      for (let ch = 0; ch < 3; ch++) {
        let acc = ONE / 2;
        for (let i = 0; i < n; i++) {
          const s = horizontal ? (y * w + lo + i) * 3 + ch : ((lo + i) * w + x) * 3 + ch;
          acc += src[s] * c.k[base + i];
        }
        out[(y * ow + x) * 3 + ch] = clip8(acc);
      }
    }
  }
  return out;
}

/** Output size of the shortest-edge resize (Hugging Face get_resize_output_image_size, default_to_square=False). */
export function shortestEdgeSize(
  width: number,
  height: number,
  shortestEdge: number,
): { width: number; height: number } {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((shortestEdge * long) / short);
  return width <= height ? { width: shortestEdge, height: newLong } : { width: newLong, height: shortestEdge };
}

/** RGBA → CHW float planes in [0,255] (uint8 values): shortest-edge bicubic resize, then center crop. Alpha dropped. */
export function clipResizeCropRgb(img: RgbaImage, shortestEdge: number, crop: number): Float32Array {
  if (!(Number.isInteger(shortestEdge) && shortestEdge >= crop && crop > 0))
    throw new InferenceError(
      "BAD_MANIFEST",
      `image.preprocess: shortestEdge ${shortestEdge} must be an integer ≥ the crop size ${crop}`,
    );
  const { width: W, height: H } = img;
  let rgb: Uint8Array = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    rgb[i * 3] = img.data[i * 4];
    rgb[i * 3 + 1] = img.data[i * 4 + 1];
    rgb[i * 3 + 2] = img.data[i * 4 + 2];
  }
  const size = shortestEdgeSize(W, H, shortestEdge);
  let w = W,
    h = H;
  if (size.width !== w) {
    rgb = pass(rgb, w, h, size.width, true);
    w = size.width;
  }
  if (size.height !== h) {
    rgb = pass(rgb, w, h, size.height, false);
    h = size.height;
  }
  const top = Math.floor((h - crop) / 2),
    left = Math.floor((w - crop) / 2);
  const plane = crop * crop;
  const out = new Float32Array(plane * 3);
  for (let y = 0; y < crop; y++)
    for (let x = 0; x < crop; x++)
      for (let ch = 0; ch < 3; ch++) out[ch * plane + y * crop + x] = rgb[((top + y) * w + left + x) * 3 + ch];
  return out;
}
