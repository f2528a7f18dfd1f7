// TransformerLens layouts from the [in, out] matrices of an ONNX graph, against hand-written values.
import { patchEmbedRows, splitHeadsIn } from "../src/hf-clip/tl-layout";

it("splits an attention in-projection [d, H·dh] into W [H, d, dh] (column h·dh + j → head h, component j)", () => {
  // d = 2, H = 2, dh = 2: rows are inputs i, columns h·2 + j
  const w = Float32Array.of(/* i=0 */ 1, 2, 3, 4, /* i=1 */ 5, 6, 7, 8);
  expect(Array.from(splitHeadsIn(w, 2, 2))).toEqual([
    /* h=0: i=0 */ 1, 2, /* i=1 */ 5, 6, /* h=1: i=0 */ 3, 4, /* i=1 */ 7, 8,
  ]);
  // one head: unchanged
  expect(Array.from(splitHeadsIn(w, 2, 1))).toEqual(Array.from(w));
});

it("flattens a patch convolution [d, C, p, p] into W_E rows in (py, px, c) order", () => {
  // d = 2 outputs, C = 2 channels, p = 2: conv[o][c][y][x] = 1000·o + 100·c + 10·y + x
  const conv = new Float32Array(16);
  for (let o = 0; o < 2; o++)
    for (let c = 0; c < 2; c++)
      for (let y = 0; y < 2; y++)
        for (let x = 0; x < 2; x++) conv[((o * 2 + c) * 2 + y) * 2 + x] = 1000 * o + 100 * c + 10 * y + x;
  const rows = patchEmbedRows(conv, 2, 2, 2);
  // row r = (y·2 + x)·2 + c holds [o=0, o=1]
  expect(Array.from(rows.subarray(0, 2))).toEqual([0, 1000]); // y0 x0 c0
  expect(Array.from(rows.subarray(2, 4))).toEqual([100, 1100]); // y0 x0 c1
  expect(Array.from(rows.subarray(4, 6))).toEqual([1, 1001]); // y0 x1 c0
  expect(Array.from(rows.subarray(12, 14))).toEqual([11, 1011]); // y1 x1 c0
  expect(Array.from(rows.subarray(14, 16))).toEqual([111, 1111]); // y1 x1 c1
});
