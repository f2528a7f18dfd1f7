// safetensors reader/writer: hand-assembled F32/F16/BF16 files with hand-checked values, round trips, bad files.
import { InferenceError, readSafetensors, writeSafetensors, writeSafetensorsFile } from "../src";
import { numberToF16Bits, numberToBf16Bits } from "../src/safetensors";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Assemble a safetensors file by hand: header JSON + raw bytes (independent of writeSafetensors). */
function assemble(header: object, data: number[]): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}

describe("readSafetensors", () => {
  it("decodes F32 values and metadata", () => {
    // 1.0 = 00 00 80 3f, -2.5 = 00 00 20 c0 (little endian)
    const bytes = assemble(
      { __metadata__: { format: "pt" }, w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } },
      [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0],
    );
    const f = readSafetensors(bytes);
    expect(f.metadata).toEqual({ format: "pt" });
    expect(f.tensors.w.dtype).toBe("F32");
    expect(f.tensors.w.shape).toEqual([2]);
    expect(Array.from(f.tensors.w.data)).toEqual([1, -2.5]);
  });

  it("decodes F16 values: 1.0, -2.5, 1/3 rounded, 65504, smallest subnormal", () => {
    // 0x3c00=1, 0xc100=-2.5, 0x3555=0.333251953125, 0x7bff=65504, 0x0001=2^-24
    const bytes = assemble(
      { h: { dtype: "F16", shape: [5], data_offsets: [0, 10] } },
      [0x00, 0x3c, 0x00, 0xc1, 0x55, 0x35, 0xff, 0x7b, 0x01, 0x00],
    );
    const t = readSafetensors(bytes).tensors.h;
    expect(Array.from(t.data)).toEqual([1, -2.5, 0.333251953125, 65504, 2 ** -24]);
  });

  it("decodes BF16 values: 1.0, -2.5, 0.333984375", () => {
    // 0x3f80=1, 0xc020=-2.5, 0x3eab=0.333984375
    const bytes = assemble(
      { b: { dtype: "BF16", shape: [3, 1], data_offsets: [0, 6] } },
      [0x80, 0x3f, 0x20, 0xc0, 0xab, 0x3e],
    );
    const t = readSafetensors(bytes).tensors.b;
    expect(t.shape).toEqual([3, 1]);
    expect(Array.from(t.data)).toEqual([1, -2.5, 0.333984375]);
  });

  it("reads from a path", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-"));
    const p = join(dir, "x.safetensors");
    writeFileSync(p, writeSafetensors({ a: { shape: [2, 2], data: [1, 2, 3, 4] } }));
    expect(Array.from(readSafetensors(p).tensors.a.data)).toEqual([1, 2, 3, 4]);
  });

  it("refuses broken files with BAD_SAFETENSORS", () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as InferenceError).code;
      }
      return "none";
    };
    expect(codeOf(() => readSafetensors(new Uint8Array(3)))).toBe("BAD_SAFETENSORS");
    const big = Buffer.alloc(16);
    big.writeBigUInt64LE(1000n, 0);
    expect(codeOf(() => readSafetensors(big))).toBe("BAD_SAFETENSORS");
    expect(
      codeOf(() =>
        readSafetensors(assemble({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Array(8).fill(0))),
      ),
    ).toBe("BAD_SAFETENSORS");
    expect(codeOf(() => readSafetensors(assemble({ w: { dtype: "Q4", shape: [1], data_offsets: [0, 1] } }, [0])))).toBe(
      "BAD_SAFETENSORS",
    );
    expect(codeOf(() => readSafetensors("/nonexistent/file.safetensors"))).toBe("BAD_SAFETENSORS");
  });
});

describe("writeSafetensors", () => {
  it("round-trips F32 exactly, with metadata and 8-byte aligned data", () => {
    const data = Float32Array.from([0.1, -3.75, 1e-8, 12345.678]);
    const buf = writeSafetensors({ W_enc: { shape: [2, 2], data }, b: { shape: [1], data: [7] } }, { k: "v" });
    expect(Number(buf.readBigUInt64LE(0)) % 8).toBe(0);
    const f = readSafetensors(buf);
    expect(f.metadata).toEqual({ k: "v" });
    expect(Array.from(f.tensors.W_enc.data)).toEqual(Array.from(data));
    expect(Object.keys(f.tensors)).toEqual(["W_enc", "b"]);
    expect(Array.from(f.tensors.b.data)).toEqual([7]);
  });

  it("writes F16 and BF16 with round-to-nearest-even", () => {
    expect(numberToF16Bits(1)).toBe(0x3c00);
    expect(numberToF16Bits(-2.5)).toBe(0xc100);
    expect(numberToF16Bits(1 / 3)).toBe(0x3555);
    expect(numberToF16Bits(1e6)).toBe(0x7c00);
    expect(numberToF16Bits(2 ** -24)).toBe(0x0001);
    expect(numberToBf16Bits(1 / 3)).toBe(0x3eab);
    expect(numberToBf16Bits(-2.5)).toBe(0xc020);
    // 1 + 2^-8 is exactly halfway between bf16 1.0 and 1.0078125: ties to even → 1.0
    expect(numberToBf16Bits(1 + 2 ** -8)).toBe(0x3f80);
    const buf = writeSafetensors({
      h: { shape: [3], data: [1, -2.5, 1 / 3], dtype: "F16" },
      b: { shape: [3], data: [1, -2.5, 1 / 3], dtype: "BF16" },
    });
    const f = readSafetensors(buf);
    expect(f.tensors.h.dtype).toBe("F16");
    expect(Array.from(f.tensors.h.data)).toEqual([1, -2.5, 0.333251953125]);
    expect(Array.from(f.tensors.b.data)).toEqual([1, -2.5, 0.333984375]);
  });

  it("refuses a shape/data length mismatch", () => {
    expect(() => writeSafetensors({ w: { shape: [2, 3], data: [1, 2] } })).toThrow(/needs 6 values, got 2/);
  });
});

describe("writeSafetensorsFile", () => {
  it("writes into a file the same bytes writeSafetensors returns (Float32Array views, unaligned views, F16, plain arrays)", () => {
    const backing = new Float32Array([9, 1.5, -2.25, 3e-8, 7]);
    const tensors = {
      view: { shape: [3], data: backing.subarray(1, 4) }, // a view into a larger buffer
      matrix: { shape: [2, 2], data: Float32Array.of(1, -0, Infinity, 0.1) },
      half: { shape: [2], data: [1, -2.5], dtype: "F16" as const },
      list: { shape: [1], data: [0.25] },
    };
    const file = join(mkdtempSync(join(tmpdir(), "st-file-")), "w.safetensors");
    writeSafetensorsFile(file, tensors, { format: "test" });
    const written = readFileSync(file);
    expect(written.equals(writeSafetensors(tensors, { format: "test" }))).toBe(true);
    const back = readSafetensors(file);
    expect(Array.from(back.tensors.view.data)).toEqual(Array.from(backing.subarray(1, 4)));
    expect(Array.from(back.tensors.half.data)).toEqual([1, -2.5]);
    expect(back.metadata).toEqual({ format: "test" });
    expect(() => writeSafetensorsFile(file, { bad: { shape: [2], data: [1] } })).toThrow(InferenceError);
  });
});
