// Zero-shot read-out math against hand-computed values: normalization, cosines, softmax, CLIP-style class
// probabilities, nearest captions and before/after shifts.
import { isAppError } from "@mmatlas/errors";
import { classShifts, cosines, nearestCaptions, normalizeRows, softmax, zeroShotProbabilities } from "../src/zero-shot";

test("normalizeRows scales each row to unit length and leaves a zero row zero", () => {
  expect(Array.from(normalizeRows([3, 4, 0, 0], 2))).toEqual([Math.fround(0.6), Math.fround(0.8), 0, 0]);
  expect(() => normalizeRows([1, 2, 3], 2)).toThrow(/rows of 2/);
});

test("cosines of a unit vector against unit rows", () => {
  const rows = [1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2];
  const c = cosines([1, 0], rows, 2);
  expect(Array.from(c)).toEqual([1, 0, Math.SQRT1_2]);
});

test("softmax of [0, ln 3] is [1/4, 3/4] and is shift-invariant", () => {
  const p = softmax([0, Math.log(3)]);
  expect(p[0]).toBeCloseTo(0.25, 12);
  expect(p[1]).toBeCloseTo(0.75, 12);
  const q = softmax([1000, 1000 + Math.log(3)]);
  expect(q[1]).toBeCloseTo(0.75, 12);
});

test("zeroShotProbabilities = softmax(logitScale × cosine)", () => {
  // image [1, 0]; classes [1, 0] (cos 1) and [0, 1] (cos 0); scale ln 3 → logits [ln 3, 0] → [3/4, 1/4]
  const p = zeroShotProbabilities([1, 0], [1, 0, 0, 1], 2, Math.log(3));
  expect(p[0]).toBeCloseTo(0.75, 12);
  expect(p[1]).toBeCloseTo(0.25, 12);
  const e = (() => {
    try {
      zeroShotProbabilities([1, 0], [1, 0], 2, 0);
    } catch (err) {
      return err;
    }
  })();
  expect(isAppError(e) && e.code).toBe("BAD_USER_INPUT");
});

test("nearestCaptions ranks by similarity, ties by index, and cuts at k", () => {
  expect(nearestCaptions([0.1, 0.9, 0.5, 0.9], 3)).toEqual([
    { index: 1, similarity: 0.9 },
    { index: 3, similarity: 0.9 },
    { index: 2, similarity: 0.5 },
  ]);
  expect(nearestCaptions([0.2], 5)).toEqual([{ index: 0, similarity: 0.2 }]);
});

test("classShifts gives after − before per class in class order", () => {
  expect(classShifts(["a", "b"], [0.75, 0.25], [0.5, 0.5])).toEqual([
    { label: "a", before: 0.75, after: 0.5, delta: -0.25 },
    { label: "b", before: 0.25, after: 0.5, delta: 0.25 },
  ]);
  expect(() => classShifts(["a"], [1, 0], [1])).toThrow(/1 classes but 2/);
});
