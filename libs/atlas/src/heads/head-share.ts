// How much of the image embedding a direct term (a head) carries, and what mean-ablating it does:
//  - share of a term = mean over images of ‖e_t(x)‖² / Σ_{all direct terms s} ‖e_s(x)‖² (every term of the
//    decomposition: embedding, heads, b_O's, MLPs), so the shares of all heads sum to ≤ 1;
//  - mean-ablation replaces a term's joint-space contribution by its mean over the images, then zero-shot
//    classification (argmax cosine to class text embeddings) is scored before and after.
import { AtlasError } from "../errors";

/**
 * Mean share of each term: `norms2` [n × terms] holds ‖e_t(x)‖² per image and term. Images whose terms are all
 * zero are skipped.
 */
export function directShares(norms2: ArrayLike<number>, n: number, terms: number): Float64Array {
  if (norms2.length !== n * terms) throw new AtlasError("SHAPE_MISMATCH", `norms2: ${norms2.length} ≠ ${n}×${terms}`);
  const out = new Float64Array(terms);
  let counted = 0;
  for (let a = 0; a < n; a++) {
    let sum = 0;
    for (let t = 0; t < terms; t++) sum += norms2[a * terms + t];
    if (!(sum > 0)) continue;
    counted++;
    for (let t = 0; t < terms; t++) out[t] += norms2[a * terms + t] / sum;
  }
  if (counted) for (let t = 0; t < terms; t++) out[t] /= counted;
  return out;
}

/** z − term + mean(term) per row: `z` and `term` are [n × dim]. */
export function meanAblate(z: ArrayLike<number>, term: ArrayLike<number>, n: number, dim: number): Float64Array {
  if (z.length !== n * dim || term.length !== n * dim)
    throw new AtlasError("SHAPE_MISMATCH", `z and term must be ${n}×${dim}`);
  const mean = new Float64Array(dim);
  for (let a = 0; a < n; a++) for (let i = 0; i < dim; i++) mean[i] += term[a * dim + i] / n;
  const out = new Float64Array(n * dim);
  for (let a = 0; a < n; a++)
    for (let i = 0; i < dim; i++) out[a * dim + i] = z[a * dim + i] - term[a * dim + i] + mean[i];
  return out;
}

/**
 * Zero-shot accuracy: image rows [n × dim] against class rows [c × dim] (cosine, argmax), over the images with a
 * true class (`truth[a]` ≥ 0). null when no image has one.
 */
export function zeroShotAccuracy(
  images: ArrayLike<number>,
  n: number,
  classes: ArrayLike<number>,
  c: number,
  dim: number,
  truth: number[],
): { accuracy: number; examples: number } | null {
  if (images.length !== n * dim || classes.length !== c * dim || truth.length !== n)
    throw new AtlasError("SHAPE_MISMATCH", `zero-shot inputs: images ${n}×${dim}, classes ${c}×${dim}, truth ${n}`);
  const cn = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += classes[j * dim + i] ** 2;
    cn[j] = Math.sqrt(s) || 1;
  }
  let right = 0,
    examples = 0;
  for (let a = 0; a < n; a++) {
    if (truth[a] < 0) continue;
    examples++;
    let best = -1,
      bestScore = -Infinity;
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += images[a * dim + i] * classes[j * dim + i];
      s /= cn[j];
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    }
    if (best === truth[a]) right++;
  }
  return examples ? { accuracy: right / examples, examples } : null;
}
