// Reads a safetensors file (8-byte LE header length, JSON header, raw little-endian data) into float32 tensors.
import { readFileSync } from "node:fs";
import { InferenceError } from "../errors";
import { bf16BitsToNumber, f16BitsToNumber } from "./half";
import type { DecodedTensor, SafetensorsDtype, SafetensorsFile } from "./types";

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

function fail(message: string): never {
  throw new InferenceError("BAD_SAFETENSORS", message);
}

/** Parse safetensors bytes (or read them from `source` when it is a path). */
export function readSafetensors(source: Uint8Array | string): SafetensorsFile {
  let bytes: Uint8Array;
  if (typeof source === "string") {
    try {
      bytes = readFileSync(source);
    } catch (e) {
      throw new InferenceError("BAD_SAFETENSORS", `cannot read safetensors file ${source}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  } else bytes = source;
  const label = typeof source === "string" ? source : "buffer";
  if (bytes.byteLength < 8) fail(`${label}: too short (${bytes.byteLength} bytes) to be safetensors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.byteLength - 8)
    fail(`${label}: header length ${headerLen} exceeds file size ${bytes.byteLength}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLen).toString("utf8"));
  } catch (e) {
    throw new InferenceError("BAD_SAFETENSORS", `${label}: header is not valid JSON`, { cause: e });
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) fail(`${label}: header is not a JSON object`);
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, DecodedTensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      for (const [k, v] of Object.entries((entry ?? {}) as Record<string, unknown>)) metadata[k] = String(v);
      continue;
    }
    const e = entry as { dtype?: string; shape?: unknown; data_offsets?: unknown };
    const dtype = e.dtype as SafetensorsDtype;
    if (!(dtype in BYTES_PER_ELEMENT)) fail(`${label}: tensor "${name}" has unsupported dtype ${String(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(`${label}: tensor "${name}" has a bad shape`);
    const offsets = e.data_offsets as number[];
    if (!Array.isArray(offsets) || offsets.length !== 2 || !(offsets[0] <= offsets[1]) || offsets[1] > dataLen)
      fail(
        `${label}: tensor "${name}" has bad data_offsets ${JSON.stringify(e.data_offsets)} (data is ${dataLen} bytes)`,
      );
    const shape = e.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const width = BYTES_PER_ELEMENT[dtype];
    if (offsets[1] - offsets[0] !== count * width)
      fail(
        `${label}: tensor "${name}" ${dtype}${JSON.stringify(shape)} needs ${count * width} bytes, offsets give ${offsets[1] - offsets[0]}`,
      );
    tensors[name] = { dtype, shape: [...shape], data: decode(view, dataStart + offsets[0], count, dtype) };
  }
  return { tensors, metadata };
}

function decode(view: DataView, at: number, count: number, dtype: SafetensorsDtype): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case "F32":
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, true);
      break;
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, true);
      break;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = f16BitsToNumber(view.getUint16(at + 2 * i, true));
      break;
    case "BF16":
      for (let i = 0; i < count; i++) out[i] = bf16BitsToNumber(view.getUint16(at + 2 * i, true));
      break;
    case "I64":
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(at + 8 * i, true));
      break;
    case "I32":
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, true);
      break;
    case "I16":
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, true);
      break;
    case "I8":
      for (let i = 0; i < count; i++) out[i] = view.getInt8(at + i);
      break;
    case "U8":
    case "BOOL":
      for (let i = 0; i < count; i++) out[i] = view.getUint8(at + i);
      break;
  }
  return out;
}
