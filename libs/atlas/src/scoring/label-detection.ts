// Explanation scores of a label for one unit, from arrays over a held-out scoring set (no model, no database):
//   detection     the label's predictor (the model's text–image similarity of the label with each example)
//                 separating a sample of activating examples from a sample of non-activating ones: AUROC and
//                 best balanced accuracy (scoring/rank-scores.ts);
//   localization  per top example, Spearman ρ between the label's per-patch (per-token) similarity map and the
//                 unit's per-patch (per-token) activations, averaged over the examples where ρ is defined;
//   tag detection AUROC of the unit's activation predicting "the example carries the label's ground-truth tag",
//                 over the whole scoring set.
// The activating / non-activating sample (detectionSample), with n held-out examples ordered by activation:
//   activating pool      the top ⌈activeFraction·n⌉ examples that are > 0 (default 10 %);
//   non-activating pool  the bottom ⌊inactiveFraction·n⌋ examples (default 50 %) below the pool's lowest value;
//   activating sample    the `topCount` strongest (default 20), plus `bands` equal quantile bands of the rest of
//                        the pool with `perBand` examples each (default 4 × 5, evenly spaced inside the band);
//   non-activating       `inactiveCount` examples drawn without replacement from its pool (seeded; default 40).
// The middle of the distribution is left out on purpose: it is neither clearly activating nor clearly silent.
import { AtlasError } from "../errors";
import { SeededRng } from "../util/rng";
import { assertAllFinite, assertLength, type NumericArray } from "../util/validate";
import { aurocFromRanks, auroc, bestBalancedAccuracy, spearman } from "./rank-scores";

export interface DetectionSampleOptions {
  topCount?: number;
  bands?: number;
  perBand?: number;
  activeFraction?: number;
  inactiveFraction?: number;
  inactiveCount?: number;
  seed?: number;
}

export const DETECTION_SAMPLE_DEFAULTS = {
  topCount: 20,
  bands: 4,
  perBand: 5,
  activeFraction: 0.1,
  inactiveFraction: 0.5,
  inactiveCount: 40,
  seed: 17,
} as const;

export interface DetectionSample {
  /** example indices (into the scoring set), strongest first */
  activating: number[];
  nonActivating: number[];
  activePool: number;
  inactivePool: number;
}

/** The examples a detection score is computed on (see the header). */
export function detectionSample(activations: NumericArray, options: DetectionSampleOptions = {}): DetectionSample {
  assertAllFinite(activations, "activations");
  const o = { ...DETECTION_SAMPLE_DEFAULTS, ...options };
  for (const f of ["activeFraction", "inactiveFraction"] as const) {
    if (!(o[f] > 0 && o[f] <= 1)) throw new AtlasError("BAD_OPTION", `${f} must be in (0, 1], got ${o[f]}`);
  }
  const n = activations.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => activations[b] - activations[a] || a - b);
  const pool: number[] = [];
  for (const i of order.slice(0, Math.ceil(o.activeFraction * n))) if (activations[i] > 0) pool.push(i);
  const lowestActive = pool.length ? activations[pool[pool.length - 1]] : Infinity;
  const inactive = order.slice(n - Math.floor(o.inactiveFraction * n)).filter((i) => activations[i] < lowestActive);
  const activating = pool.slice(0, o.topCount);
  const rest = pool.slice(o.topCount);
  for (let b = 0; b < o.bands && rest.length > 0; b++) {
    const lo = Math.floor((b * rest.length) / o.bands),
      hi = Math.floor(((b + 1) * rest.length) / o.bands);
    const size = hi - lo;
    const take = Math.min(o.perBand, size);
    for (let j = 0; j < take; j++) activating.push(rest[lo + Math.floor(((j + 0.5) * size) / take)]);
  }
  const rng = new SeededRng(o.seed);
  const shuffled = [...inactive];
  const count = Math.min(o.inactiveCount, shuffled.length);
  for (let i = 0; i < count; i++) {
    const j = i + rng.nextInt(shuffled.length - i);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return {
    activating,
    nonActivating: shuffled.slice(0, count),
    activePool: pool.length,
    inactivePool: inactive.length,
  };
}

export interface DetectionScore {
  auroc: number | null;
  balancedAccuracy: number | null;
  /** similarity threshold of the balanced accuracy (predict "activating" at ≥ threshold) */
  threshold: number | null;
  activating: number;
  nonActivating: number;
}

/** AUROC and best balanced accuracy of `predictor` (one value per scoring-set example) on a sample. */
export function detectionScore(predictor: NumericArray, sample: DetectionSample): DetectionScore {
  const idx = [...sample.activating, ...sample.nonActivating];
  for (const i of idx)
    if (!(i >= 0 && i < predictor.length))
      throw new AtlasError("BAD_INPUT", `sample index ${i} outside the predictor (length ${predictor.length})`);
  const scores = idx.map((i) => predictor[i]);
  const positive = idx.map((_, k) => k < sample.activating.length);
  const ba = bestBalancedAccuracy(scores, positive);
  return {
    auroc: auroc(scores, positive),
    balancedAccuracy: ba?.value ?? null,
    threshold: ba && Number.isFinite(ba.threshold) ? ba.threshold : null,
    activating: sample.activating.length,
    nonActivating: sample.nonActivating.length,
  };
}

export interface LocalizationScore {
  /** mean Spearman ρ over the examples where it is defined; null when none is */
  rho: number | null;
  /** examples that entered the mean */
  examples: number;
}

/** Mean per-example Spearman ρ between a label's similarity map and a unit's activation map (same positions). */
export function localizationScore(
  maps: readonly { similarity: NumericArray; activation: NumericArray }[],
): LocalizationScore {
  let sum = 0,
    examples = 0;
  maps.forEach((m, i) => {
    assertLength(m.activation, m.similarity.length, `maps[${i}].activation`);
    const rho = spearman(m.similarity, m.activation);
    if (rho !== null) {
      sum += rho;
      examples++;
    }
  });
  return { rho: examples ? sum / examples : null, examples };
}

export interface TagDetectionScore {
  auroc: number | null;
  positives: number;
  negatives: number;
}

/**
 * AUROC of the unit's activation predicting that an example carries the label's ground-truth tag. Pass the
 * activations' midranks (`ranks`) when scoring many labels of one unit.
 */
export function tagDetectionScore(
  activations: NumericArray,
  hasTag: ArrayLike<boolean>,
  ranks?: ArrayLike<number>,
): TagDetectionScore {
  assertLength(hasTag, activations.length, "hasTag");
  const a = ranks ? aurocFromRanks(ranks, hasTag) : auroc(activations, hasTag);
  let positives = 0;
  for (let i = 0; i < hasTag.length; i++) if (hasTag[i]) positives++;
  return { auroc: a, positives, negatives: hasTag.length - positives };
}
