// Rank statistics for explanation scores: AUROC with ties (Mann–Whitney U over midranks), balanced accuracy at
// the threshold that maximizes it (Youden's J), and Spearman rank correlation with ties (Pearson of midranks).
import { assertAllFinite, assertLength, type NumericArray } from "../util/validate";

/** 1-based ranks of `values`, tied values sharing the mean of their ranks (midranks). */
export function midranks(values: NumericArray): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = mid;
    i = j + 1;
  }
  return ranks;
}

function checkBinary(scores: NumericArray, positive: ArrayLike<boolean>): { pos: number; neg: number } {
  assertLength(positive, scores.length, "positive");
  assertAllFinite(scores, "scores");
  let pos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) pos++;
  return { pos, neg: scores.length - pos };
}

/**
 * Area under the ROC curve of `scores` predicting `positive`: P(score of a random positive > score of a random
 * negative) + ½·P(tie), computed as U / (n₊·n₋) with U = Σ midranks of positives − n₊(n₊+1)/2.
 * Null when either class is empty.
 */
export function auroc(scores: NumericArray, positive: ArrayLike<boolean>): number | null {
  const { pos, neg } = checkBinary(scores, positive);
  if (pos === 0 || neg === 0) return null;
  const ranks = midranks(scores);
  let sum = 0;
  for (let i = 0; i < ranks.length; i++) if (positive[i]) sum += ranks[i];
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface BalancedAccuracy {
  /** ½ (TPR + TNR) at `threshold` */
  value: number;
  /** examples with score ≥ threshold are predicted positive */
  threshold: number;
}

/**
 * AUROC from precomputed midranks of the scores (midranks(scores)): the same value as auroc(scores, positive),
 * O(n) per call, for many binary targets over one score vector. Null when either class is empty.
 */
export function aurocFromRanks(ranks: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  assertLength(positive, ranks.length, "positive");
  let pos = 0,
    sum = 0;
  for (let i = 0; i < ranks.length; i++)
    if (positive[i]) {
      pos++;
      sum += ranks[i];
    }
  const neg = ranks.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Best balanced accuracy over all thresholds: predict positive when score ≥ t, for every distinct score t (plus
 * +∞, i.e. predict all negative). The best threshold is chosen on the same examples, so the value is an
 * optimistic (in-sample) figure, ≥ 0.5 by construction. Ties between thresholds: the highest t wins.
 * Null when either class is empty.
 */
export function bestBalancedAccuracy(scores: NumericArray, positive: ArrayLike<boolean>): BalancedAccuracy | null {
  const { pos, neg } = checkBinary(scores, positive);
  if (pos === 0 || neg === 0) return null;
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let best: BalancedAccuracy = { value: 0.5, threshold: Infinity };
  let tp = 0,
    fp = 0;
  for (let i = 0; i < order.length;) {
    const t = scores[order[i]];
    while (i < order.length && scores[order[i]] === t) {
      if (positive[order[i]]) tp++;
      else fp++;
      i++;
    }
    const value = (tp / pos + (neg - fp) / neg) / 2;
    if (value > best.value + 1e-12) best = { value, threshold: t };
  }
  return best;
}

/** Spearman's ρ with ties (Pearson correlation of midranks). Null when n < 2 or either side is constant. */
export function spearman(a: NumericArray, b: NumericArray): number | null {
  assertLength(b, a.length, "b");
  assertAllFinite(a, "a");
  assertAllFinite(b, "b");
  const n = a.length;
  if (n < 2) return null;
  const ra = midranks(a),
    rb = midranks(b);
  const mean = (n + 1) / 2;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i] - mean,
      db = rb[i] - mean;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  const rho = sab / Math.sqrt(saa * sbb);
  return Math.max(-1, Math.min(1, rho));
}
