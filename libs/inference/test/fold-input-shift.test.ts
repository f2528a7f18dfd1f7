// The in-graph SAE encoder folds apply_b_dec_to_input into the bias: (x − b_dec)·W + b = x·W + (b − b_dec·W).
import { foldInputShift } from "../src/onnx/append-sae-encoder";

test("foldInputShift matches a hand-computed 2×2 example", () => {
  // W = [[1, 2], [3, 4]] (d_in × d_sae), b = [1, 2], shift = [1, 2] → b − [1·1 + 2·3, 1·2 + 2·4] = [−6, −8]
  const out = foldInputShift(
    Float32Array.from([1, 2]),
    Float32Array.from([1, 2]),
    Float32Array.from([1, 2, 3, 4]),
    2,
    2,
  );
  expect(Array.from(out)).toEqual([-6, -8]);
});

test("folded bias gives the same pre-activation as shifting the input first", () => {
  const W = Float32Array.from([0.5, -1, 2, 0.25, 1.5, -0.75]); // 2 × 3
  const b = Float32Array.from([0.1, 0.2, 0.3]),
    shift = Float32Array.from([0.4, -0.6]),
    x = [1.5, 2.5];
  const folded = foldInputShift(b, shift, W, 2, 3);
  for (let j = 0; j < 3; j++) {
    const direct = (x[0] - shift[0]) * W[j] + (x[1] - shift[1]) * W[3 + j] + b[j];
    expect(x[0] * W[j] + x[1] * W[3 + j] + folded[j]).toBeCloseTo(direct, 6);
  }
});
