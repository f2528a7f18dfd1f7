// Registers a model from its manifest folder (model.json, docs/architecture.md): upserts the Model, its
// HookPoints and its Dictionaries (SAEs, read from each SAELens cfg.json; weightsPath is relative to the
// model directory, which is stored relative to the repository when inside it). Idempotent: running it again
// updates in place; hook points or SAEs dropped from the manifest are kept (their units may hold labels).
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import { errorReason, loadModelManifest, parseSaeConfig, type ModelManifest } from "@mmatlas/inference";
import { repoRoot, type HookKind, type Model, type PrismaClient, type SaeArchitecture } from "@mmatlas/db";
import { countUnitsAndAnnotations, type UnitAndLabelCounts } from "./unit-counts";

export interface RegisteredModel {
  model: Model;
  hookPoints: number;
  dictionaries: number;
  /** units (and the annotations on them) removed because the model was replaced; null when none were */
  removedUnits: UnitAndLabelCounts | null;
}

/** Manifest hook kinds (e.g. MLP_POST) onto the database's HookKind. */
export function hookKindOf(kind: string): HookKind {
  const k = kind.toUpperCase();
  if (k === "RESID" || k.startsWith("RESID_")) return "RESID";
  if (k === "MLP" || k.startsWith("MLP_")) return "MLP";
  if (k === "ATTN_PATTERN") return "ATTN_PATTERN";
  throw AppError.badInput(`unknown hook kind ${JSON.stringify(kind)}`, "hookPoints.kind");
}

/** SAELens cfg.json architecture names onto SaeArchitecture. */
export function saeArchitectureOf(architecture: unknown): SaeArchitecture {
  switch (String(architecture).toLowerCase()) {
    case "standard":
    case "relu":
      return "RELU";
    case "topk":
      return "TOPK";
    case "jumprelu":
      return "JUMPRELU";
    case "gated":
      return "GATED";
    default:
      throw AppError.badInput(`unknown SAE architecture ${JSON.stringify(architecture)}`, "saes.architecture");
  }
}

interface SaeCfg {
  d_in: number;
  d_sae: number;
  architecture: string;
  metadata?: { hook_name?: string };
}

function readSaeCfg(dir: string, name: string): SaeCfg {
  const file = path.join(dir, "cfg.json");
  if (!existsSync(file)) throw AppError.badInput(`SAE ${name}: missing ${file}`, "saes");
  let cfg: SaeCfg;
  try {
    cfg = JSON.parse(readFileSync(file, "utf8")) as SaeCfg;
  } catch (e) {
    throw AppError.badInput(`SAE ${name}: ${file} is not valid JSON (${(e as Error).message})`, "saes");
  }
  if (!Number.isInteger(cfg.d_in) || cfg.d_in < 1 || !Number.isInteger(cfg.d_sae) || cfg.d_sae < 1) {
    throw AppError.badInput(`SAE ${name}: cfg.json needs positive integers d_in and d_sae`, "saes");
  }
  return cfg;
}

/** The architecture SAELens would run (older cfgs: activation_fn_str "topk" without `architecture`). */
function parsedArchitecture(cfg: unknown, name: string): string {
  try {
    return parseSaeConfig(cfg).architecture;
  } catch (e) {
    throw AppError.badInput(`SAE ${name}: ${errorReason(e)}`, "saes");
  }
}

function loadManifest(manifestPath: string) {
  try {
    return loadModelManifest(manifestPath);
  } catch (e) {
    throw AppError.badInput((e as Error).message, "manifestPath");
  }
}

/** Model folders inside the repository are stored relative to it (portable across clones), others absolute. */
export function storedDirectory(dir: string, root = repoRoot()): string {
  const rel = path.relative(root, dir);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.resolve(dir);
}

const METRIC_KEYS = ["l0", "explainedVariance", "deadFraction", "k"] as const;

/** Upserts the model described by `manifestPath` (a folder holding model.json, or the file itself). */
export async function registerModelFromManifest(
  prisma: PrismaClient,
  manifestPath: string,
  opts: { removeUnits?: boolean } = {},
): Promise<RegisteredModel> {
  const { dir, manifest } = loadManifest(manifestPath);
  const saes = manifest.saes.map((entry) => {
    const folder = path.resolve(dir, entry.path);
    if (!statSync(folder).isDirectory())
      throw AppError.badInput(`SAE ${entry.name}: ${folder} is not a folder`, "saes");
    const cfg = readSaeCfg(folder, entry.name);
    const hookName = entry.hookPoint ?? cfg.metadata?.hook_name;
    const hook = manifest.hookPoints.find((h) => h.name === hookName);
    if (!hook)
      throw AppError.badInput(
        `SAE ${entry.name}: hook point ${JSON.stringify(hookName)} is not in the manifest`,
        "saes",
      );
    if (hook.width !== cfg.d_in)
      throw AppError.badInput(
        `SAE ${entry.name}: d_in ${cfg.d_in} does not match ${hook.name} width ${hook.width}`,
        "saes",
      );
    const raw = entry as unknown as Record<string, unknown>;
    const metrics: Record<string, number> = Object.fromEntries(
      METRIC_KEYS.filter((k) => typeof raw[k] === "number").map((k) => [k, raw[k] as number]),
    );
    return {
      entry,
      cfg,
      hookName: hook.name,
      architecture: saeArchitectureOf(parsedArchitecture(cfg, entry.name)),
      metrics,
    };
  });
  const hookKinds = new Map(manifest.hookPoints.map((h) => [h.name, hookKindOf(h.kind)]));
  const modelData = {
    displayName: manifest.displayName,
    modality: manifest.modality,
    architecture: manifest.architecture,
    onnxFiles: {
      ...(manifest.image ? { image: manifest.image.onnx } : {}),
      ...(manifest.text ? { text: manifest.text.onnx } : {}),
    },
    config: manifest as unknown as object,
    directory: storedDirectory(dir),
  };

  return prisma.$transaction(
    async (tx) => {
      const model = await tx.model.upsert({
        where: { name: manifest.name },
        create: { name: manifest.name, ...modelData },
        update: modelData,
      });
      let removedUnits: RegisteredModel["removedUnits"] = null;
      if (opts.removeUnits) {
        removedUnits = await countUnitsAndAnnotations(tx, { modelId: model.id });
        await tx.unit.deleteMany({ where: { modelId: model.id } });
      }
      const hookIds = new Map<string, string>();
      for (const h of manifest.hookPoints) {
        const data = { tower: h.tower, layer: h.layer, kind: hookKinds.get(h.name)!, width: h.width, tensor: h.tensor };
        const row = await tx.hookPoint.upsert({
          where: { modelId_name: { modelId: model.id, name: h.name } },
          create: { modelId: model.id, name: h.name, ...data },
          update: data,
        });
        hookIds.set(h.name, row.id);
      }
      for (const s of saes) {
        const data = {
          hookPointId: hookIds.get(s.hookName)!,
          architecture: s.architecture,
          dIn: s.cfg.d_in,
          dSae: s.cfg.d_sae,
          weightsPath: path.normalize(s.entry.path),
          cfg: s.cfg as unknown as object,
          metrics: Object.keys(s.metrics).length ? s.metrics : undefined,
        };
        const current = await tx.dictionary.findUnique({
          where: { modelId_name: { modelId: model.id, name: s.entry.name } },
        });
        // a dictionary replaced by an import (other files) stays as imported; registering again must not undo it
        if (!current) await tx.dictionary.create({ data: { modelId: model.id, name: s.entry.name, ...data } });
        else if (path.normalize(current.weightsPath) === data.weightsPath)
          await tx.dictionary.update({ where: { id: current.id }, data });
      }
      return { model, hookPoints: manifest.hookPoints.length, dictionaries: saes.length, removedUnits };
    },
    { timeout: 60_000 },
  );
}

export type { ModelManifest };
