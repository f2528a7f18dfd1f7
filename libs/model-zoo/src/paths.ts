// Absolute locations of the committed built-in model assets.
import { join, resolve } from "node:path";

/** Folder holding model.json, image.onnx, text.onnx, weights.safetensors, saes/ and report.json. */
export function builtinModelDir(): string {
  return resolve(__dirname, "../assets/clip-shapes");
}

/** Path of the built-in model's manifest (model.json). */
export function builtinManifestPath(): string {
  return join(builtinModelDir(), "model.json");
}
