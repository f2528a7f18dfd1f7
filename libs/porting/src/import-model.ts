// Imports a model: a folder holding model.json (the manifest: ONNX files, preprocessing, tokenizer and the
// hook spec) and the ONNX files it names. Everything is checked before anything is written: the manifest, the
// files, the name (an existing model is refused unless `replace`), and a real run of one blank example through
// each tower with every hook point and SAE of the manifest (NaN or ±Infinity in a hook point or the embedding
// refuses it: corrupt weights). Then the folder is swapped into <DATA_DIR>/models/<name> and registered; a
// failure restores both. Replacing removes the model's units.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { registerModelFromManifest, type RegisteredModel } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import {
  countNonFinite,
  createRunner,
  describeNonFinite,
  errorReason,
  loadModelManifest,
  type ModelManifest,
  type RunResult,
} from "@mmatlas/inference";
import { dataDir, isInside, safeName } from "./data-dir";
import { listFirst } from "./list-first";
import { placeFolder } from "./place-folder";

export interface ImportModelOptions {
  dataDir?: string;
  /** false: register the folder where it is instead of copying it */
  copy?: boolean;
  /** replace a model of the same name: its units (and their labels) are removed, it must be built again */
  replace?: boolean;
}

/** Opens the model where it is and runs one blank example through each tower with all hooks and SAEs. */
async function assertRuns(dir: string, manifest: ModelManifest): Promise<void> {
  let runner;
  let nonFinite: string[] = [];
  try {
    runner = await createRunner(dir, { intraOpNumThreads: 1 });
  } catch (e) {
    throw AppError.badInput(`the model in ${dir} cannot be opened: ${errorReason(e)}`, "path");
  }
  try {
    for (const s of manifest.saes) runner.checkSae(s.name);
    const hooks = (tower: string) => manifest.hookPoints.filter((h) => h.tower === tower).map((h) => h.name);
    const saes = (tower: string) =>
      manifest.saes.filter((s) => runner.saeHook(s.name).tower === tower).map((s) => s.name);
    for (const tower of ["VISION", "TEXT"] as const) {
      if (!(tower === "VISION" ? manifest.image : manifest.text)) continue;
      const result = await runner.runBlank(tower, hooks(tower), { saes: saes(tower) });
      nonFinite = nonFiniteOutputs(tower, result);
      if (nonFinite.length) break;
    }
  } catch (e) {
    throw AppError.badInput(`the model in ${dir} does not run as its manifest says: ${errorReason(e)}`, "path");
  } finally {
    await runner.close();
  }
  if (nonFinite.length)
    throw AppError.badInput(
      `the model in ${dir} gives NaN or ±Infinity on a blank input, so its weights are corrupt: at ${listFirst(nonFinite, 4)}`,
      "path",
    );
}

/** The hook points (manifest order) and the embedding whose values hold NaN / ±Infinity, with their counts. */
function nonFiniteOutputs(tower: "VISION" | "TEXT", result: RunResult): string[] {
  const outputs: [string, Float32Array][] = [
    ...Object.entries(result.hooks).map(([name, t]): [string, Float32Array] => [`hook point ${name}`, t.data]),
    [`the ${tower === "VISION" ? "image" : "text"} embedding`, result.embeds.data],
  ];
  return outputs.flatMap(([what, data]) => {
    const found = countNonFinite(data);
    return found.count > 0 ? [`${what} (${describeNonFinite(found, data.length)})`] : [];
  });
}

export async function importModel(
  prisma: PrismaClient,
  source: string,
  opts: ImportModelOptions = {},
): Promise<RegisteredModel & { directory: string }> {
  const dir = path.resolve(statSync(source).isDirectory() ? source : path.dirname(source));
  let manifest: ModelManifest;
  try {
    manifest = loadModelManifest(source).manifest;
  } catch (e) {
    throw AppError.badInput(errorReason(e), "manifest");
  }
  for (const onnx of [manifest.image?.onnx, manifest.text?.onnx]) {
    if (onnx && !existsSync(path.resolve(dir, onnx)))
      throw AppError.badInput(`the manifest names ${onnx}, which is not in ${dir}`, "manifest");
  }
  const existing = await prisma.model.findUnique({ where: { name: manifest.name } });
  if (existing && !opts.replace)
    throw AppError.conflict(
      `a model named ${JSON.stringify(manifest.name)} exists; pass --replace to replace it (its units are removed)`,
      { field: "name" },
    );
  const target = opts.copy === false ? dir : path.join(opts.dataDir ?? dataDir(), "models", safeName(manifest.name));
  if (opts.copy !== false && isInside(dir, target))
    throw AppError.badInput(`${dir} is where model ${manifest.name} is stored; import from a copy`, "path");
  await assertRuns(dir, manifest);

  const placed = opts.copy === false ? null : placeFolder(dir, target);
  try {
    const registered = await registerModelFromManifest(prisma, target, { removeUnits: Boolean(existing) });
    placed?.commit();
    return { ...registered, directory: target };
  } catch (e) {
    placed?.rollback();
    throw e;
  }
}
