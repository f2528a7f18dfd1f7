// The checkpoint codec is exact: float32 arrays, float64 arrays, short arrays and nested objects round-trip.
import { packCheckpoint, packedBody, unpackCheckpoint } from "../src/run/checkpoint-codec";

test("without typed arrays: JSON only, long numeric arrays packed, exact round trip", () => {
  const f32 = Array.from({ length: 40 }, (_, i) => Math.fround(i / 7));
  const f64 = Array.from({ length: 40 }, (_, i) => i / 7);
  const value = { a: f32, b: { c: f64, short: [0.1, 2], mixed: [...f32.slice(0, 20), null] }, n: 3, s: "x" };
  const packed = packCheckpoint(value);
  expect(packed.parts).toEqual([]);
  expect(packed.bytes).toBe(0);
  const encoded = packed.json as { a: { $f32: string }; b: { c: { $f64: string }; short: number[] } };
  expect(typeof encoded.a.$f32).toBe("string");
  expect(typeof encoded.b.c.$f64).toBe("string");
  expect(encoded.b.short).toEqual([0.1, 2]);
  expect(unpackCheckpoint(JSON.parse(JSON.stringify(encoded)), null)).toEqual(value);
  expect(JSON.stringify(encoded).length).toBeLessThan(JSON.stringify(value).length);
});

test("typed arrays go to an 8-byte-aligned binary body and come back as the same classes and values", () => {
  const f32 = Float32Array.from([1.5, -2, 3.25]);
  const i32 = Int32Array.from([7, -8]);
  const f64 = Float64Array.from([Math.PI]);
  const u8 = Uint8Array.from([1, 2, 3, 4, 5]);
  const packed = packCheckpoint({ a: f32, nested: [{ b: i32 }, f64], c: u8, plain: [1, 2] });
  // 3 float32 = 12 bytes → next at 16; 2 int32 = 8 → 24; 1 float64 = 8 → 32; 5 bytes → 37 → 40
  expect(packed.json).toEqual({
    a: { $bin: "f32", offset: 0, length: 3 },
    nested: [{ b: { $bin: "i32", offset: 16, length: 2 } }, { $bin: "f64", offset: 24, length: 1 }],
    c: { $bin: "u8", offset: 32, length: 5 },
    plain: [1, 2],
  });
  expect(packed.bytes).toBe(40);
  const body = packedBody(packed);
  const back = unpackCheckpoint(JSON.parse(JSON.stringify(packed.json)), body) as Record<string, unknown>;
  expect(back.a).toBeInstanceOf(Float32Array);
  expect(back).toEqual({ a: f32, nested: [{ b: i32 }, f64], c: u8, plain: [1, 2] });
  expect(() => unpackCheckpoint(packed.json, body.subarray(0, 30))).toThrow(/body too short/);
  expect(() => unpackCheckpoint(packed.json, null)).toThrow(/body too short/);
});
