// coversRequest: when a queued SCORE_LABELS job already scores what a new request asks for (same model and
// settings; the whole model, or a superset of the units), against hand-written parameter sets.
import { coversRequest, type ScoreLabelsParams } from "../src/scoring/score-job";

const base: ScoreLabelsParams = {
  modelId: "m1",
  unitIds: ["a", "b"],
  heldOutDatasetId: null,
  predictor: "zero-shot",
  textPredictor: "token-recall",
  scoreSize: 512,
  batchSize: 512,
};

it("a job covers the same units, a subset of them, and any units when it scores the whole model", () => {
  expect(coversRequest(base, base)).toBe(true);
  expect(coversRequest(base, { ...base, unitIds: ["b"] })).toBe(true);
  expect(coversRequest({ ...base, unitIds: null }, base)).toBe(true);
  expect(coversRequest({ ...base, unitIds: null }, { ...base, unitIds: null })).toBe(true);
});

it("a job does not cover other units, the whole model from a unit list, other settings or another model", () => {
  expect(coversRequest(base, { ...base, unitIds: ["a", "c"] })).toBe(false);
  expect(coversRequest(base, { ...base, unitIds: null })).toBe(false);
  expect(coversRequest(base, { ...base, modelId: "m2" })).toBe(false);
  expect(coversRequest(base, { ...base, predictor: "cosine" })).toBe(false);
  expect(coversRequest(base, { ...base, textPredictor: "zero-shot" })).toBe(false);
  expect(coversRequest(base, { ...base, scoreSize: 256 })).toBe(false);
  expect(coversRequest(base, { ...base, batchSize: 64 })).toBe(false);
  expect(coversRequest(base, { ...base, heldOutDatasetId: "d1" })).toBe(false);
  // stored parameters from before a setting existed (missing = null) or malformed unit lists cover nothing extra
  const { heldOutDatasetId: _dropped, ...older } = base;
  expect(coversRequest(older, base)).toBe(true);
  expect(coversRequest({ ...base, unitIds: undefined }, base)).toBe(false);
});
