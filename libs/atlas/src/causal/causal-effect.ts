// Causal effect of an intervention on a unit (ablate/steer): per-concept zero-shot scores with and without
// it, the change per concept (most hurt first), a short summary, and the zero-shot scores themselves
// (per-concept accuracy and mean probability of the true concept) from logits.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts } from "../labels/concept-ranking";

export interface CausalEffectEntry {
  concept: string;
  before: number;
  after: number;
  /** after − before (negative: the intervention hurts the concept) */
  delta: number;
  /** delta / |before| (null when before = 0) */
  relativeDelta: number | null;
}

export interface CausalEffectSummary {
  /** entries sorted by delta ascending (most hurt first; ties in concept order) */
  entries: CausalEffectEntry[];
  meanDelta: number;
  meanAbsDelta: number;
  /** most negative delta (null when no delta is negative) */
  mostHurt: CausalEffectEntry | null;
  /** most positive delta (null when no delta is positive) */
  mostHelped: CausalEffectEntry | null;
}

export function causalEffects(
  concepts: readonly string[],
  before: ArrayLike<number>,
  after: ArrayLike<number>,
): CausalEffectSummary {
  checkConcepts(concepts);
  assertLength(before, concepts.length, "before");
  assertLength(after, concepts.length, "after");
  assertAllFinite(before, "before");
  assertAllFinite(after, "after");
  const entries = concepts.map((concept, c) => {
    const delta = after[c] - before[c];
    return {
      c,
      e: {
        concept,
        before: before[c],
        after: after[c],
        delta,
        relativeDelta: before[c] === 0 ? null : delta / Math.abs(before[c]),
      },
    };
  });
  entries.sort((a, b) => a.e.delta - b.e.delta || a.c - b.c);
  const sorted = entries.map((x) => x.e);
  const n = sorted.length;
  const first = sorted[0];
  const mostHelped = [...entries].sort((a, b) => b.e.delta - a.e.delta || a.c - b.c)[0].e;
  return {
    entries: sorted,
    meanDelta: sorted.reduce((s, e) => s + e.delta, 0) / n,
    meanAbsDelta: sorted.reduce((s, e) => s + Math.abs(e.delta), 0) / n,
    mostHurt: first.delta < 0 ? first : null,
    mostHelped: mostHelped.delta > 0 ? mostHelped : null,
  };
}

export interface ZeroShotScores {
  /** per concept: fraction of its examples whose argmax logit is that concept (null: no example) */
  accuracy: (number | null)[];
  /** per concept: mean softmax probability of the true concept over its examples (null: no example) */
  meanTrueProbability: (number | null)[];
  /** per concept: number of examples */
  examples: number[];
}

/**
 * Zero-shot scores from logits [examples × concepts] (already scaled, e.g. by the model's logit scale) and
 * each example's true concept index (−1 = none, skipped). Argmax ties resolve to the lower concept index.
 */
export function zeroShotScores(
  logits: Float32Array | Float64Array,
  concepts: number,
  trueConcept: ArrayLike<number>,
): ZeroShotScores {
  assertPositiveInt(concepts, "concepts");
  const examples = trueConcept.length;
  assertLength(logits, examples * concepts, "logits (examples × concepts)");
  assertAllFinite(logits, "logits");
  const hits = new Float64Array(concepts),
    prob = new Float64Array(concepts),
    count = new Array<number>(concepts).fill(0);
  for (let e = 0; e < examples; e++) {
    const t = trueConcept[e];
    if (t === -1) continue;
    if (!Number.isInteger(t) || t < 0 || t >= concepts)
      throw new AtlasError("BAD_INPUT", `trueConcept[${e}] must be −1 or in [0, ${concepts}), got ${t}`);
    let best = 0,
      m = -Infinity;
    for (let c = 0; c < concepts; c++) {
      const v = logits[e * concepts + c];
      if (v > m) {
        m = v;
        best = c;
      }
    }
    let z = 0;
    for (let c = 0; c < concepts; c++) z += Math.exp(logits[e * concepts + c] - m);
    count[t]++;
    if (best === t) hits[t]++;
    prob[t] += Math.exp(logits[e * concepts + t] - m) / z;
  }
  return {
    accuracy: count.map((n, c) => (n === 0 ? null : hits[c] / n)),
    meanTrueProbability: count.map((n, c) => (n === 0 ? null : prob[c] / n)),
    examples: count,
  };
}
