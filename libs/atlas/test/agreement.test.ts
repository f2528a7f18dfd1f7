import { krippendorffAlphaNominal, unitAgreement } from "../src";
import { fleissKappa, fleissKappaFromRatings } from "../src/agreement/agreement";

describe("Krippendorff's alpha (nominal)", () => {
  it("reproduces Krippendorff's worked example C (4 observers, 12 units, missing values): α = 0.743", () => {
    const _ = null;
    // rows = units, columns = observers A, B, C, D (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability")
    const byObserver = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ];
    const ratings = byObserver[0].map((_v, u) => byObserver.map((o) => o[u]));
    const r = krippendorffAlphaNominal(ratings);
    expect(r.pairable).toBeCloseTo(40, 10);
    expect(r.units).toBe(11);
    expect(r.alpha!).toBeCloseTo(0.743, 3);
  });

  it("hand cases: perfect agreement, systematic disagreement, no variation", () => {
    expect(
      krippendorffAlphaNominal([
        ["a", "a"],
        ["b", "b"],
      ]).alpha,
    ).toBe(1);
    // o_ab = o_ba = 2, n_a = n_b = 2, n = 4: α = 1 − 3·4 / (16 − 8) = −0.5
    expect(
      krippendorffAlphaNominal([
        ["a", "b"],
        ["a", "b"],
      ]).alpha,
    ).toBeCloseTo(-0.5, 12);
    expect(
      krippendorffAlphaNominal([
        ["a", "a"],
        ["a", undefined, "a"],
      ]).alpha,
    ).toBeNull();
    expect(
      krippendorffAlphaNominal([
        [1, "1"],
        [1, "1"],
      ]).alpha,
    ).toBeCloseTo(-0.5, 12);
    expect(() => krippendorffAlphaNominal([[{} as unknown as string]])).toThrow(/BAD_INPUT/);
  });
});

describe("Fleiss' kappa", () => {
  it("reproduces the Wikipedia worked example (10 subjects, 14 raters, 5 categories): κ = 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const r = fleissKappa(table);
    expect(r.observedAgreement).toBeCloseTo(0.378, 3);
    expect(r.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(r.kappa!).toBeCloseTo(0.21, 3);
    expect(r.categoryShares[0]).toBeCloseTo(0.143, 3);
    expect(r.raters).toBe(14);
  });

  it("builds the table from raw ratings (hand case κ = 1/4) and refuses unequal rater counts", () => {
    // counts x/y: [2,1], [0,3]; P̄ = (1/3 + 1)/2 = 2/3, p = (1/3, 2/3), P̄e = 5/9, κ = (2/3 − 5/9)/(4/9) = 1/4
    const r = fleissKappaFromRatings([
      ["x", "x", "y"],
      ["y", null, "y", "y"],
    ]);
    expect(r.categories).toEqual(["x", "y"]);
    expect(r.kappa!).toBeCloseTo(0.25, 12);
    expect(() =>
      fleissKappaFromRatings([
        ["x", "y"],
        ["x", "y", "x"],
      ]),
    ).toThrow(/same number/);
    expect(
      fleissKappa(
        [
          [2, 0],
          [3, 0],
        ].slice(0, 1),
      ).kappa,
    ).toBeNull();
  });
});

describe("unitAgreement", () => {
  it("gives the majority, its share and pairwise agreement", () => {
    expect(unitAgreement(["a", "a", "b", null])).toEqual({
      ratings: 3,
      majority: "a",
      majorityShare: 2 / 3,
      pairwiseAgreement: 1 / 3,
    });
    expect(unitAgreement(["a"]).pairwiseAgreement).toBeNull();
    expect(unitAgreement([]).majority).toBeNull();
  });
});
