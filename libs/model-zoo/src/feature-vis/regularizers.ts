// Regularisers of feature visualization (pixels [B, H, W, C] in [0,1]): total variation and the L2 distance
// from mid-grey, each per image, plus the wrap-around shift used as jitter. Pure tfjs; differentiable.
import * as tf from "@tensorflow/tfjs";

/**
 * Anisotropic total variation per image, averaged over neighbour pairs:
 * (Σ|x[i+1,j]-x[i,j]| + Σ|x[i,j+1]-x[i,j]|) / (C·((H-1)·W + H·(W-1))). Returns [B].
 */
export function totalVariation(pixels: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const [B, H, W, C] = pixels.shape;
    const dy = tf.abs(tf.sub(tf.slice(pixels, [0, 1, 0, 0], [B, H - 1, W, C]), tf.slice(pixels, 0, [B, H - 1, W, C])));
    const dx = tf.abs(tf.sub(tf.slice(pixels, [0, 0, 1, 0], [B, H, W - 1, C]), tf.slice(pixels, 0, [B, H, W - 1, C])));
    const pairs = C * ((H - 1) * W + H * (W - 1));
    return tf.div(tf.add(tf.sum(dy, [1, 2, 3]), tf.sum(dx, [1, 2, 3])), pairs) as tf.Tensor1D;
  });
}

/** Mean squared distance of every pixel value from 0.5 (mid-grey), per image. Returns [B]. */
export function l2FromGrey(pixels: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pixels, 0.5)), [1, 2, 3]) as tf.Tensor1D);
}

/** Shift along one axis with wrap-around: out[i] = x[(i - shift) mod n]. */
function rollAxis(x: tf.Tensor4D, shift: number, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const s = ((shift % n) + n) % n;
  if (s === 0) return x;
  const begin = [0, 0, 0, 0],
    size = [...x.shape] as number[];
  const headBegin = [...begin];
  headBegin[axis] = n - s;
  const headSize = [...size];
  headSize[axis] = s;
  const tailSize = [...size];
  tailSize[axis] = n - s;
  return tf.concat([tf.slice(x, headBegin, headSize), tf.slice(x, begin, tailSize)], axis) as tf.Tensor4D;
}

/** Jitter: the images rolled by (dy, dx) pixels (wrap-around, so no border is invented). */
export function roll2d(pixels: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => rollAxis(rollAxis(pixels, dy, 1), dx, 2));
}
