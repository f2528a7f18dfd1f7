// Imports a model: a folder holding model.json (the manifest: ONNX files, preprocessing, tokenizer and the
// hook spec) and the ONNX files it names. The manifest is validated, the folder copied into the data dir
// (<DATA_DIR>/models/<name>) and the Model, HookPoints and Dictionaries registered from the copy.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import { registerModelFromManifest, type RegisteredModel } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { loadModelManifest } from "@mmatlas/inference";
import { copyFolder, dataDir, safeName } from "./data-dir";

export async function importModel(prisma: PrismaClient, source: string, opts: { dataDir?: string; copy?: boolean } = {}): Promise<RegisteredModel & { directory: string }> {
  const dir = statSync(source).isDirectory() ? source : path.dirname(source);
  let manifest;
  try { manifest = loadModelManifest(source).manifest; } catch (e) { throw AppError.badInput((e as Error).message, "manifest"); }
  for (const onnx of [manifest.image?.onnx, manifest.text?.onnx]) {
    if (onnx && !existsSync(path.resolve(dir, onnx))) throw AppError.badInput(`the manifest names ${onnx}, which is not in ${dir}`, "manifest");
  }
  const target = opts.copy === false ? path.resolve(dir) : copyFolder(dir, path.join(opts.dataDir ?? dataDir(), "models", safeName(manifest.name)));
  return { ...(await registerModelFromManifest(prisma, target)), directory: target };
}
