// Concept-share labels against hand-computed values: family-wise softmax, binary (σ) and gated families,
// the candidate/PMI ranking, and the end-to-end label of two units on a four-example probe set.
import { conceptShareLabels, familyProbabilities, rankByShare, type ShareFamily } from "../src/labels/concept-share";
import { topKRows } from "../src/labels/concept-ranking";

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

describe("familyProbabilities", () => {
  it("softmaxes within a family, σ-contrasts a binary family and multiplies a gated family by its gate", () => {
    // one example, prompts sims [0.1, 0.2, 0.0], temperature 10
    const families: ShareFamily[] = [
      { labels: ["x", "y"], columns: [0, 1] },
      { labels: ["t"], columns: [1], contrast: [2] },
      { labels: ["p", "q"], columns: [0, 2], gate: "t" },
    ];
    const { concepts, P } = familyProbabilities([0.1, 0.2, 0.0], 1, 3, families, 10);
    expect(concepts).toEqual(["x", "y", "t", "p", "q"]);
    const e = Math.E;
    const expected = [1 / (1 + e), e / (1 + e), sigma(2), (e / (1 + e)) * sigma(2), (1 / (1 + e)) * sigma(2)];
    expected.forEach((v, c) => expect(P[c]).toBeCloseTo(v, 10));
    expect(P[2]).toBeCloseTo(0.880797, 6); // σ(10 · (0.2 − 0))
    expect(P[3]).toBeCloseTo(0.643914, 6);
  });

  it("rejects a gate that is not an earlier family's label, and columns outside the prompts", () => {
    expect(() => familyProbabilities([0, 0], 1, 2, [{ labels: ["a", "b"], columns: [0, 1], gate: "z" }])).toThrow(
      /gate/,
    );
    expect(() => familyProbabilities([0, 0], 1, 2, [{ labels: ["a", "b"], columns: [0, 5] }])).toThrow(/outside/);
    expect(() => familyProbabilities([0, 0], 1, 2, [{ labels: ["t"], columns: [0] }])).toThrow(/binary/);
  });
});

describe("rankByShare", () => {
  it("puts candidates (share ≥ minShare) first by PMI, then the rest by share", () => {
    // PMI: a = ln(0.9 / 0.8) = 0.118, b = ln(0.6 / 0.2) = 1.099 → b before a although a has the higher share
    const ranked = rankByShare([0.9, 0.6, 0.3, 0.4], [0.8, 0.2, 0.1, 0.1], ["a", "b", "c", "d"], 0.5);
    expect(ranked.map((r) => r.concept)).toEqual(["b", "a", "d", "c"]);
    expect(ranked[0].score).toBe(0.6);
  });

  it("falls back to the highest share when no concept reaches minShare", () => {
    expect(rankByShare([0.2, 0.4], [0.01, 0.5], ["a", "b"], 0.5).map((r) => r.concept)).toEqual(["b", "a"]);
  });
});

describe("topKRows", () => {
  it("returns the k largest rows of a column, largest first, ties by lower row", () => {
    // [6 rows × 2 units], column 1 = [3, 9, 3, 9, 1, 5]
    const values = [0, 3, 0, 9, 0, 3, 0, 9, 0, 1, 0, 5];
    expect(topKRows(values, 2, 1, 3)).toEqual([1, 3, 5]);
    expect(topKRows(values, 2, 1, 5)).toEqual([1, 3, 5, 0, 2]);
    expect(topKRows(values, 2, 0, 2)).toEqual([0, 1]); // all equal: the first rows
  });

  it("agrees with a full sort on pseudo-random columns with many ties", () => {
    const rows = 500,
      units = 3;
    const values = Array.from({ length: rows * units }, (_, i) => ((i * 7919) % 97) % 13);
    for (let u = 0; u < units; u++) {
      const sorted = Array.from({ length: rows }, (_, i) => i).sort(
        (a, b) => values[b * units + u] - values[a * units + u] || a - b,
      );
      expect(topKRows(values, units, u, 20)).toEqual(sorted.slice(0, 20));
    }
  });
});

describe("conceptShareLabels", () => {
  it("labels each unit by the concept its top-K examples share", () => {
    // P(a) = σ(10 · 0.1) = 0.731059 on examples 0, 1 and 0.268941 on examples 2, 3; prior 0.5 each
    const sims = [0.1, 0, 0.1, 0, 0, 0.1, 0, 0.1];
    const activations = [3, 0, 2, 1, 1, 2, 0, 3]; // unit 0 tops examples 0, 1; unit 1 tops 3, 2
    const out = conceptShareLabels(
      {
        activations: Float64Array.from(activations),
        units: 2,
        conceptSims: Float64Array.from(sims),
        prompts: 2,
        families: [{ labels: ["a", "b"], columns: [0, 1] }],
      },
      { topK: 2 },
    );
    expect(out.concepts).toEqual(["a", "b"]);
    expect(out.prior[0]).toBeCloseTo(0.5, 12);
    expect(out.labels[0][0].concept).toBe("a");
    expect(out.labels[0][0].score).toBeCloseTo(sigma(1), 10);
    expect(out.labels[1].map((l) => l.concept)).toEqual(["b", "a"]);
    expect(out.labels[1][1].score).toBeCloseTo(1 - sigma(1), 10);
  });

  it("rejects a top set larger than the probe set and mismatched similarity shapes", () => {
    const fam = [{ labels: ["a", "b"], columns: [0, 1] }];
    expect(() =>
      conceptShareLabels(
        { activations: new Float64Array(2), units: 1, conceptSims: new Float64Array(4), prompts: 2, families: fam },
        { topK: 3 },
      ),
    ).toThrow(/topK/);
    expect(() =>
      conceptShareLabels({
        activations: new Float64Array(2),
        units: 1,
        conceptSims: new Float64Array(3),
        prompts: 2,
        families: fam,
      }),
    ).toThrow();
  });
});
