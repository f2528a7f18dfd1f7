// Writes float tensors (F32, F16 or BF16) and string metadata as a safetensors file buffer, or straight into a
// file tensor by tensor (writeSafetensorsFile: no whole-file buffer, for weight files of hundreds of MB).
import { closeSync, openSync, writeSync } from "node:fs";
import { InferenceError } from "../errors";
import { numberToBf16Bits, numberToF16Bits } from "./half";
import type { TensorToWrite } from "./types";

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

interface Part {
  name: string;
  t: TensorToWrite;
  width: number;
  count: number;
}

/** Checks the tensors and lays out the header (8-byte length + space-padded JSON) and the data offsets. */
function layout(
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): { head: Buffer; parts: Part[]; dataBytes: number } {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new InferenceError("BAD_SAFETENSORS", `metadata "${k}" must be a string`);
      meta[k] = v;
    }
    header.__metadata__ = meta;
  }
  let offset = 0;
  const parts: Part[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === "__metadata__")
      throw new InferenceError("BAD_SAFETENSORS", `"__metadata__" is not a valid tensor name`);
    const dtype = t.dtype ?? "F32";
    if (dtype !== "F32" && dtype !== "F16" && dtype !== "BF16")
      throw new InferenceError("BAD_SAFETENSORS", `tensor "${name}": cannot write dtype ${String(dtype)}`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new InferenceError("BAD_SAFETENSORS", `tensor "${name}": bad shape ${JSON.stringify(t.shape)}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count)
      throw new InferenceError(
        "BAD_SAFETENSORS",
        `tensor "${name}": shape ${JSON.stringify(t.shape)} needs ${count} values, got ${t.data.length}`,
      );
    const width = dtype === "F32" ? 4 : 2;
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + count * width] };
    parts.push({ name, t, width, count });
    offset += count * width;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const head = Buffer.alloc(8 + headerBytes.length);
  head.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(head, 8);
  return { head, parts, dataBytes: offset };
}

/** One tensor's stored bytes: a view of a little-endian Float32Array as it is, else encoded value by value. */
function tensorBytes({ t, width, count }: Part): Uint8Array {
  const dtype = t.dtype ?? "F32";
  if (dtype === "F32" && t.data instanceof Float32Array && LITTLE_ENDIAN)
    return new Uint8Array(t.data.buffer, t.data.byteOffset, count * 4);
  const out = Buffer.alloc(count * width);
  for (let i = 0; i < count; i++) {
    const v = Number(t.data[i]);
    if (dtype === "F32") out.writeFloatLE(v, 4 * i);
    else out.writeUInt16LE(dtype === "F16" ? numberToF16Bits(v) : numberToBf16Bits(v), 2 * i);
  }
  return out;
}

/** Serialize tensors (insertion order) into safetensors bytes; the header is space-padded to 8-byte alignment. */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Buffer {
  const { head, parts, dataBytes } = layout(tensors, metadata);
  const out = Buffer.alloc(head.length + dataBytes);
  head.copy(out, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(tensorBytes(p), at);
    at += p.count * p.width;
  }
  return out;
}

/** The same bytes as writeSafetensors, written into `file` tensor by tensor. */
export function writeSafetensorsFile(
  file: string,
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): void {
  const { head, parts } = layout(tensors, metadata);
  const fd = openSync(file, "w");
  try {
    const all = (bytes: Uint8Array) => {
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
    };
    all(head);
    for (const p of parts) all(tensorBytes(p));
  } finally {
    closeSync(fd);
  }
}
