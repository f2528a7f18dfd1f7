// Zero-shot read-outs of an image embedding: softmax class probabilities over text prompts (CLIP style:
// logitScale × cosine similarity), the nearest captions by cosine, and before/after shifts of both.
import { AppError } from "@mmatlas/errors";

/** Rows of x [rows × dim] scaled to unit L2 norm (an all-zero row stays zero). */
export function normalizeRows(x: ArrayLike<number>, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 1 || x.length % dim !== 0)
    throw AppError.badInput(`cannot split ${x.length} values into rows of ${dim}`, "dim");
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[r * dim + i] ** 2;
    const n = Math.sqrt(s) || 1;
    for (let i = 0; i < dim; i++) out[r * dim + i] = x[r * dim + i] / n;
  }
  return out;
}

/** Cosine similarity of one unit-norm vector with each unit-norm row of `rows` [count × dim]. */
export function cosines(v: ArrayLike<number>, rows: ArrayLike<number>, dim: number): Float64Array {
  if (v.length !== dim || rows.length % dim !== 0)
    throw AppError.badInput(`vector of ${v.length} values against rows of ${dim}`, "dim");
  const n = rows.length / dim;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += v[i] * rows[r * dim + i];
    out[r] = s;
  }
  return out;
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  const out = new Float64Array(logits.length);
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += out[i] = Math.exp(logits[i] - m);
  for (let i = 0; i < out.length; i++) out[i] /= z;
  return out;
}

/** P(class | image) = softmax(logitScale × cos(image, class prompt)); both already unit-norm. */
export function zeroShotProbabilities(
  image: ArrayLike<number>,
  classes: ArrayLike<number>,
  dim: number,
  logitScale: number,
): Float64Array {
  if (!(logitScale > 0) || !Number.isFinite(logitScale))
    throw AppError.badInput(`logitScale must be a positive number, got ${logitScale}`, "logitScale");
  return softmax(cosines(image, classes, dim).map((c) => c * logitScale));
}

export interface RankedCaption {
  index: number;
  similarity: number;
}

/** The k captions most similar to the image, best first (ties: lower index first). */
export function nearestCaptions(similarities: ArrayLike<number>, k: number): RankedCaption[] {
  const order = Array.from({ length: similarities.length }, (_, i) => i);
  order.sort((a, b) => similarities[b] - similarities[a] || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, similarity: similarities[index] }));
}

export interface ClassShift {
  label: string;
  before: number;
  after: number;
  /** after − before */
  delta: number;
}

/** Per class: probability before and after an intervention and the change, in class order. */
export function classShifts(
  labels: readonly string[],
  before: ArrayLike<number>,
  after: ArrayLike<number>,
): ClassShift[] {
  if (before.length !== labels.length || after.length !== labels.length)
    throw AppError.badInput(`${labels.length} classes but ${before.length} / ${after.length} probabilities`, "classes");
  return labels.map((label, i) => ({ label, before: before[i], after: after[i], delta: after[i] - before[i] }));
}
