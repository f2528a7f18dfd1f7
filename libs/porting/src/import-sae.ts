// Imports a SAELens SAE folder (cfg.json + sae_weights.safetensors [+ sparsity.safetensors]) for a model
// already in the database: the weights are loaded and checked (shapes, architecture), d_in must equal the
// hook point's width, the folder is copied to <DATA_DIR>/saes/<model>/<name>, and a Dictionary is upserted.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import { saeArchitectureOf } from "@mmatlas/catalog";
import type { Dictionary, PrismaClient } from "@mmatlas/db";
import { loadSae } from "@mmatlas/inference";
import { copyFolder, dataDir, safeName } from "./data-dir";

export interface ImportSaeOptions {
  /** model name or id */
  model: string;
  /** hook point name; default: cfg.json metadata.hook_name (or hook_name) */
  hook?: string;
  /** dictionary name; default: the folder name */
  name?: string;
  dataDir?: string;
}

export async function importSae(prisma: PrismaClient, folder: string, opts: ImportSaeOptions): Promise<Dictionary> {
  for (const f of ["cfg.json", "sae_weights.safetensors"]) {
    if (!existsSync(path.join(folder, f))) throw AppError.badInput(`${folder} has no ${f} (expected a SAELens folder)`, "path");
  }
  let sae;
  try { sae = loadSae(folder); } catch (e) { throw AppError.badInput(`cannot load the SAE in ${folder}: ${(e as Error).message}`, "path"); }
  const raw = JSON.parse(readFileSync(path.join(folder, "cfg.json"), "utf8")) as Record<string, unknown> & { metadata?: { hook_name?: string } };
  const model = await prisma.model.findFirst({ where: { OR: [{ id: opts.model }, { name: opts.model }] } });
  if (!model) throw AppError.notFound("Model", opts.model);
  const hookName = opts.hook ?? sae.cfg.hookName ?? raw.metadata?.hook_name ?? (typeof raw.hook_name === "string" ? raw.hook_name : undefined);
  if (!hookName) throw AppError.badInput("cfg.json names no hook (metadata.hook_name); pass the hook point name", "hook");
  const hook = await prisma.hookPoint.findUnique({ where: { modelId_name: { modelId: model.id, name: hookName } } });
  if (!hook) {
    const names = (await prisma.hookPoint.findMany({ where: { modelId: model.id }, select: { name: true } })).map((h) => h.name);
    throw AppError.badInput(`model ${model.name} has no hook point ${JSON.stringify(hookName)} (hook points: ${names.join(", ")})`, "hook");
  }
  if (sae.cfg.dIn !== hook.width) throw AppError.badInput(`SAE d_in ${sae.cfg.dIn} does not match ${hook.name} width ${hook.width}`, "d_in");
  const name = opts.name ?? path.basename(path.resolve(folder));
  const target = copyFolder(folder, path.join(opts.dataDir ?? dataDir(), "saes", safeName(model.name), safeName(name)));
  const data = {
    hookPointId: hook.id, architecture: saeArchitectureOf(raw.architecture ?? "standard"), dIn: sae.cfg.dIn, dSae: sae.cfg.dSae,
    weightsPath: target, cfg: raw as object,
  };
  return prisma.dictionary.upsert({ where: { modelId_name: { modelId: model.id, name } }, create: { modelId: model.id, name, ...data }, update: data });
}
