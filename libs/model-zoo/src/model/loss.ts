// Contrastive (InfoNCE) loss with soft targets: every caption that is true of an image counts as a positive.
import * as tf from "@tensorflow/tfjs";

/**
 * Row-stochastic targets for image→text (rows) and text→image (rows of the transpose) from a boolean
 * match matrix match[i][j] = "caption j is true of image i" (the diagonal is always true).
 */
export function softTargets(match: boolean[][]): { imageToText: Float32Array; textToImage: Float32Array } {
  const n = match.length;
  const i2t = new Float32Array(n * n),
    t2i = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    let row = 0,
      col = 0;
    for (let j = 0; j < n; j++) {
      if (match[i][j]) row++;
      if (match[j][i]) col++;
    }
    for (let j = 0; j < n; j++) {
      if (match[i][j]) i2t[i * n + j] = 1 / row;
      if (match[j][i]) t2i[i * n + j] = 1 / col;
    }
  }
  return { imageToText: i2t, textToImage: t2i };
}

/** Mean of the two cross-entropies between softmax(scale·cos) and the soft targets ([B,B] each). */
export function clipLoss(
  imageEmb: tf.Tensor,
  textEmb: tf.Tensor,
  logitScale: tf.Tensor,
  i2t: tf.Tensor,
  t2i: tf.Tensor,
): tf.Scalar {
  const scale = tf.exp(tf.minimum(logitScale, Math.log(100)));
  const logits = tf.mul(tf.matMul(imageEmb, tf.transpose(textEmb)), scale);
  const logitsT = tf.transpose(logits);
  const ce = (lg: tf.Tensor, tgt: tf.Tensor) =>
    tf.neg(tf.mean(tf.sum(tf.mul(tgt, tf.sub(lg, tf.logSumExp(lg, 1, true))), 1)));
  return tf.mul(tf.add(ce(logits, i2t), ce(logitsT, t2i)), 0.5) as tf.Scalar;
}
