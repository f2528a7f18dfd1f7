// Resolves a build's hooks and dictionaries against the stored model and its manifest into "unit sets": the
// units one accumulator follows (a hook's neurons, an SAE's features, or an attention hook's heads). All bad
// input (unknown hook, SAE d_in that does not match its hook, SAE of another model) is refused here, before
// anything runs or is written.
import type { Dictionary, HookPoint, Model, PrismaClient, UnitKind } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { closeNames, type HookPointSpec, type ModelManifest, type Runner } from "@mmatlas/inference";

export type TowerName = "VISION" | "TEXT";

export interface UnitSetPlan {
  /** stable key inside checkpoints: "hook:<name>" or "sae:<name>" */
  key: string;
  kind: UnitKind;
  tower: TowerName;
  hook: HookPointSpec;
  hookPoint: HookPoint;
  dictionary?: Dictionary;
  /** source part of unit slugs: "neurons", "heads" or the dictionary name */
  source: string;
  /** channels of the hook/SAE tensor's last axis */
  width: number;
  /** units studied: the first `units` channels (all unless the build limits them with maxUnits) */
  units: number;
  /** positions (tokens / patches) per example */
  positions: number;
}

export interface BuildPlan {
  model: Model;
  sets: UnitSetPlan[];
  towers: TowerName[];
}

function positionsOf(m: ModelManifest, tower: TowerName): number {
  if (tower === "TEXT") return m.text!.seqLen;
  const img = m.image as unknown as { seqLen?: number };
  if (typeof img.seqLen === "number") return img.seqLen;
  throw AppError.badInput(`model ${m.name}: manifest image.seqLen is needed to build an atlas`, "modelId");
}

/** Loads the model's hook and dictionary rows and plans its unit sets against the opened runner (SAE weights checked). */
export async function resolveBuildPlan(
  prisma: PrismaClient,
  runner: Runner,
  model: Model,
  hooks: string[],
  dictionaries: string[],
  maxUnits: number | null = null,
): Promise<BuildPlan> {
  const hookRows = await prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const dictRows = await prisma.dictionary.findMany({ where: { modelId: model.id } });
  const sets = planUnitSets(runner.manifest, model, hookRows, dictRows, hooks, dictionaries, maxUnits, (name) => {
    try {
      return runner.checkSae(name).sae.dIn;
    } catch (e) {
      throw AppError.badInput(`dictionary "${name}": ${(e as Error).message}`, "dictionaries");
    }
  });
  const towers = (["VISION", "TEXT"] as const).filter((t) => sets.some((s) => s.tower === t));
  return { model, sets, towers };
}

/**
 * The unit sets of a build, from the model's manifest and rows alone (no sessions opened): the checks a job can
 * make when it is queued. `saeWeightsDIn`, when given, reads each SAE's weights for its d_in check too.
 */
export function planUnitSets(
  manifest: ModelManifest,
  model: Pick<Model, "name">,
  hookRows: HookPoint[],
  dictRows: Dictionary[],
  hooks: string[],
  dictionaries: string[],
  maxUnits: number | null = null,
  saeWeightsDIn?: (name: string) => number,
): UnitSetPlan[] {
  const limit = (width: number) => Math.min(width, maxUnits ?? width);
  const sets: UnitSetPlan[] = [];
  const specOf = (name: string): { spec: HookPointSpec; row: HookPoint } => {
    const spec = manifest.hookPoints.find((h) => h.name === name);
    const row = hookRows.find((h) => h.name === name);
    if (!spec || !row) {
      const known = manifest.hookPoints.map((h) => h.name);
      const close = closeNames(name, known);
      throw AppError.badInput(
        `unknown hook "${name}" for model ${model.name}${close.length ? ` (did you mean ${close.join(", ")}?)` : ""}; hooks: ${known.join(", ")}`,
        "hooks",
      );
    }
    return { spec, row };
  };
  for (const name of hooks) {
    const { spec, row } = specOf(name);
    const tower = spec.tower as TowerName;
    if (row.kind === "ATTN_PATTERN") {
      sets.push({
        key: `hook:${name}`,
        kind: "ATTENTION_HEAD",
        tower,
        hook: spec,
        hookPoint: row,
        source: "heads",
        width: spec.width,
        units: spec.width,
        positions: positionsOf(manifest, tower),
      });
    } else {
      sets.push({
        key: `hook:${name}`,
        kind: "NEURON",
        tower,
        hook: spec,
        hookPoint: row,
        source: "neurons",
        width: spec.width,
        units: limit(spec.width),
        positions: positionsOf(manifest, tower),
      });
    }
  }
  for (const name of dictionaries) {
    const dict = dictRows.find((d) => d.name === name);
    if (!dict) {
      const known = dictRows.map((d) => d.name);
      throw AppError.badInput(
        `unknown dictionary "${name}" for model ${model.name}; dictionaries: ${known.join(", ") || "(none)"}`,
        "dictionaries",
      );
    }
    const hookRow = hookRows.find((h) => h.id === dict.hookPointId)!;
    const { spec, row } = specOf(hookRow.name);
    const dIns: [string, number][] = [["stored d_in", dict.dIn]];
    if (saeWeightsDIn) dIns.push(["SAE weights d_in", saeWeightsDIn(name)]);
    for (const [what, dIn] of dIns) {
      if (dIn !== spec.width)
        throw AppError.badInput(
          `dictionary "${name}": ${what} ${dIn} does not match hook ${spec.name} width ${spec.width}`,
          "dictionaries",
        );
    }
    const tower = spec.tower as TowerName;
    sets.push({
      key: `sae:${name}`,
      kind: "SAE_FEATURE",
      tower,
      hook: spec,
      hookPoint: row,
      dictionary: dict,
      source: name,
      width: dict.dSae,
      units: limit(dict.dSae),
      positions: positionsOf(manifest, tower),
    });
  }
  return sets;
}

export function unitSlug(modelName: string, set: UnitSetPlan, index: number): string {
  return `${modelName}/${set.hook.name}/${set.source}/${index}`;
}
