import { conceptResponses, multimodalScores } from "../src";
import { rankMultimodalUnits } from "../src/multimodal/multimodal-score";

describe("multimodal score", () => {
  const input = {
    units: 2,
    concepts: ["red", "circle"],
    epsilon: 1e-9,
    modalities: {
      // unit 0 red: image (3 − 1)/1 = 2, typographic (2 − 1)/0.5 = 2 → 2; circle: image 0 → 0
      // unit 1 circle: image (2 − 1)/0.5 = 2, typographic (2 − 1)/1 = 1 → 1; red: image 0 → 0
      image: { conceptMeans: [3, 1, 1, 2], baselineMean: [1, 1], baselineStd: [1, 0.5] },
      typographic: { conceptMeans: [2, 0, 1, 2], baselineMean: [1, 1], baselineStd: [0.5, 1] },
    },
  };

  it("takes the min over modalities of the clipped z-scores, max over concepts", () => {
    const r = multimodalScores(input);
    [2, 0, 0, 1].forEach((v, i) => expect(r.scores[i]).toBeCloseTo(v, 6));
    expect(r.perUnit.map((p) => [p.unit, p.concept])).toEqual([
      [0, "red"],
      [1, "circle"],
    ]);
    expect(r.perUnit[0].score).toBeCloseTo(2, 6);
    expect(rankMultimodalUnits(r.perUnit, 1).map((p) => p.unit)).toEqual([0]);
    expect(
      rankMultimodalUnits([
        { unit: 3, score: 1, concept: "a" },
        { unit: 1, score: 1, concept: "b" },
      ]).map((p) => p.unit),
    ).toEqual([1, 3]);
  });

  it("needs at least two modalities", () => {
    expect(() => multimodalScores({ ...input, modalities: { image: input.modalities.image } })).toThrow(
      /at least 2 modalities/,
    );
  });

  it("derives concept means and baselines from raw activations", () => {
    // one unit; examples: red 2, red 4, blue 0, untagged 2 → red mean 3, blue 0, green (none) = baseline
    // baseline mean (2 + 4 + 0 + 2)/4 = 2, std = √((4 + 16 + 0 + 4)/4 − 2²) = √2
    const r = conceptResponses(
      new Float32Array([2, 4, 0, 2]),
      1,
      [["red"], ["red"], ["blue"], []],
      ["red", "blue", "green"],
    );
    expect(Array.from(r.conceptMeans)).toEqual([3, 0, 2]);
    expect(r.baselineMean[0]).toBe(2);
    expect(r.baselineStd[0]).toBeCloseTo(Math.SQRT2, 12);
  });
});
