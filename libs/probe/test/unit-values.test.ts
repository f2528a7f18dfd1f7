// Hand-computed checks of the probe's pure math: columns, head rows, maxima, top-N ranking.
import { headActivation, headMaxima, headRow, maxOf, maxOverPositions, topN, unitColumn } from "../src/unit-values";

// 3 positions × 2 units
const M = [1, -2, 5, 0, 3, 4];

test("unitColumn reads one unit over the valid positions", () => {
  expect(Array.from(unitColumn(M, 3, 2, 1))).toEqual([-2, 0, 4]);
  expect(Array.from(unitColumn(M, 3, 2, 0, 2))).toEqual([1, 5]);
  expect(() => unitColumn(M, 3, 2, 2)).toThrow(RangeError);
  expect(() => unitColumn(M, 2, 2, 0)).toThrow(RangeError);
  expect(() => unitColumn(M, 3, 2, 0, 4)).toThrow(RangeError);
});

test("maxOverPositions and maxOf", () => {
  expect(Array.from(maxOverPositions(M, 3, 2))).toEqual([5, 4]);
  expect(Array.from(maxOverPositions(M, 3, 2, 1))).toEqual([1, -2]);
  expect(maxOf([3, 9, 2])).toBe(9);
  expect(maxOf([3, 9, 2], 2)).toBe(2);
  expect(maxOf([])).toBe(-Infinity);
});

// 2 heads × 3 × 3 patterns (rows sum to 1)
const P = [
  0.5, 0.3, 0.2, /**/ 0.1, 0.8, 0.1, /**/ 0.3, 0.3, 0.4, 0.9, 0.05, 0.05, /**/ 0.2, 0.2, 0.6, /**/ 0.1, 0.7, 0.2,
];

test("headRow / headActivation / headMaxima use the pooled query's row, excluding itself", () => {
  expect(Array.from(headRow(P, 2, 3, 1, 0)).map((x) => +x.toFixed(3))).toEqual([0.9, 0.05, 0.05]);
  expect(Array.from(headRow(P, 2, 3, 0, 2, 2)).map((x) => +x.toFixed(3))).toEqual([0.3, 0.3]);
  expect(headActivation([0.9, 0.05, 0.05], 0)).toBeCloseTo(0.05);
  expect(headActivation([0.5, 0.3, 0.2], 0)).toBeCloseTo(0.3);
  expect(Array.from(headMaxima(P, 2, 3, 0)).map((x) => +x.toFixed(3))).toEqual([0.3, 0.05]);
  // text: query = eos at position 1, only keys 0..1 valid → head 1 row [0.2, 0.2] → other than self: 0.2
  expect(Array.from(headMaxima(P, 2, 3, 1, 2)).map((x) => +x.toFixed(3))).toEqual([0.1, 0.2]);
  expect(() => headRow(P, 2, 3, 2, 0)).toThrow(RangeError);
});

test("topN sorts descending with ties to the smaller index", () => {
  expect(topN([0.1, 0.7, 0.7, -1, 0.3], 3)).toEqual([
    { index: 1, value: 0.7 },
    { index: 2, value: 0.7 },
    { index: 4, value: 0.3 },
  ]);
  expect(topN([2, 1], 5)).toHaveLength(2);
  expect(() => topN([1], 0)).toThrow(RangeError);
});
