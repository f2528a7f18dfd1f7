// All-pairs row products on onnxruntime (linalg/row-products.ts): a block of rows times all rows, against
// hand-computed dot products, in any block, and typed errors for wrong sizes and ranges.
import { InferenceError, onnxRowProducts } from "../src";

it("multiplies a block of rows by every row (hand-computed), for any block", async () => {
  // rows (1,2,0), (0,1,1), (3,0,−1), (0,0,0)
  const rows = Float32Array.from([1, 2, 0, 0, 1, 1, 3, 0, -1, 0, 0, 0]);
  const { products, close } = await onnxRowProducts({ intraOpNumThreads: 1 })(rows, 4, 3);
  try {
    expect(Array.from(await products(0, 4))).toEqual([5, 2, 3, 0, 2, 2, -1, 0, 3, -1, 10, 0, 0, 0, 0, 0]);
    expect(Array.from(await products(2, 1))).toEqual([3, -1, 10, 0]);
    expect(Array.from(await products(1, 2))).toEqual([2, 2, -1, 0, 3, -1, 10, 0]);
    const err = await products(3, 2).catch((e) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err.message).toMatch(/rows \[3, 5\) of 4/);
  } finally {
    await close();
  }
});

it("refuses a matrix whose length is not n × dim", async () => {
  const err = await onnxRowProducts()(new Float32Array(5), 2, 3).catch((e) => e);
  expect(err).toBeInstanceOf(InferenceError);
  expect(err.code).toBe("BAD_INPUT");
});
