// Compact, exact JSON for checkpoints: long number arrays (accumulator snapshots) become base64 of their
// float32 bytes when every value is exactly a float32, else of float64 bytes. decode(encode(x)) deep-equals x.
const MIN_LENGTH = 16;

type Packed = { $f32: string } | { $f64: string };

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length >= MIN_LENGTH && v.every((x) => typeof x === "number");
}

export function encodeNumbers(value: unknown): unknown {
  if (isNumberArray(value)) {
    if (value.every((x) => Object.is(Math.fround(x), x))) return { $f32: Buffer.from(Float32Array.from(value).buffer).toString("base64") };
    return { $f64: Buffer.from(Float64Array.from(value).buffer).toString("base64") };
  }
  if (Array.isArray(value)) return value.map(encodeNumbers);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNumbers(v)]));
  return value;
}

function unpack(p: Packed): number[] {
  const f32 = "$f32" in p;
  const buf = Buffer.from(f32 ? p.$f32 : p.$f64, "base64");
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  return Array.from(f32 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer));
}

export function decodeNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeNumbers);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === "$f32" || keys[0] === "$f64") && typeof (value as Record<string, unknown>)[keys[0]] === "string") return unpack(value as Packed);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeNumbers(v)]));
  }
  return value;
}
