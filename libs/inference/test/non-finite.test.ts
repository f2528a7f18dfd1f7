// countNonFinite / describeNonFinite against hand-counted arrays.
import { countNonFinite, describeNonFinite } from "../src";

describe("countNonFinite", () => {
  it("counts NaN and both infinities, and finds the first", () => {
    expect(countNonFinite(Float32Array.of(1, NaN, 2, Infinity, -Infinity, 0))).toEqual({ count: 3, first: 1 });
    expect(countNonFinite([-Infinity])).toEqual({ count: 1, first: 0 });
  });

  it("counts nothing in finite data, extremes and signed zero included", () => {
    expect(countNonFinite(Float32Array.of(3.4e38, -3.4e38, 1e-45, -0, 0))).toEqual({ count: 0, first: -1 });
    expect(countNonFinite(new Float32Array(0))).toEqual({ count: 0, first: -1 });
  });

  it("describes what it found", () => {
    expect(describeNonFinite({ count: 2, first: 5 }, 64)).toBe("2 of 64 values (first at flat index 5)");
  });
});
