// Sessions of a rewritten graph that read their weights from the graph's own ONNX file. Every initializer whose
// bytes are still a view into the file the runner read becomes an ONNX external-data reference (location = the
// file's own name, offset, length), so the graph handed to onnxruntime is a few hundred KB: it is written next to
// the file, opened by path (onnxruntime reads the weights from the file itself) and removed. On a ViT-L/14 vision
// graph (1.2 GB) a session opens in 4.5 s instead of 15–19 s, with 1.2–1.9 GB less memory (docs/benchmarks.md).
// Where the folder cannot be written, the caller hands onnxruntime the whole graph as before.
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { onnx } from "onnx-proto";
import { encodeModel, type OnnxModel } from "./model";

/** initializers smaller than this stay inside the graph (shapes, scales, small biases) */
export const MIN_REFERENCED_BYTES = 1024;
/** the tensor fields a reference changes (undo puts them back) */
const REFERENCE_FIELDS = ["rawData", "dataLocation", "externalData"] as const;
/** prefix of the session graphs written next to a model's file (git-ignored) */
export const SESSION_GRAPH_PREFIX = ".mmatlas-session-";

/**
 * Turns every initializer whose raw data is a view into `fileBytes` (and at least `minBytes` long) into a reference
 * to the same bytes of `fileName`. Returns how many were turned, and `undo`, which puts the raw data back.
 */
export function referenceFileWeights(
  model: OnnxModel,
  fileBytes: Uint8Array,
  fileName: string,
  minBytes = MIN_REFERENCED_BYTES,
): { referenced: number; undo(): void } {
  const changed: { tensor: onnx.ITensorProto; before: Partial<onnx.ITensorProto> }[] = [];
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData;
    if (!raw || raw.length < minBytes || raw.buffer !== fileBytes.buffer) continue;
    const offset = raw.byteOffset - fileBytes.byteOffset;
    if (offset < 0 || offset + raw.length > fileBytes.length) continue;
    // the fields as they were (own properties only: an unset field must stay unset, or encoding writes it)
    const before: Partial<onnx.ITensorProto> = {};
    for (const key of REFERENCE_FIELDS)
      if (Object.prototype.hasOwnProperty.call(t, key)) Object.assign(before, { [key]: t[key] });
    changed.push({ tensor: t, before });
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.externalData = [
      { key: "location", value: fileName },
      { key: "offset", value: String(offset) },
      { key: "length", value: String(raw.length) },
    ];
    t.rawData = new Uint8Array(0);
  }
  return {
    referenced: changed.length,
    undo() {
      for (const { tensor, before } of changed) {
        for (const key of REFERENCE_FIELDS) delete tensor[key];
        Object.assign(tensor, before);
      }
    },
  };
}

let written = 0;

/**
 * What to hand onnxruntime for a rewritten graph of the file at `onnxPath` (whose bytes are `fileBytes`): the path
 * of a small graph written next to it, referencing its weights, with `remove` to call once the session is open;
 * or, when nothing could be referenced or the folder cannot be written, the whole encoded graph.
 */
export function sessionGraph(
  model: OnnxModel,
  onnxPath: string,
  fileBytes: Uint8Array,
  minBytes = MIN_REFERENCED_BYTES,
): { source: string | Uint8Array; remove(): void } {
  const refs = referenceFileWeights(model, fileBytes, path.basename(onnxPath), minBytes);
  if (refs.referenced > 0) {
    const file = path.join(
      path.dirname(onnxPath),
      `${SESSION_GRAPH_PREFIX}${process.pid}-${++written}-${randomBytes(4).toString("hex")}.onnx`,
    );
    try {
      writeFileSync(file, encodeModel(model));
      return { source: file, remove: () => rmSync(file, { force: true }) };
    } catch {
      rmSync(file, { force: true });
      refs.undo();
    }
  }
  return { source: encodeModel(model), remove: () => undefined };
}
