// The hook point table of an imported CLIP tower: structural discovery (discover-hooks), then the --hooks overrides,
// then one real run at batch 2 that reads every tensor and checks its shape — [batch, T, hidden] residual,
// [batch, T, intermediate] MLP, attention [batch, heads, T, T] or heads folded into the batch [batch·heads, T, T]
// (then a Reshape is added to the graph, tensor named after the hook). Any hook still missing is a BAD_INPUT naming it.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { AppError } from "@mmatlas/errors";
import {
  decodeModel,
  encodeModel,
  exposeTensors,
  unfoldAttentionHeads,
  type HookPointSpec,
  type OnnxModel,
} from "@mmatlas/inference";
import { discoverLayers, type TowerGeometry } from "./discover-hooks";

export type TowerName = "vision" | "text";
type Kind = "RESID" | "MLP_POST" | "ATTN_PATTERN";

export interface HookRow extends HookPointSpec {
  /** the graph tensor the hook reads (for a folded pattern: the Softmax output before the added Reshape) */
  source: string;
  folded: boolean;
}

const KINDS: { kind: Kind; suffix: string; field: "resid" | "mlp" | "softmax" }[] = [
  { kind: "RESID", suffix: "hook_resid_post", field: "resid" },
  { kind: "MLP_POST", suffix: "mlp.hook_post", field: "mlp" },
  { kind: "ATTN_PATTERN", suffix: "attn.hook_pattern", field: "softmax" },
];

export const hookName = (tower: TowerName, layer: number, suffix: string) => `${tower}.blocks.${layer}.${suffix}`;

/** `--hooks` file: { "<hook name>": "<tensor name>" }; names must be hook points of this model. */
export function readHookOverrides(file: string, towers: Record<TowerName, TowerGeometry>): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw AppError.badInput(`--hooks ${file}: ${(e as Error).message}`, "hooks");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw AppError.badInput(`--hooks ${file}: expected an object { "<hook name>": "<tensor name>" }`, "hooks");
  const out = new Map<string, string>();
  for (const [name, tensor] of Object.entries(raw as Record<string, unknown>)) {
    const m = /^(vision|text)\.blocks\.(\d+)\.(hook_resid_post|mlp\.hook_post|attn\.hook_pattern)$/.exec(name);
    if (!m || Number(m[2]) >= towers[m[1] as TowerName].layers)
      throw AppError.badInput(
        `--hooks ${file}: "${name}" is not a hook point of this model (vision|text).blocks.<layer>.(hook_resid_post|mlp.hook_post|attn.hook_pattern)`,
        "hooks",
      );
    if (typeof tensor !== "string" || !tensor)
      throw AppError.badInput(`--hooks ${file}: "${name}" must map to a tensor name`, "hooks");
    out.set(name, tensor);
  }
  return out;
}

/** Runs the tower once at batch 2 with `tensors` exposed and returns their dims. */
async function probeDims(
  model: OnnxModel,
  tensors: string[],
  feeds: Record<string, ort.Tensor>,
  label: string,
): Promise<Map<string, number[]>> {
  const copy = decodeModel(encodeModel(model), label);
  exposeTensors(copy, tensors, label);
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(encodeModel(copy), {
      intraOpNumThreads: 1,
      graphOptimizationLevel: "disabled",
    });
    const out = await session.run(feeds, tensors);
    return new Map(tensors.map((t) => [t, [...(out[t] as ort.Tensor).dims]]));
  } catch (e) {
    throw AppError.badInput(`${label} does not run: ${(e as Error).message.split("\n")[0]}`, "path");
  } finally {
    await session?.release();
  }
}

export interface TowerHooks {
  rows: HookRow[];
  model: OnnxModel;
  changed: boolean;
}

/** Discovers, overrides and checks the hook points of one tower; adds Reshapes for folded attention heads. */
export async function towerHooks(
  tower: TowerName,
  model: OnnxModel,
  geo: TowerGeometry,
  overrides: Map<string, string>,
  feeds: Record<string, ort.Tensor>,
  label: string,
): Promise<TowerHooks> {
  const found = discoverLayers(model, geo, tower);
  const rows: HookRow[] = [];
  const missing: string[] = [];
  for (let l = 0; l < geo.layers; l++)
    for (const k of KINDS) {
      const name = hookName(tower, l, k.suffix);
      const tensor = overrides.get(name) ?? found.layers[l]?.[k.field];
      if (!tensor) {
        missing.push(name);
        continue;
      }
      const width = k.kind === "RESID" ? geo.hidden : k.kind === "MLP_POST" ? geo.intermediate : geo.heads;
      const shape =
        k.kind === "ATTN_PATTERN" ? ["batch", geo.heads, geo.seqLen, geo.seqLen] : ["batch", geo.seqLen, width];
      rows.push({
        name,
        tower: tower === "vision" ? "VISION" : "TEXT",
        layer: l,
        kind: k.kind,
        tensor,
        source: tensor,
        folded: false,
        width,
        shape,
      });
    }
  if (missing.length) {
    const why = found.problems.length ? ` (${found.problems.join("; ")})` : "";
    throw AppError.badInput(
      `${label}: hook points not found: ${missing.join(", ")}${why}; name their tensors with --hooks <file>`,
      "hooks",
    );
  }
  const dims = await probeDims(model, [...new Set(rows.map((r) => r.source))], feeds, label);
  const B = 2,
    T = geo.seqLen;
  for (const r of rows) {
    const d = dims.get(r.source)!;
    const eq = (want: number[]) => d.length === want.length && d.every((x, i) => x === want[i]);
    if (r.kind === "ATTN_PATTERN" && eq([B * geo.heads, T, T])) r.folded = true;
    else if (!eq(r.kind === "ATTN_PATTERN" ? [B, geo.heads, T, T] : [B, T, r.width]))
      throw AppError.badInput(
        `${label}: hook point ${r.name} (tensor ${JSON.stringify(r.source)}) has shape [${d.join(", ")}] at batch ${B}; expected [${r.kind === "ATTN_PATTERN" ? `${B}, ${geo.heads}, ${T}, ${T}] or [${B * geo.heads}, ${T}, ${T}` : `${B}, ${T}, ${r.width}`}]`,
        "hooks",
      );
  }
  const folded = rows.filter((r) => r.folded);
  for (const r of folded) {
    unfoldAttentionHeads(model, r.source, geo.heads, r.name, label);
    r.tensor = r.name;
  }
  return { rows, model, changed: folded.length > 0 };
}
