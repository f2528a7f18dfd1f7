// PostgreSQL's binary wire format for the atlas's bulk writes: a `COPY … FROM … WITH (FORMAT binary)` payload
// (signature, flags, tuples of length-prefixed big-endian fields, trailer), real[] fields included. The server then
// reads floats as 4 bytes each instead of parsing decimal text, which is most of the cost of writing per-position
// values (PGlite runs its parser in WebAssembly).

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const FLOAT4_OID = 700;

/** Binary size of a one-dimensional real[] of `n` elements. */
const float4ArrayBytes = (n: number) => (n === 0 ? 12 : 20 + 8 * n);

/**
 * Writes a one-dimensional real[] without NULL elements at `o` (non-finite values as `nonFinite`); returns the
 * offset after it. `b` must have float4ArrayBytes(values.length) bytes free there.
 */
function writeFloat4Array(b: Buffer, o: number, values: ArrayLike<number>, nonFinite: number): number {
  const n = values.length;
  b.writeInt32BE(n === 0 ? 0 : 1, o); // dimensions (an empty array has none)
  b.writeInt32BE(0, o + 4); // no NULL elements
  b.writeInt32BE(FLOAT4_OID, o + 8);
  o += 12;
  if (n === 0) return o;
  b.writeInt32BE(n, o);
  b.writeInt32BE(1, o + 4); // lower bound
  o += 8;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    b.writeInt32BE(4, o);
    b.writeFloatBE(Number.isFinite(x) ? x : nonFinite, o + 4);
    o += 8;
  }
  return o;
}

/** The payload of `COPY table (columns) FROM … WITH (FORMAT binary)`: call tuple(), then one method per column. */
export class BinaryCopyWriter {
  private buf: Buffer<ArrayBuffer> = Buffer.allocUnsafe(1 << 16);
  private at = 0;

  constructor() {
    for (const byte of SIGNATURE) this.buf[this.at++] = byte;
    this.int32(0); // flags: no OIDs
    this.int32(0); // header extension length
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  private int16(n: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(n, this.at);
    this.at += 2;
  }
  private int32(n: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(n, this.at);
    this.at += 4;
  }

  tuple(fields: number): this {
    this.int16(fields);
    return this;
  }

  text(s: string): this {
    const bytes = Buffer.byteLength(s, "utf8");
    this.int32(bytes);
    this.ensure(bytes);
    this.at += this.buf.write(s, this.at, "utf8");
    return this;
  }

  int4(n: number): this {
    this.int32(4);
    this.int32(n);
    return this;
  }

  float8(x: number): this {
    this.int32(8);
    this.ensure(8);
    this.buf.writeDoubleBE(x, this.at);
    this.at += 8;
    return this;
  }

  /** A real[] column; non-finite values are written as `nonFinite`. */
  float4Array(values: ArrayLike<number>, nonFinite = 0): this {
    const bytes = float4ArrayBytes(values.length);
    this.int32(bytes);
    this.ensure(bytes);
    this.at = writeFloat4Array(this.buf, this.at, values, nonFinite);
    return this;
  }

  /** The finished payload (with the trailer); the writer must not be used afterwards. */
  finish(): Buffer<ArrayBuffer> {
    this.int16(-1);
    return this.buf.subarray(0, this.at);
  }
}
