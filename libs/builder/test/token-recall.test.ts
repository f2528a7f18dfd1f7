// The token-recall predictor of text units (scoring/unit-label-scores.ts) against hand-computed values, and its
// place in the scoring job's parameters.
import { parseScoreParams } from "../src/scoring/score-job";
import { tokenIdf, tokenRecall } from "../src/scoring/unit-label-scores";

// three tokens in 2-d: t0 = (1, 0), t1 = (0, 1), t2 = (0.6, 0.8) (unit vectors)
const embeds = Float32Array.from([1, 0, 0, 1, 0.6, 0.8]);
const ids = [[0, 1], [1], [2], []];
const texts = { ids, embeds, dim: 2 };

it("weighs a token by log((n + 1) / (df + 1)) over the texts", () => {
  const idf = tokenIdf(ids);
  expect([...idf.keys()].sort()).toEqual([0, 1, 2]);
  expect(idf.get(0)).toBeCloseTo(Math.log(5 / 2), 12);
  expect(idf.get(1)).toBeCloseTo(Math.log(5 / 3), 12);
  expect(idf.get(2)).toBeCloseTo(Math.log(5 / 2), 12);
});

it("scores a one-token label by its best cosine with the text's tokens", () => {
  const p = tokenRecall([0], texts, tokenIdf(ids));
  expect(Array.from(p)).toEqual([1, 0, expect.closeTo(0.6, 6), 0]);
});

it("averages a label's tokens weighted by idf", () => {
  const w0 = Math.log(5 / 2),
    w1 = Math.log(5 / 3),
    total = w0 + w1;
  const p = tokenRecall([0, 1], texts, tokenIdf(ids));
  expect(p[0]).toBeCloseTo(1, 6);
  expect(p[1]).toBeCloseTo(w1 / total, 6); // ≈ 0.3579: only t1 is present
  expect(p[2]).toBeCloseTo((0.6 * w0 + 0.8 * w1) / total, 6); // ≈ 0.6716
  expect(p[3]).toBe(0);
});

it("gives a token found in no text the weight log(n + 1), and an empty label 0 everywhere", () => {
  const two = [[0], [2]]; // df(t0) = df(t2) = 1, t1 unseen
  const p = tokenRecall([0, 1], { ids: two, embeds, dim: 2 }, tokenIdf(two));
  const w0 = Math.log(3 / 2),
    w1 = Math.log(3);
  expect(p[0]).toBeCloseTo(w0 / (w0 + w1), 6);
  expect(p[1]).toBeCloseTo((0.6 * w0 + 0.8 * w1) / (w0 + w1), 6);
  expect(Array.from(tokenRecall([], texts, tokenIdf(ids)))).toEqual([0, 0, 0, 0]);
});

it("is the default text predictor of a scoring job; unknown predictors are refused", () => {
  expect(parseScoreParams({ modelId: "m" })).toMatchObject({ predictor: "zero-shot", textPredictor: "token-recall" });
  expect(parseScoreParams({ modelId: "m", textPredictor: "zero-shot" }).textPredictor).toBe("zero-shot");
  expect(() => parseScoreParams({ modelId: "m", textPredictor: "oracle" })).toThrow(/textPredictor must be one of/);
  expect(() => parseScoreParams({ modelId: "m", predictor: "token-recall" })).toThrow(/predictor must be one of/);
});
