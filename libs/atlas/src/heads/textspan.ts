// TextSpan (Gandelsman et al., ICLR 2024, Algorithm 1, as in their reference code): describe the principal
// directions of a head's outputs in the joint space with texts. C = the head's outputs over N images, mean-centred;
// R = text embeddings of a vocabulary (unit norm). Repeat k times: pick the text r with the largest Σ_n (C_n·r)²
// (as the reference code, r is not renormalised after earlier projections, so texts whose remaining part is short
// score low), then project r̂ out of C and out of every text. Each pick reports the share of the head's total
// variance (‖C₀‖²_F) its step removed (Σ_n (C_n·r̂)²); the shares sum to ≤ 1.
import { AtlasError } from "../errors";

export interface SpanText {
  /** row of the vocabulary */
  index: number;
  /** variance removed by this pick / the head's total variance */
  explainedVariance: number;
}

/** Centres the rows of a [n × dim] matrix (copy, float64). */
export function centreRows(x: ArrayLike<number>, n: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let i = 0; i < dim; i++) mean[i] += x[r * dim + i] / n;
  const out = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) for (let i = 0; i < dim; i++) out[r * dim + i] = x[r * dim + i] - mean[i];
  return out;
}

/**
 * The greedy TextSpan basis of a head: `outputs` [n × dim] (its contributions to the embedding, not yet
 * centred), `texts` [m × dim] (text embeddings), k picks (fewer when the texts or the variance run out).
 */
export function textSpan(
  outputs: ArrayLike<number>,
  n: number,
  texts: ArrayLike<number>,
  m: number,
  dim: number,
  k: number,
): SpanText[] {
  if (outputs.length !== n * dim) throw new AtlasError("SHAPE_MISMATCH", `outputs: ${outputs.length} ≠ ${n}×${dim}`);
  if (texts.length !== m * dim) throw new AtlasError("SHAPE_MISMATCH", `texts: ${texts.length} ≠ ${m}×${dim}`);
  if (!Number.isInteger(k) || k < 0) throw new AtlasError("BAD_OPTION", `k must be a non-negative integer`);
  const c = centreRows(outputs, n, dim);
  const r = Float64Array.from(texts as ArrayLike<number>);
  let total = 0;
  for (let i = 0; i < c.length; i++) total += c[i] * c[i];
  const picked: SpanText[] = [];
  if (total <= 0 || n === 0) return picked;
  const used = new Set<number>();
  const proj = new Float64Array(n);
  for (let step = 0; step < Math.min(k, m); step++) {
    let best = -1,
      bestScore = 0;
    for (let j = 0; j < m; j++) {
      if (used.has(j)) continue;
      let norm2 = 0;
      for (let i = 0; i < dim; i++) norm2 += r[j * dim + i] ** 2;
      if (norm2 < 1e-12) continue;
      let s = 0;
      for (let a = 0; a < n; a++) {
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += c[a * dim + i] * r[j * dim + i];
        s += dot * dot;
      }
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    }
    if (best < 0) break;
    used.add(best);
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += r[best * dim + i] ** 2;
    norm = Math.sqrt(norm);
    const u = new Float64Array(dim);
    for (let i = 0; i < dim; i++) u[i] = r[best * dim + i] / norm;
    // project û out of the data…
    for (let a = 0; a < n; a++) {
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += c[a * dim + i] * u[i];
      proj[a] = dot;
      for (let i = 0; i < dim; i++) c[a * dim + i] -= dot * u[i];
    }
    // …and out of every text
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += r[j * dim + i] * u[i];
      for (let i = 0; i < dim; i++) r[j * dim + i] -= dot * u[i];
    }
    let removed = 0;
    for (let a = 0; a < n; a++) removed += proj[a] * proj[a];
    picked.push({ index: best, explainedVariance: removed / total });
  }
  return picked;
}
