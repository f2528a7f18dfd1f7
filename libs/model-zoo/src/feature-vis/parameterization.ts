// Image parameterisation of feature visualization (as in Olah et al., "Feature Visualization", Distill 2017): an
// image is stored as 2-D DCT coefficients per decorrelated colour channel, scaled by 1/frequency so that every
// frequency learns at the same rate; pixels = sigmoid(colour-correlate(inverse DCT(coefficients · scale))). This
// keeps optimised images free of the high-frequency noise that plain-pixel optimisation produces.
import * as tf from "@tensorflow/tfjs";
import type { ClipShapesConfig } from "../model/config";
import { matMulFast } from "../model/forward";

/**
 * Orthonormal DCT-II basis [n, n] (row k = frequency k): B[k][i] = a_k·cos(π(i + ½)k / n), a_0 = √(1/n),
 * a_k = √(2/n). Rows are orthonormal, so x = Bᵀ·X inverts X = B·x.
 */
export function dctBasis(n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      out[k * n + i] = Math.sqrt((k === 0 ? 1 : 2) / n) * Math.cos((Math.PI * (i + 0.5) * k) / n);
  return out;
}

/**
 * Per-coefficient scale [n, n]: n^(1-decay) / max(f, 1/n)^decay with f = √(ky² + kx²) / (2n) the frequency in
 * cycles per pixel. The DC coefficient gets n, so that (its basis image being 1/n everywhere) one unit of it moves
 * every pixel by 1; higher frequencies get less (decay 1: ∝ 1/f, as in Lucid).
 */
export function spectrumScale(n: number, decay = 1): Float32Array {
  const out = new Float32Array(n * n);
  for (let ky = 0; ky < n; ky++)
    for (let kx = 0; kx < n; kx++) {
      const f = Math.sqrt(ky * ky + kx * kx) / (2 * n);
      out[ky * n + kx] = n ** (1 - decay) / Math.max(f, 1 / n) ** decay;
    }
  return out;
}

/**
 * Square root of the colour correlation of natural images (Lucid's color_correlation_svd_sqrt), columns scaled
 * by the largest column norm: rgb = M · decorrelated.
 */
export const COLOR_CORRELATION: readonly (readonly number[])[] = (() => {
  const m = [
    [0.26, 0.09, 0.02],
    [0.27, 0.0, -0.05],
    [0.27, -0.09, 0.03],
  ];
  const maxNorm = Math.max(...[0, 1, 2].map((j) => Math.hypot(m[0][j], m[1][j], m[2][j])));
  return m.map((row) => row.map((v) => v / maxNorm));
})();

/** Constants of the parameterisation for one image size (tensors; dispose after use). */
export interface ImageBasis {
  size: number;
  basis: tf.Tensor2D;
  scale: tf.Tensor2D;
  /** Mᵀ [3, 3], so that rgb[..., c] = Σ_j d[..., j] · M[c][j] */
  colorT: tf.Tensor2D;
}

export function createImageBasis(size: number, decay = 1): ImageBasis {
  return {
    size,
    basis: tf.tensor2d(dctBasis(size), [size, size]),
    scale: tf.tensor2d(spectrumScale(size, decay), [size, size]),
    colorT: tf.transpose(tf.tensor2d(COLOR_CORRELATION.map((r) => [...r]))) as tf.Tensor2D,
  };
}

export function disposeImageBasis(b: ImageBasis): void {
  tf.dispose([b.basis, b.scale, b.colorT]);
}

/** Coefficients [B, 3, S, S] (decorrelated channel, ky, kx) → pixels [B, S, S, 3] in (0, 1). */
export function coefficientsToPixels(coeffs: tf.Tensor4D, b: ImageBasis): tf.Tensor4D {
  const [B, C, S] = coeffs.shape;
  // x = Bᵀ·(X∘scale)·B per channel, as two 2-D matMuls: rows first, then columns
  const scaled = tf.reshape(tf.mul(coeffs, b.scale), [B * C * S, S]);
  const alongX = tf.reshape(matMulFast(scaled, b.basis), [B * C, S, S]); // [.., ky, x]
  const t = tf.reshape(tf.transpose(alongX, [0, 2, 1]), [B * C * S, S]); // [.., x, ky]
  const spatialT = tf.reshape(matMulFast(t, b.basis), [B, C, S, S]); // [b, c, x, y]
  const hwc = tf.reshape(tf.transpose(spatialT, [0, 3, 2, 1]), [B * S * S, C]); // [b, y, x, c]
  return tf.reshape(tf.sigmoid(matMulFast(hwc, b.colorT)), [B, S, S, C]) as tf.Tensor4D;
}

/** Pixels [B, S, S, 3] in [0,1] → normalized patches [B, gridSize², patchSize²·3], in the order of `patchify`. */
export function pixelsToPatches(c: ClipShapesConfig, pixels: tf.Tensor4D): tf.Tensor3D {
  const [B] = pixels.shape;
  const { gridSize: G, patchSize: P } = c;
  const norm = tf.div(tf.sub(pixels, tf.tensor1d(c.mean)), tf.tensor1d(c.std));
  const grid = tf.reshape(norm, [B * G, P, G, P * 3]); // [b·gy, py, gx, px·c]
  return tf.reshape(tf.transpose(grid, [0, 2, 1, 3]), [B, G * G, P * P * 3]) as tf.Tensor3D;
}
