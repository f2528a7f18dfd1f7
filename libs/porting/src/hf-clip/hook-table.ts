// The hook point table of an imported CLIP tower: structural discovery (discover-hooks), then the --hooks overrides,
// then one real run at batch 2 that reads every tensor and checks its shape — [batch, T, hidden] residual,
// [batch, T, intermediate] MLP, attention [batch, heads, T, T] or heads folded into the batch [batch·heads, T, T]
// (then a Reshape is added to the graph, tensor named after the hook). Any hook still missing is a BAD_INPUT naming it;
// so is the first hook point (in compute order) where that run gives NaN or ±Infinity (corrupt weights).
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { AppError } from "@mmatlas/errors";
import {
  countNonFinite,
  decodeModel,
  describeNonFinite,
  encodeModel,
  exposeTensors,
  unfoldAttentionHeads,
  type HookPointSpec,
  type OnnxModel,
} from "@mmatlas/inference";
import { discoverLayers, type TowerGeometry } from "./discover-hooks";
import { listFirst } from "../list-first";
import { GraphIndex } from "./graph-index";

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

interface ProbedTensor {
  dims: number[];
  /** NaN / ±Infinity values the run gave */
  nonFinite: { count: number; first: number };
  size: number;
}

/** Runs the tower once at batch 2 with `tensors` exposed; returns their dims and non-finite values. */
async function probeTensors(
  model: OnnxModel,
  tensors: string[],
  feeds: Record<string, ort.Tensor>,
  label: string,
): Promise<Map<string, ProbedTensor>> {
  const copy = decodeModel(encodeModel(model), label);
  exposeTensors(copy, tensors, label);
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(encodeModel(copy), {
      intraOpNumThreads: 1,
      graphOptimizationLevel: "disabled",
    });
    const out = await session.run(feeds, tensors);
    return new Map(
      tensors.map((t) => {
        const tensor = out[t] as ort.Tensor;
        const data = tensor.data as Float32Array;
        return [t, { dims: [...tensor.dims], nonFinite: countNonFinite(data), size: data.length }];
      }),
    );
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
  const probed = await probeTensors(model, [...new Set(rows.map((r) => r.source))], feeds, label);
  const B = 2,
    T = geo.seqLen;
  for (const r of rows) {
    const d = probed.get(r.source)!.dims;
    const eq = (want: number[]) => d.length === want.length && d.every((x, i) => x === want[i]);
    if (r.kind === "ATTN_PATTERN" && eq([B * geo.heads, T, T])) r.folded = true;
    else if (!eq(r.kind === "ATTN_PATTERN" ? [B, geo.heads, T, T] : [B, T, r.width]))
      throw AppError.badInput(
        `${label}: hook point ${r.name} (tensor ${JSON.stringify(r.source)}) has shape [${d.join(", ")}] at batch ${B}; expected [${r.kind === "ATTN_PATTERN" ? `${B}, ${geo.heads}, ${T}, ${T}] or [${B * geo.heads}, ${T}, ${T}` : `${B}, ${T}, ${r.width}`}]`,
        "hooks",
      );
  }
  assertFiniteRun(rows, probed, model, label);
  const folded = rows.filter((r) => r.folded);
  for (const r of folded) {
    unfoldAttentionHeads(model, r.source, geo.heads, r.name, label);
    r.tensor = r.name;
  }
  return { rows, model, changed: folded.length > 0 };
}

/** the order a layer computes its hook points in: the first non-finite one is where the bad values come in */
const COMPUTE_ORDER: Record<Kind, number> = { ATTN_PATTERN: 0, MLP_POST: 1, RESID: 2 };

/**
 * Refuses a tower whose probe run gives NaN / ±Infinity at a hook point (corrupt weights), naming the first hook
 * point in compute order that has them, and the float initializers holding NaN.
 */
function assertFiniteRun(rows: HookRow[], probed: Map<string, ProbedTensor>, model: OnnxModel, label: string): void {
  const ordered = [...rows].sort(
    (a, b) => a.layer - b.layer || COMPUTE_ORDER[a.kind as Kind] - COMPUTE_ORDER[b.kind as Kind],
  );
  const bad = ordered.find((r) => probed.get(r.source)!.nonFinite.count > 0);
  if (!bad) return;
  const p = probed.get(bad.source)!;
  const holding = initializersHoldingNaN(model);
  throw AppError.badInput(
    `${label}: the graph gives NaN or ±Infinity at hook point ${bad.name} (tensor ${JSON.stringify(bad.source)}: ` +
      `${describeNonFinite(p.nonFinite, p.size)}) on a plain input, so its weights are corrupt` +
      (holding.length ? `; float tensors holding NaN: ${listFirst(holding, 5)}` : ""),
    "path",
  );
}

/** Names of the graph's float32 initializers that hold a NaN (an ±Infinity can be a legitimate mask constant). */
function initializersHoldingNaN(model: OnnxModel): string[] {
  const index = new GraphIndex(model);
  const names: string[] = [];
  for (const t of model.graph?.initializer ?? []) {
    const c = index.constant(t.name!);
    if (!c || c.unreadable) continue;
    if (c.read().some((v) => Number.isNaN(v))) names.push(t.name!);
  }
  return names;
}
