// What it takes to run a stored model: its folder on disk and the manifest to open it with, built from the
// database rows (Model.config is the manifest; the SAEs come from the Dictionary rows, so an imported SAE runs
// exactly like one listed in model.json). Dictionary.weightsPath is relative to the model's folder.
import path from "node:path";
import { repoRoot, type Dictionary, type HookPoint, type Model } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { ModelManifest } from "@mmatlas/inference";

/** Absolute folder of a model row (stored relative to the repository when inside it). */
export function modelDirectory(model: Pick<Model, "directory">): string {
  return path.isAbsolute(model.directory) ? model.directory : path.resolve(repoRoot(), model.directory);
}

/** Absolute folder of a dictionary's SAE files (weightsPath is relative to the model folder, or absolute). */
export function dictionaryFolder(model: Pick<Model, "directory">, dictionary: Pick<Dictionary, "weightsPath">): string {
  return path.resolve(modelDirectory(model), dictionary.weightsPath);
}

/** How a dictionary folder is stored: relative to the model folder, so the data moves with the repository. */
export function storedWeightsPath(model: Pick<Model, "directory">, folder: string): string {
  return path.relative(modelDirectory(model), path.resolve(folder)) || ".";
}

/** The manifest to open a model with: its stored config, with the SAEs taken from the Dictionary rows. */
export function runtimeManifest(
  model: Pick<Model, "name" | "config">,
  hookPoints: Pick<HookPoint, "id" | "name">[],
  dictionaries: Pick<Dictionary, "name" | "weightsPath" | "hookPointId">[],
): ModelManifest {
  const base = model.config as unknown as ModelManifest | null;
  if (!base || typeof base !== "object" || !Array.isArray(base.hookPoints))
    throw AppError.badInput(`model ${model.name} has no manifest config; register it again`, "modelId");
  const hookName = new Map(hookPoints.map((h) => [h.id, h.name]));
  return {
    ...base,
    saes: dictionaries.map((d) => ({ name: d.name, path: d.weightsPath, hookPoint: hookName.get(d.hookPointId) })),
  };
}
