import { causalEffects, zeroShotScores } from "../src";

describe("causal effects", () => {
  it("lists per-concept changes, most hurt first, with a summary", () => {
    // deltas: red 0.2 − 0.8 = −0.6, green 0.6 − 0.5 = 0.1, blue 0 − 0 = 0
    const r = causalEffects(["red", "green", "blue"], [0.8, 0.5, 0], [0.2, 0.6, 0]);
    expect(r.entries.map((e) => e.concept)).toEqual(["red", "blue", "green"]);
    expect(r.entries[0].delta).toBeCloseTo(-0.6, 12);
    expect(r.entries[0].relativeDelta).toBeCloseTo(-0.75, 12);
    expect(r.entries[1].relativeDelta).toBeNull();
    expect(r.entries[2].relativeDelta).toBeCloseTo(0.2, 12);
    expect(r.meanDelta).toBeCloseTo(-0.5 / 3, 12);
    expect(r.meanAbsDelta).toBeCloseTo(0.7 / 3, 12);
    expect(r.mostHurt!.concept).toBe("red");
    expect(r.mostHelped!.concept).toBe("green");
    expect(causalEffects(["a"], [1], [1]).mostHurt).toBeNull();
    expect(() => causalEffects(["a", "b"], [1], [1, 2])).toThrow(/SHAPE_MISMATCH/);
  });

  it("computes zero-shot accuracy and true-class probability per concept", () => {
    // ex0 [2,0]→0 hit p=e²/(e²+1); ex1 [0,0]→0 (tie → lower index) hit p=½; ex2 [1,3] true 0 miss p=1/(1+e²);
    // ex3 [0, ln 3] true 1 hit p=¾; ex4 has no true concept. Concept 0: acc 2/3, mean p = (1 + ½)/3 = ½.
    const logits = new Float64Array([2, 0, 0, 0, 1, 3, 0, Math.log(3), 5, 5]);
    const z = zeroShotScores(logits, 2, [0, 0, 0, 1, -1]);
    expect(z.examples).toEqual([3, 1]);
    expect(z.accuracy[0]).toBeCloseTo(2 / 3, 12);
    expect(z.accuracy[1]).toBe(1);
    expect(z.meanTrueProbability[0]).toBeCloseTo(0.5, 12);
    expect(z.meanTrueProbability[1]).toBeCloseTo(0.75, 12);
    expect(zeroShotScores(new Float32Array([1, 0]), 2, [0]).accuracy[1]).toBeNull();
    expect(() => zeroShotScores(logits, 2, [0, 0, 0, 2, -1])).toThrow(/BAD_INPUT/);
  });
});
