// Imports a SAELens SAE folder (cfg.json + sae_weights.safetensors [+ sparsity.safetensors]) for a model already
// in the database. Everything is checked before anything is written: the weights load (shapes, architecture,
// finite values), the hook exists, the name is free (or --replace), and the SAE really runs on its hook (one
// example through the model with the SAE attached). Then the folder is swapped into
// <DATA_DIR>/saes/<model>/<name> and the Dictionary written in one transaction; a failure restores both.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  countUnitsAndAnnotations,
  dictionaryFolder,
  modelDirectory,
  resolveModelId,
  runtimeManifest,
  saeArchitectureOf,
  storedWeightsPath,
} from "@mmatlas/catalog";
import { Prisma, type Dictionary, type HookPoint, type Model, type PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { createRunner, errorReason, loadSae, type Sae } from "@mmatlas/inference";
import { dataDir, isInside, safeName } from "./data-dir";
import { placeFolder } from "./place-folder";
import type { RemovedUnits } from "./remove";

export interface ImportSaeOptions {
  /** model name or id */
  model: string;
  /** hook point name; default: cfg.json metadata.hook_name (or hook_name) */
  hook?: string;
  /** dictionary name (letters, digits, . _ -); default: the folder name */
  name?: string;
  /** replace a dictionary of the same name: its units (and their labels) are removed, it must be built again */
  replace?: boolean;
  dataDir?: string;
}

export interface ImportSaeResult {
  dictionary: Dictionary;
  /** where the files now are */
  folder: string;
  /** what --replace removed (null when nothing was replaced) */
  replaced: (RemovedUnits & { architecture: string; dSae: number }) | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function loadChecked(folder: string): { sae: Sae; raw: Record<string, unknown> } {
  for (const f of ["cfg.json", "sae_weights.safetensors"]) {
    if (!existsSync(path.join(folder, f)))
      throw AppError.badInput(`${folder} has no ${f} (expected a SAELens folder)`, "path");
  }
  try {
    const sae = loadSae(folder);
    return { sae, raw: JSON.parse(readFileSync(path.join(folder, "cfg.json"), "utf8")) as Record<string, unknown> };
  } catch (e) {
    throw AppError.badInput(`cannot load the SAE in ${folder}: ${errorReason(e)}`, "path");
  }
}

async function findHook(prisma: PrismaClient, model: Model, hookName: string | undefined): Promise<HookPoint> {
  if (!hookName)
    throw AppError.badInput("cfg.json names no hook (metadata.hook_name); pass the hook point name", "hook");
  const hook = await prisma.hookPoint.findUnique({ where: { modelId_name: { modelId: model.id, name: hookName } } });
  if (hook) return hook;
  const names = (await prisma.hookPoint.findMany({ where: { modelId: model.id }, select: { name: true } })).map(
    (h) => h.name,
  );
  throw AppError.badInput(
    `model ${model.name} has no hook point ${JSON.stringify(hookName)} (hook points: ${names.join(", ")})`,
    "hook",
  );
}

/** Opens the model with the SAE attached from `folder` and runs one blank example through it. */
async function assertRunsOnHook(
  prisma: PrismaClient,
  model: Model,
  hook: HookPoint,
  name: string,
  folder: string,
): Promise<void> {
  const hookPoints = await prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const manifest = runtimeManifest(model, hookPoints, [
    { name, weightsPath: path.resolve(folder), hookPointId: hook.id },
  ]);
  let runner;
  try {
    runner = await createRunner(manifest, { dir: modelDirectory(model), intraOpNumThreads: 1 });
  } catch (e) {
    throw AppError.unavailable(`model ${model.name} cannot be opened to check the SAE: ${(e as Error).message}`);
  }
  try {
    runner.checkSae(name);
    await runner.runBlank(hook.tower, [], { saes: [name] });
  } catch (e) {
    throw AppError.badInput(`the SAE cannot run on ${hook.name}: ${errorReason(e)}`, "hook");
  } finally {
    await runner.close();
  }
}

export async function importSae(
  prisma: PrismaClient,
  folder: string,
  opts: ImportSaeOptions,
): Promise<ImportSaeResult> {
  const source = path.resolve(folder);
  const { sae, raw } = loadChecked(source);
  const model = await prisma.model.findUnique({ where: { id: await resolveModelId(prisma, opts.model, "model") } });
  if (!model) throw AppError.notFound("Model", opts.model);
  const meta = raw.metadata as { hook_name?: unknown } | undefined;
  const hookName = opts.hook ?? sae.cfg.hookName ?? (typeof meta?.hook_name === "string" ? meta.hook_name : undefined);
  const hook = await findHook(prisma, model, hookName);
  if (sae.cfg.dIn !== hook.width)
    throw AppError.badInput(`SAE d_in ${sae.cfg.dIn} does not match ${hook.name} width ${hook.width}`, "d_in");
  const name = opts.name ?? safeName(path.basename(source));
  if (!NAME.test(name))
    throw AppError.badInput(
      `dictionary name ${JSON.stringify(name)} must be 1–100 letters, digits, '.', '_' or '-' (pass --name)`,
      "name",
    );
  const existing = await prisma.dictionary.findUnique({ where: { modelId_name: { modelId: model.id, name } } });
  if (existing && !opts.replace)
    throw AppError.conflict(
      `model ${model.name} already has a dictionary ${JSON.stringify(name)} (${existing.architecture}, d_sae ${existing.dSae}); pass --replace to replace it (its units are removed) or --name to import under another name`,
      { field: "name" },
    );
  if (existing && isInside(source, dictionaryFolder(model, existing)))
    throw AppError.badInput(`${source} is where dictionary ${name} is stored; import from a copy`, "path");
  await assertRunsOnHook(prisma, model, hook, name, source);

  const root = opts.dataDir ?? dataDir();
  const target = path.join(root, "saes", safeName(model.name), name);
  const data = {
    hookPointId: hook.id,
    architecture: saeArchitectureOf(sae.cfg.architecture),
    dIn: sae.cfg.dIn,
    dSae: sae.cfg.dSae,
    weightsPath: storedWeightsPath(model, target),
    cfg: raw as object,
  };
  const placed = placeFolder(source, target);
  try {
    const written = await prisma.$transaction(
      async (tx) => {
        if (!existing)
          return {
            dictionary: await tx.dictionary.create({ data: { modelId: model.id, name, ...data } }),
            replaced: null,
          };
        const removed = await countUnitsAndAnnotations(tx, { dictionaryId: existing.id });
        await tx.unit.deleteMany({ where: { dictionaryId: existing.id } });
        const dictionary = await tx.dictionary.update({
          where: { id: existing.id },
          data: { ...data, metrics: Prisma.DbNull },
        }); // the old training report does not describe the new SAE
        return { dictionary, replaced: { ...removed, architecture: existing.architecture, dSae: existing.dSae } };
      },
      { timeout: 120_000 },
    );
    placed.commit();
    return { ...written, folder: target };
  } catch (e) {
    placed.rollback();
    throw e;
  }
}
