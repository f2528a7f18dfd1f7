// Dequantization and float16 decoding of stored ONNX weights, against hand-computed values.
import { dequantizeBlockwise, dequantizeLinear, float16ToFloat32 } from "../src/hf-clip/dequantize";

it("dequantizes per tensor: (q − zero point) · scale", () => {
  // uint8 with zero point 128, scale 0.5
  expect(Array.from(dequantizeLinear([128, 130, 0, 255], [2, 2], [0.5], [128], 1))).toEqual([0, 1, -64, 63.5]);
  // symmetric int8: no zero point
  expect(Array.from(dequantizeLinear([-127, 0, 3], [3], [0.25], undefined, 0))).toEqual([-31.75, 0, 0.75]);
});

it("dequantizes per column of a [rows, cols] weight (axis 1) and per row (axis 0 / −2)", () => {
  // [[1, 2, 3], [4, 5, 6]] with columns scaled 1, 10, 100 around zero points 0, 1, 2
  const q = [1, 2, 3, 4, 5, 6];
  expect(Array.from(dequantizeLinear(q, [2, 3], [1, 10, 100], [0, 1, 2], 1))).toEqual([1, 10, 100, 4, 40, 400]);
  // rows scaled 2 and 3, no zero point
  expect(Array.from(dequantizeLinear(q, [2, 3], [2, 3], undefined, 0))).toEqual([2, 4, 6, 12, 15, 18]);
  expect(Array.from(dequantizeLinear(q, [2, 3], [2, 3], undefined, -2))).toEqual([2, 4, 6, 12, 15, 18]);
  // a middle axis of [2, 2, 2]: channel = (i / 2) % 2
  expect(Array.from(dequantizeLinear([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2], [1, 2], [0, 0], 1))).toEqual([
    1, 1, 2, 2, 1, 1, 2, 2,
  ]);
  expect(() => dequantizeLinear(q, [2, 3], [1, 2], undefined, 1)).toThrow(/2 scales for axis 1 of \[2, 3\]/);
  expect(() => dequantizeLinear(q, [2, 3], [1], [0, 1], 1)).toThrow(/2 zero points for axis 1 of \[2, 3\]/);
});

it("takes one scale with a zero point per column, and a scale per column with one zero point", () => {
  const q = [1, 2, 3, 4, 5, 6];
  // scale 2; zero points 0, 1, 2 by column
  expect(Array.from(dequantizeLinear(q, [2, 3], [2], [0, 1, 2], 1))).toEqual([2, 2, 2, 8, 8, 8]);
  // scales 1, 10, 100 by column; zero point 1
  expect(Array.from(dequantizeLinear(q, [2, 3], [1, 10, 100], [1], 1))).toEqual([0, 10, 200, 3, 40, 500]);
});

it("decodes IEEE half-precision bits: normals, denormals, zeros, infinities, NaN", () => {
  const bits = [0x3c00, 0xc000, 0x3555, 0x7bff, 0x0001, 0x0400, 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00];
  const out = Array.from(float16ToFloat32(bits));
  expect(out.slice(0, 6)).toEqual([1, -2, 0.333251953125 /* (1 + 341/1024) · 2^-2 */, 65504, 2 ** -24, 2 ** -14]);
  expect(Object.is(out[6], 0)).toBe(true);
  expect(Object.is(out[7], -0)).toBe(true);
  expect(out.slice(8, 10)).toEqual([Infinity, -Infinity]);
  expect(out[10]).toBeNaN();
});

it("dequantizes MatMulNBits blocks: 4-bit values low nibble first, per (column, block) scale and zero point", () => {
  // K 3, N 2, block size 2 → 2 blocks per column (the second holds one value and padding), 1 byte per block.
  // column 0: block 0 = [q 1, q 2] (byte 0x21), block 1 = [q 15] (byte 0x0f); column 1: [q 0, q 8], [q 4]
  const packed = [0x21, 0x0f, 0x80, 0x04];
  const scales = [0.5, 2, 1, 0.25];
  // zero points: column 0 blocks (3, 5) → byte 0x53; column 1 blocks (8, 0) → byte 0x08
  const w = dequantizeBlockwise(packed, scales, [0x53, 0x08], { K: 3, N: 2, bits: 4, blockSize: 2 });
  // W[k][n]: column 0 = (1−3)·0.5, (2−3)·0.5, (15−5)·2; column 1 = (0−8)·1, (8−8)·1, (4−0)·0.25
  expect(Array.from(w)).toEqual([-1, -8, -0.5, 0, 20, 1]);
  // no zero points: 2^(bits−1) = 8
  expect(Array.from(dequantizeBlockwise(packed, scales, undefined, { K: 3, N: 2, bits: 4, blockSize: 2 }))).toEqual([
    -3.5, -8, -3, 0, 14, -1,
  ]);
  // 8-bit: one byte per value, zero point 128
  expect(
    Array.from(dequantizeBlockwise([130, 126], [0.5, 1], undefined, { K: 1, N: 2, bits: 8, blockSize: 1 })),
  ).toEqual([1, -2]);
  expect(() => dequantizeBlockwise([1], [1], undefined, { K: 4, N: 1, bits: 4, blockSize: 2 })).toThrow(
    /has 1 bytes; K 4, N 1 need 2/,
  );
  expect(() => dequantizeBlockwise([1], [1], undefined, { K: 1, N: 1, bits: 3, blockSize: 8 })).toThrow(/3-bit/);
});
