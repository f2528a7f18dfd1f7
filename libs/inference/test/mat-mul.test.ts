// Matrix products on onnxruntime (linalg/mat-mul.ts): left · right against hand-computed values, one session for
// every shape, typed errors for wrong sizes, and a session that opens again after close().
import { InferenceError, onnxMatMul } from "../src";

it("multiplies [rows × inner] by [inner × cols] (hand-computed), one session for any shape", async () => {
  const mm = onnxMatMul({ intraOpNumThreads: 1 });
  try {
    // (1 2 0; 0 1 −1) · (1 0; 2 1; 3 −2) = (5 2; −1 3)
    const left = Float32Array.from([1, 2, 0, 0, 1, -1]),
      right = Float32Array.from([1, 0, 2, 1, 3, -2]);
    expect(Array.from(await mm.multiply(left, 2, 3, right, 2))).toEqual([5, 2, -1, 3]);
    // (1 2) · (3 4 5; 6 7 8) = (15 18 21)
    expect(
      Array.from(await mm.multiply(Float32Array.from([1, 2]), 1, 2, Float32Array.from([3, 4, 5, 6, 7, 8]), 3)),
    ).toEqual([15, 18, 21]);
    await mm.close();
    expect(Array.from(await mm.multiply(left, 2, 3, right, 2))).toEqual([5, 2, -1, 3]); // opened again
  } finally {
    await mm.close();
  }
});

it("refuses operands whose lengths do not match their shapes, and non-positive sizes", async () => {
  const mm = onnxMatMul();
  try {
    const wrong = await mm.multiply(new Float32Array(5), 2, 3, new Float32Array(6), 2).catch((e) => e);
    expect(wrong).toBeInstanceOf(InferenceError);
    expect(wrong.code).toBe("BAD_INPUT");
    expect(wrong.message).toMatch(/5 and 6 values for \[2 × 3\] · \[3 × 2\]/);
    const zero = await mm.multiply(new Float32Array(0), 0, 3, new Float32Array(6), 2).catch((e) => e);
    expect(zero.message).toMatch(/rows must be a positive integer, got 0/);
  } finally {
    await mm.close();
  }
});
