// PostgreSQL's binary formats written by copy-binary.ts, checked byte for byte against hand-assembled values
// (big-endian: ndim, has-null flag, element type OID 700, then size + lower bound, then length-prefixed floats).
import { BinaryCopyWriter } from "../src/finalize/copy-binary";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** the bytes of one real[] field: a one-field payload without its 19-byte header, field count, length and trailer */
const realArrayField = (values: ArrayLike<number>, nonFinite?: number) => {
  const payload = new BinaryCopyWriter().tuple(1).float4Array(values, nonFinite).finish();
  return payload.subarray(19 + 2 + 4, payload.length - 2);
};

test("a real[] field: header, dimension, then each float as 4 length-prefixed bytes", () => {
  // 1.5 = 0x3fc00000, -2 = 0xc0000000 in IEEE 754 single precision
  expect(hex(realArrayField([1.5, -2]))).toBe(
    "00000001" + "00000000" + "000002bc" + "00000002" + "00000001" + "00000004" + "3fc00000" + "00000004" + "c0000000",
  );
  expect(hex(realArrayField([]))).toBe("00000000" + "00000000" + "000002bc"); // no dimensions
  expect(hex(realArrayField([NaN, Infinity], 0))).toBe(hex(realArrayField([0, 0])));
  expect(hex(realArrayField(Float32Array.of(0.1)))).toBe(
    "00000001000000000000" + "02bc" + "0000000100000001" + "00000004" + "3dcccccd",
  );
});

test("a COPY payload: signature, flags, tuples of length-prefixed fields, trailer", () => {
  const payload = new BinaryCopyWriter().tuple(4).text("é1").int4(-1).float8(0.5).float4Array([2]).finish();
  expect(hex(payload)).toBe(
    "5047434f50590aff0d0a00" +
      "00000000" +
      "00000000" + // PGCOPY\n\377\r\n\0, flags, extension length
      "0004" + // 4 fields
      "00000003" +
      "c3a931" + // "é1" in UTF-8
      "00000004" +
      "ffffffff" +
      "00000008" +
      "3fe0000000000000" +
      "0000001c" +
      "00000001" +
      "00000000" +
      "000002bc" +
      "00000001" +
      "00000001" +
      "00000004" +
      "40000000" +
      "ffff", // trailer
  );
});

test("a payload larger than the initial buffer grows without losing bytes", () => {
  const w = new BinaryCopyWriter();
  const values = Float32Array.from({ length: 77 }, (_, i) => i / 7);
  for (let i = 0; i < 2000; i++) w.tuple(2).text(`row-${i}`).float4Array(values);
  const payload = w.finish();
  const rowBytes = (i: number) => 2 + 4 + `row-${i}`.length + 4 + 20 + 8 * 77;
  expect(payload.length).toBe(19 + Array.from({ length: 2000 }, (_, i) => rowBytes(i)).reduce((a, b) => a + b, 0) + 2);
  const last = payload.subarray(payload.length - 2 - 8 * 77 - 20);
  expect(last.readInt32BE(12)).toBe(77);
  expect(last.readFloatBE(20 + 8 * 76 + 4)).toBe(Math.fround(76 / 7));
});
