// Bilinear resize of RGBA pixels to float RGB planes, PIL-style: pixel centers at i+0.5, triangle filter
// widened by the scale when shrinking (antialiasing), weights renormalized at the borders. Alpha is dropped.
import type { RgbaImage } from "./decode-image";

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  maxTaps: number;
}

/** Per output index: the first source index and normalized weights of the source pixels it mixes. */
export function bilinearTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // bilinear support 1, widened when downscaling
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize),
    count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let s = lo; s < hi; s++) {
      const w = Math.max(0, 1 - Math.abs((s - center + 0.5) / filterScale));
      weights[o * maxTaps + (s - lo)] = w;
      total += w;
    }
    for (let s = lo; s < hi; s++) weights[o * maxTaps + (s - lo)] /= total || 1;
    start[o] = lo;
    count[o] = hi - lo;
  }
  return { start, count, weights, maxTaps };
}

/** Resize to outW×outH; returns 3 planes (R, G, B) of outH×outW floats in [0,255]. */
export function resizeBilinearRgb(img: RgbaImage, outW: number, outH: number): Float32Array {
  const { width: W, height: H, data } = img;
  if (W === outW && H === outH) return copyRgbPlanes(img); // the taps are the identity (weights 1 and 0): same values
  const tx = bilinearTaps(W, outW),
    ty = bilinearTaps(H, outH);
  // horizontal pass: H rows × outW × 3
  const tmp = new Float64Array(H * outW * 3);
  for (let y = 0; y < H; y++)
    for (let ox = 0; ox < outW; ox++) {
      let r = 0,
        g = 0,
        b = 0;
      for (let t = 0; t < tx.count[ox]; t++) {
        const w = tx.weights[ox * tx.maxTaps + t];
        const p = (y * W + tx.start[ox] + t) * 4;
        r += w * data[p];
        g += w * data[p + 1];
        b += w * data[p + 2];
      }
      const q = (y * outW + ox) * 3;
      tmp[q] = r;
      tmp[q + 1] = g;
      tmp[q + 2] = b;
    }
  // vertical pass into planes
  const plane = outW * outH;
  const out = new Float32Array(plane * 3);
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++) {
      let r = 0,
        g = 0,
        b = 0;
      for (let t = 0; t < ty.count[oy]; t++) {
        const w = ty.weights[oy * ty.maxTaps + t];
        const q = ((ty.start[oy] + t) * outW + ox) * 3;
        r += w * tmp[q];
        g += w * tmp[q + 1];
        b += w * tmp[q + 2];
      }
      const i = oy * outW + ox;
      out[i] = r;
      out[plane + i] = g;
      out[2 * plane + i] = b;
    }
  return out;
}

/** RGBA pixels → 3 planes (R, G, B) of floats in [0,255], unchanged in size */
function copyRgbPlanes(img: RgbaImage): Float32Array {
  const plane = img.width * img.height,
    data = img.data;
  const out = new Float32Array(plane * 3);
  for (let i = 0, p = 0; i < plane; i++, p += 4) {
    out[i] = data[p];
    out[plane + i] = data[p + 1];
    out[2 * plane + i] = data[p + 2];
  }
  return out;
}
