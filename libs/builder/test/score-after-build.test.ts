// The unit-id arithmetic of the scoring job after a build: null means the whole model.
import { coversUnitIds, mergeUnitIds } from "../src/scoring/score-after-build";
import { MAX_UNIT_IDS } from "../src/scoring/score-job";

test("a queued job covers the wanted units when it names them all or the whole model", () => {
  expect(coversUnitIds(null, ["a"])).toBe(true);
  expect(coversUnitIds(null, null)).toBe(true);
  expect(coversUnitIds(["a", "b"], ["b"])).toBe(true);
  expect(coversUnitIds(["a"], ["a", "c"])).toBe(false);
  expect(coversUnitIds(["a"], null)).toBe(false);
});

test("merging unit lists: the union, or the whole model past the job's limit", () => {
  expect(mergeUnitIds(["a", "b"], ["b", "c"])).toEqual(["a", "b", "c"]);
  expect(mergeUnitIds(null, ["a"])).toBeNull();
  expect(mergeUnitIds(["a"], null)).toBeNull();
  const many = Array.from({ length: MAX_UNIT_IDS }, (_, i) => `u${i}`);
  expect(mergeUnitIds(many, ["u0"])).toHaveLength(MAX_UNIT_IDS);
  expect(mergeUnitIds(many, ["extra"])).toBeNull();
});
