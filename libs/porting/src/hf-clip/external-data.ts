// Brings the external data of an ONNX graph into it (Optimum and onnx.save_model(save_as_external_data=True) keep
// large weights in a side file such as `vision_model.onnx_data`): each initializer stored outside the graph is read
// from its file (location, offset, length) next to the graph and kept inside, so the graph runs from memory and is
// staged as one file. A location outside the export's folder (symbolic links resolved), a missing or short file,
// and a graph over protobuf's 2 GB limit are clear errors.
import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import type { OnnxModel } from "@mmatlas/inference";

const EXTERNAL = 1;
/** protobuf's limit on one serialized message: a graph must stay under it to be encoded as one file */
const MAX_GRAPH_BYTES = 2 ** 31 - 1;

/** whether `file` lies inside `root` (symbolic links resolved by the caller) */
const inside = (root: string, file: string) => {
  const rel = path.relative(root, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
};

/** Moves every externally stored initializer of `model` (read from `graphFile`'s folder) inside it; returns how many. */
export function inlineExternalData(model: OnnxModel, graphFile: string, exportDir: string, label: string): number {
  const dir = path.dirname(graphFile);
  const root = path.resolve(exportDir);
  let moved = 0,
    total = 0;
  const files = new Map<string, { fd: number; size: number }>(); // each data file opened once
  try {
    for (const t of model.graph?.initializer ?? []) {
      if (Number(t.dataLocation ?? 0) !== EXTERNAL) continue;
      const entry = (key: string) => t.externalData?.find((e) => e.key === key)?.value ?? undefined;
      const location = entry("location");
      if (!location) throw AppError.badInput(`${label}: initializer ${t.name} is external but names no file`, "path");
      const file = path.resolve(dir, location);
      if (!inside(root, file) || (existsSync(file) && !inside(realpathSync(root), realpathSync(file))))
        throw AppError.badInput(
          `${label}: initializer ${t.name} reads external data from ${JSON.stringify(location)}, outside the export's folder`,
          "path",
        );
      let opened = files.get(file);
      if (opened === undefined) {
        let fd: number;
        try {
          fd = openSync(file, "r");
        } catch {
          throw AppError.badInput(
            `${label}: the external data file ${location} of initializer ${t.name} is missing`,
            "path",
          );
        }
        files.set(file, (opened = { fd, size: 0 })); // closed in finally whatever happens next
        opened.size = fstatSync(fd).size;
      }
      const { fd, size } = opened;
      const offset = Number(entry("offset") ?? 0);
      const length = entry("length") !== undefined ? Number(entry("length")) : size - offset;
      if (
        !Number.isSafeInteger(offset) ||
        !Number.isSafeInteger(length) ||
        offset < 0 ||
        length < 0 ||
        offset + length > size
      )
        throw AppError.badInput(
          `${label}: initializer ${t.name} reads bytes ${offset}..${offset + length} of ${location}, which has ${size}`,
          "path",
        );
      total += length;
      if (total > MAX_GRAPH_BYTES)
        throw AppError.badInput(
          `${label}: its weights are over 2 GB, more than one ONNX graph can hold; graphs that large are not imported yet`,
          "path",
        );
      const bytes = new Uint8Array(length);
      for (let read = 0; read < length;) {
        const n = readSync(fd, bytes, read, length - read, offset + read);
        if (n === 0) throw AppError.badInput(`${label}: ${location} ended while reading ${t.name}`, "path");
        read += n;
      }
      t.rawData = bytes;
      t.dataLocation = 0;
      t.externalData = [];
      moved++;
    }
  } finally {
    for (const { fd } of files.values()) closeSync(fd);
  }
  return moved;
}
