// The checkpoint codec is exact: float32 arrays, float64 arrays, short arrays and nested objects round-trip.
import { decodeNumbers, encodeNumbers } from "../src/build/checkpoint-codec";

test("round-trips exactly and packs long numeric arrays", () => {
  const f32 = Array.from({ length: 40 }, (_, i) => Math.fround(i / 7));
  const f64 = Array.from({ length: 40 }, (_, i) => i / 7);
  const value = { a: f32, b: { c: f64, short: [0.1, 2], mixed: [...f32.slice(0, 20), null] }, n: 3, s: "x" };
  const encoded = encodeNumbers(value) as { a: { $f32: string }; b: { c: { $f64: string }; short: number[] } };
  expect(typeof encoded.a.$f32).toBe("string");
  expect(typeof encoded.b.c.$f64).toBe("string");
  expect(encoded.b.short).toEqual([0.1, 2]);
  expect(decodeNumbers(JSON.parse(JSON.stringify(encoded)))).toEqual(value);
  expect(JSON.stringify(encoded).length).toBeLessThan(JSON.stringify(value).length);
});
