// What crosses the thread boundary between accumulator-pool.ts and accumulator-worker.ts: a set's state as a
// checkpoint entry, the ArrayBuffers a message transfers, and errors (an AtlasError keeps its code).
import { AtlasError, isAtlasError, type AtlasErrorCode } from "@mmatlas/atlas";
import type { BuildCheckpoint } from "../run/checkpoint";

/** a set's state as a checkpoint stores it */
export type CheckpointEntry = BuildCheckpoint["states"][string];

/** an error as a worker reply carries it */
export type WireError = { code?: AtlasErrorCode; message: string };

/** every distinct ArrayBuffer under a value (typed arrays only; number arrays are cloned) */
export function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value && typeof value === "object") for (const v of Object.values(value)) buffersOf(v, out);
  return out;
}

export function toWire(e: unknown): WireError {
  return isAtlasError(e)
    ? { code: e.code, message: e.message.replace(/^\[[A-Z_]+\] /, "") }
    : { message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(e: WireError): Error {
  return e.code ? new AtlasError(e.code, e.message) : new Error(e.message);
}
