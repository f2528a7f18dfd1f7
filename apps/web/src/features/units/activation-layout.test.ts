// activation-layout: grid detection with/without CLS, word tokens with <eos>, intensities.
import { intensity, patchGrid, tokenValues, wordTokens } from "./activation-layout";

describe("patchGrid", () => {
  test("a perfect square is a patch grid without CLS", () => {
    expect(patchGrid([1, 2, 3, 4])).toEqual({ size: 2, cells: [1, 2, 3, 4], cls: null });
  });
  test("s² + 1 values put the first (CLS) aside", () => {
    expect(patchGrid([9, 1, 2, 3, 4])).toEqual({ size: 2, cells: [1, 2, 3, 4], cls: 9 });
  });
  test("the model's grid size decides: ViT-B/32 at 224 px is CLS + 7×7", () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    const grid = patchGrid(values, 7)!;
    expect(grid.size).toBe(7);
    expect(grid.cells).toHaveLength(49);
    expect(grid.cells[0]).toBe(1);
    expect(grid.cells[48]).toBe(49);
    expect(grid.cls).toBe(0);
  });
  test("with a grid size: exactly s² values have no CLS; fewer are no grid", () => {
    expect(patchGrid([1, 2, 3, 4], 2)).toEqual({ size: 2, cells: [1, 2, 3, 4], cls: null });
    expect(patchGrid([1, 2, 3], 2)).toBeNull();
    // 17 values on a 7×7 model are not a 4×4 grid (the guess would say so)
    expect(
      patchGrid(
        Array.from({ length: 17 }, () => 1),
        7,
      ),
    ).toBeNull();
  });
  test("other lengths are not a grid", () => {
    expect(patchGrid([1, 2, 3])).toBeNull();
    expect(patchGrid([])).toBeNull();
  });
});

describe("tokens", () => {
  test("lowercase words split on non-letters, then <eos>", () => {
    expect(wordTokens("A red-circle, 2 dogs")).toEqual(["a", "red", "circle", "dogs", "<eos>"]);
  });
  test("values are paired by position; padding dropped; missing → 0", () => {
    expect(tokenValues("red dog", [0.5, 1, 2, 7, 7])).toEqual([
      { token: "red", value: 0.5 },
      { token: "dog", value: 1 },
      { token: "<eos>", value: 2 },
    ]);
    expect(tokenValues("red dog", [3])).toEqual([
      { token: "red", value: 3 },
      { token: "dog", value: 0 },
      { token: "<eos>", value: 0 },
    ]);
  });
  test("the model's own tokens (a CLIP BPE with <|startoftext|>) are paired instead of the word rule", () => {
    expect(tokenValues("Red dog", [0.1, 0.5, 1.5, 2], ["<|startoftext|>", "red", "dog", "<|endoftext|>"])).toEqual([
      { token: "<|startoftext|>", value: 0.1 },
      { token: "red", value: 0.5 },
      { token: "dog", value: 1.5 },
      { token: "<|endoftext|>", value: 2 },
    ]);
    expect(tokenValues("red dog", [1, 2], null)).toEqual([
      { token: "red", value: 1 },
      { token: "dog", value: 2 },
      { token: "<eos>", value: 0 },
    ]);
  });
  test("intensity is value/scale clamped to [0, 1]", () => {
    expect(intensity(1, 4)).toBe(0.25);
    expect(intensity(8, 4)).toBe(1);
    expect(intensity(-1, 4)).toBe(0);
    expect(intensity(1, 0)).toBe(0);
  });
});
