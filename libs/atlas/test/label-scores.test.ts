import { aurocFromRanks, auroc, bestBalancedAccuracy, spearman } from "../src/scoring/rank-scores";
import { detectionSample, detectionScore, isAtlasError, localizationScore, midranks, tagDetectionScore } from "../src";

describe("rank statistics", () => {
  it("midranks share the mean rank of ties", () => {
    expect([...midranks([10, 20, 20, 5])]).toEqual([2, 3.5, 3.5, 1]);
  });

  it("AUROC: perfect, reversed and hand-counted pairs with ties", () => {
    expect(auroc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(auroc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
    // positives {3, 2, 1}, negatives {2, 0}: pairs (3>2,3>0,2=2,2>0,1<2,1>0) → (1+1+0.5+1+0+1)/6 = 4.5/6
    expect(auroc([3, 2, 1, 2, 0], [true, true, true, false, false])).toBeCloseTo(0.75, 12);
    // all tied → 0.5
    expect(auroc([1, 1, 1, 1], [true, false, true, false])).toBe(0.5);
    expect(auroc([1, 2], [true, true])).toBeNull();
  });

  it("balanced accuracy at the best threshold (hand-computed)", () => {
    // scores 5,4,3,2,1 with labels P,N,P,N,N: t=5 → TPR .5, TNR 1 → .75; t=3 → TPR 1, TNR 2/3 → .8333
    const ba = bestBalancedAccuracy([5, 4, 3, 2, 1], [true, false, true, false, false])!;
    expect(ba.value).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(ba.threshold).toBe(3);
    // nothing separates: 0.5, predict-all-negative threshold
    expect(bestBalancedAccuracy([1, 1], [true, false])).toEqual({ value: 0.5, threshold: Infinity });
  });

  it("Spearman with ties equals Pearson of midranks (hand-computed)", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // a = 1,2,3,4 ranks; b = 1,1,2,3 → midranks 1.5,1.5,3,4; Pearson = 4.5 / sqrt(5 · 4.5)
    expect(spearman([1, 2, 3, 4], [1, 1, 2, 3])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it("refuses bad input with typed errors", () => {
    expect(() => auroc([1, NaN], [true, false])).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
    let caught: unknown = null;
    try {
      auroc([1, 2], [true]);
    } catch (e) {
      caught = e;
    }
    expect(isAtlasError(caught, "SHAPE_MISMATCH")).toBe(true);
  });
});

describe("label detection", () => {
  // 20 examples with activations 19..0 (example i has activation 19 - i)
  const acts = Array.from({ length: 20 }, (_, i) => 19 - i);

  it("samples top, quantile bands and non-activating examples from disjoint pools", () => {
    const s = detectionSample(acts, {
      topCount: 2,
      bands: 2,
      perBand: 1,
      activeFraction: 0.3,
      inactiveFraction: 0.5,
      inactiveCount: 4,
      seed: 1,
    });
    // pool = top 6 (examples 0..5); top 2 = 0,1; rest 2..5 in two bands [2,3] [4,5], middle of each → 3, 5
    expect(s.activating).toEqual([0, 1, 3, 5]);
    expect(s.activePool).toBe(6);
    expect(s.inactivePool).toBe(10);
    expect(s.nonActivating).toHaveLength(4);
    for (const i of s.nonActivating) expect(i).toBeGreaterThanOrEqual(10);
    expect(new Set(s.nonActivating).size).toBe(4);
  });

  it("leaves out zeros from the activating pool (sparse units)", () => {
    const sparse = [3, 0, 0, 2, 0, 0, 0, 0, 0, 0];
    const s = detectionSample(sparse, { activeFraction: 0.5, inactiveFraction: 0.5 });
    expect(s.activating).toEqual([0, 3]);
    expect(s.nonActivating.every((i) => sparse[i] === 0)).toBe(true);
  });

  it("scores a predictor on the sample: AUROC and balanced accuracy", () => {
    const sample = { activating: [0, 1], nonActivating: [2, 3], activePool: 2, inactivePool: 2 };
    const d = detectionScore([0.9, 0.3, 0.5, 0.1], sample);
    // pairs: .9>.5 .9>.1 .3<.5 .3>.1 → 3/4; best BA at t=.9: (.5+1)/2=.75, at t=.3: (1+.5)/2=.75 → highest t wins
    expect(d.auroc).toBeCloseTo(0.75, 12);
    expect(d.balancedAccuracy).toBeCloseTo(0.75, 12);
    expect(d.threshold).toBeCloseTo(0.9, 12);
    expect([d.activating, d.nonActivating]).toEqual([2, 2]);
    expect(() => detectionScore([1], sample)).toThrow(/outside the predictor/);
  });

  it("localization averages Spearman over the defined examples", () => {
    const l = localizationScore([
      { similarity: [1, 2, 3], activation: [1, 2, 3] },
      { similarity: [1, 2, 3], activation: [3, 2, 1] },
      { similarity: [1, 2, 3], activation: [0, 0, 0] },
      { similarity: [3, 1, 2], activation: [3, 2, 1] },
    ]);
    // ρ = 1, −1, undefined, and for ranks (3,1,2) vs (3,2,1): 1 − 6·(0+1+1)/(3·8) = 0.5
    expect(l.examples).toBe(3);
    expect(l.rho!).toBeCloseTo((1 - 1 + 0.5) / 3, 12);
  });

  it("tag detection: activation predicting the ground-truth tag", () => {
    const t = tagDetectionScore([5, 4, 1, 0], [true, false, true, false]);
    // positives 5,1 vs negatives 4,0: (1+1+0+1)/4
    expect(t).toEqual({ auroc: 0.75, positives: 2, negatives: 2 });
    expect(tagDetectionScore([5, 4, 1, 0], [true, false, true, false], midranks([5, 4, 1, 0]))).toEqual(t);
    expect(aurocFromRanks(midranks([3, 2, 1, 2, 0]), [true, true, true, false, false])).toBeCloseTo(0.75, 12);
  });
});
