// Agreement over human labels, hand-computed: labels compare case/space-insensitively; α over units × annotators.
import { agreementOfLabels, agreementOfScope } from "../src/agreement";

test("one unit: majority, share and pairwise agreement", () => {
  // labels: red, red, blue → majority "Red circle" 2/3; agreeing ordered pairs 2·1 = 2 of 3·2 = 6
  const a = agreementOfLabels("u", ["Red  circle", "red circle", "blue"]);
  expect(a).toEqual({
    unitId: "u",
    raters: 3,
    majorityLabel: "Red  circle",
    majorityShare: 2 / 3,
    pairwiseAgreement: 1 / 3,
  });
  expect(agreementOfLabels("u", [])).toMatchObject({ raters: 0, majorityLabel: null, pairwiseAgreement: null });
  expect(agreementOfLabels("u", ["x"])).toMatchObject({ raters: 1, majorityShare: 1, pairwiseAgreement: null });
});

test("scope: Krippendorff α by hand", () => {
  // units: u1 {A: a, B: a}, u2 {A: b, B: b}, u3 {A: a, B: b}
  // coincidences: o_aa = 2, o_bb = 2, o_ab = o_ba = 1; n_a = n_b = 3, n = 6
  // D_o = (o_ab + o_ba) = 2, α = 1 − (n − 1)·2 / (n_a·n_b + n_b·n_a) = 1 − 5·2/18 = 4/9
  const s = agreementOfScope([
    new Map([
      ["A", "a"],
      ["B", "a"],
    ]),
    new Map([
      ["A", "b"],
      ["B", "B "],
    ]),
    new Map([
      ["A", "a"],
      ["B", "b"],
    ]),
    new Map([["C", "z"]]),
  ]);
  expect(s.alpha).toBeCloseTo(4 / 9, 12);
  expect(s).toMatchObject({ unitsWithOverlap: 3, ratedUnits: 4, annotators: 3 });
  expect(s.meanPairwiseAgreement).toBeCloseTo(2 / 3, 12);
});

test("scope without overlap: α undefined", () => {
  expect(agreementOfScope([new Map([["A", "a"]])])).toMatchObject({
    alpha: null,
    unitsWithOverlap: 0,
    meanPairwiseAgreement: null,
  });
});
