// The size of each tower's ONNX graph of a stored model, read from disk for the memory plan (a file that cannot
// be read counts 0: opening the model fails later with its own clear error).
import { statSync } from "node:fs";
import path from "node:path";
import type { ModelManifest } from "@mmatlas/inference";

export function modelGraphBytes(dir: string, manifest: ModelManifest): number[] {
  const files = [manifest.image?.onnx, manifest.text?.onnx].filter((f): f is string => typeof f === "string");
  return [...new Set(files)].map((f) => {
    try {
      return statSync(path.resolve(dir, f)).size;
    } catch {
      return 0;
    }
  });
}
