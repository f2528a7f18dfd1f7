// Compact, exact checkpoints. Typed arrays (accumulator snapshots: up to gigabytes at real model size) leave the JSON
// as references { $bin: type, offset, length } into one binary body, laid out 8-byte aligned; long plain number
// arrays become base64 of their float32 bytes when every value is exactly a float32, else of float64 bytes.
// unpackCheckpoint(packCheckpoint(x)) deep-equals x, typed arrays coming back as the same typed-array class.
const MIN_LENGTH = 16;

type Packed = { $f32: string } | { $f64: string };
const TYPED = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;
/** a typed array's place in the binary body */
export interface BinaryRef {
  $bin: TypedName;
  offset: number;
  length: number;
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length >= MIN_LENGTH && v.every((x) => typeof x === "number");
}

function typedName(v: unknown): TypedName | null {
  for (const [name, ctor] of Object.entries(TYPED)) if (v instanceof ctor) return name as TypedName;
  return null;
}

function packArray(value: number[]): Packed {
  if (value.every((x) => Object.is(Math.fround(x), x)))
    return { $f32: Buffer.from(Float32Array.from(value).buffer).toString("base64") };
  return { $f64: Buffer.from(Float64Array.from(value).buffer).toString("base64") };
}

function unpackArray(p: Packed): number[] {
  const f32 = "$f32" in p;
  const buf = Buffer.from(f32 ? p.$f32 : p.$f64, "base64");
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  return Array.from(f32 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer));
}

/** The checkpoint as JSON plus the bytes of the typed arrays it references, each at its ref's body offset. */
export interface PackedCheckpoint {
  json: unknown;
  /** the typed arrays' bytes (views, not copies), in body order */
  parts: { offset: number; bytes: Uint8Array }[];
  /** total body size in bytes */
  bytes: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function packCheckpoint(value: unknown): PackedCheckpoint {
  const parts: PackedCheckpoint["parts"] = [];
  let bytes = 0;
  const walk = (v: unknown): unknown => {
    const name = typedName(v);
    if (name) {
      const typed = v as Typed;
      const ref: BinaryRef = { $bin: name, offset: bytes, length: typed.length };
      parts.push({ offset: bytes, bytes: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) });
      bytes = align8(bytes + typed.byteLength);
      return ref;
    }
    if (isNumberArray(v)) return packArray(v);
    if (Array.isArray(v)) return v.map(walk);
    if (ArrayBuffer.isView(v))
      throw new TypeError(`checkpoint: unsupported typed array ${(v as object).constructor.name}`);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { json: walk(value), parts, bytes };
}

function isBinaryRef(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return (
    keys.length === 3 &&
    typeof v.$bin === "string" &&
    v.$bin in TYPED &&
    Number.isInteger(v.offset) &&
    Number.isInteger(v.length)
  );
}

/**
 * Inverse of packCheckpoint: `body` is the binary body (null when the JSON has no binary refs). Typed arrays are
 * copied out of the body, so the body can be dropped. A ref outside the body is an error, never a short array.
 */
export function unpackCheckpoint(value: unknown, body: Uint8Array | null): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && (keys[0] === "$f32" || keys[0] === "$f64") && typeof o[keys[0]] === "string")
        return unpackArray(o as Packed);
      if (isBinaryRef(o)) {
        const ref = o as unknown as BinaryRef;
        const ctor = TYPED[ref.$bin];
        const size = ref.length * ctor.BYTES_PER_ELEMENT;
        if (!body || ref.offset < 0 || ref.offset + size > body.byteLength)
          throw new RangeError(`checkpoint body too short for ${ref.$bin}[${ref.length}] at ${ref.offset}`);
        const out = new ctor(ref.length);
        new Uint8Array(out.buffer).set(body.subarray(ref.offset, ref.offset + size));
        return out;
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value);
}

/** The binary body of a packed checkpoint in one buffer (small checkpoints and tests; the store streams instead). */
export function packedBody(packed: PackedCheckpoint): Uint8Array {
  const body = new Uint8Array(packed.bytes);
  for (const part of packed.parts) body.set(part.bytes, part.offset);
  return body;
}
