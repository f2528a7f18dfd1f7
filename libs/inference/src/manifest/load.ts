// Reads model.json from a model folder, validates it and checks that the files it names exist.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InferenceError } from "../errors";
import type { LoadedManifest } from "./types";
import { validateManifest } from "./validate";

export const MANIFEST_FILENAME = "model.json";

/** Load `<dir>/model.json` (or a direct path to a .json file). */
export function loadModelManifest(dirOrFile: string): LoadedManifest {
  const target = resolve(dirOrFile);
  const isFile = existsSync(target) && statSync(target).isFile();
  const file = isFile ? target : join(target, MANIFEST_FILENAME);
  const dir = isFile ? resolve(target, "..") : target;
  if (!existsSync(file)) throw new InferenceError("BAD_MANIFEST", `no ${MANIFEST_FILENAME} found at ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InferenceError("BAD_MANIFEST", `${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const manifest = validateManifest(raw, file);
  const missing: string[] = [];
  for (const t of [manifest.image, manifest.text]) if (t && !existsSync(join(dir, t.onnx))) missing.push(t.onnx);
  for (const s of manifest.saes) if (!existsSync(join(dir, s.path))) missing.push(s.path);
  if (missing.length) throw new InferenceError("BAD_MANIFEST", `${file} names missing files: ${missing.join(", ")}`);
  return { dir, manifest };
}
