// Writes float tensors (F32, F16 or BF16) and string metadata as a safetensors file buffer.
import { InferenceError } from "../errors";
import { numberToBf16Bits, numberToF16Bits } from "./half";
import type { TensorToWrite } from "./types";

/** Serialize tensors (insertion order) into safetensors bytes; the header is space-padded to 8-byte alignment. */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Buffer {
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
  const parts: { name: string; t: TensorToWrite; width: number; count: number }[] = [];
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
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const { t, width, count } of parts) {
    const dtype = t.dtype ?? "F32";
    for (let i = 0; i < count; i++) {
      const v = Number(t.data[i]);
      if (dtype === "F32") out.writeFloatLE(v, at + 4 * i);
      else out.writeUInt16LE(dtype === "F16" ? numberToF16Bits(v) : numberToBf16Bits(v), at + 2 * i);
    }
    at += count * width;
  }
  return out;
}
