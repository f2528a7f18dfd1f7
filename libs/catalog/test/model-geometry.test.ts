// imageGridSize: the manifest's gridSize, else preprocess size ÷ patch size, else null.
import { imageGridSize } from "../src/model-geometry";

describe("imageGridSize", () => {
  test("gridSize from the manifest wins (built-in model: 4)", () => {
    expect(imageGridSize({ image: { gridSize: 4, patchSize: 8, preprocess: { size: 32 } } })).toBe(4);
  });
  test("ViT-B/32 at 224 px without gridSize: 224 / 32 = 7", () => {
    expect(imageGridSize({ image: { patchSize: 32, preprocess: { size: 224 } } })).toBe(7);
  });
  test("no image config, a size that the patch does not divide, or junk: null", () => {
    expect(imageGridSize({ text: {} })).toBeNull();
    expect(imageGridSize({ image: { patchSize: 30, preprocess: { size: 224 } } })).toBeNull();
    expect(imageGridSize({ image: { gridSize: "7" } })).toBeNull();
    expect(imageGridSize(null)).toBeNull();
  });
});
