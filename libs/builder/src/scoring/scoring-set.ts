// The held-out scoring set of one tower and what the model says about it, computed once per job and tower:
// examples after the build's probe set (the first `probeSize` examples of the tower produced the auto-labels, so
// scores are never measured on them), their normalized embeddings, and, when the model ships its read-out weights
// (ln_final + proj, TransformerLens names), every position's final residual read out into the joint space
// (the label's per-patch / per-token similarity map). Unit activations are run per unit set (unitSetValues).
import { existsSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@mmatlas/db";
import { readSafetensors, type Runner } from "@mmatlas/inference";
import { readExamples, type ExampleRow } from "../pass/examples";
import { prepareInput, runTower, setTensor } from "../pass/run-batch";
import type { TowerName, UnitSetPlan } from "../plan/build-plan";
import { normalizeRows } from "../finalize/concepts";

export interface ScoringSet {
  /** the dataset the examples come from */
  datasetId: string;
  tower: TowerName;
  rows: ExampleRow[];
  /** L2-normalized embeddings [n × dim] */
  embeds: Float32Array;
  dim: number;
  /** positions per example */
  positions: number;
  /** valid positions per example (images: all; texts: up to and including <eos>) */
  valid: number[];
  /** first position of the similarity/activation maps (images: 1, the CLS token is not a patch) */
  firstPosition: number;
  /** normalized read-out of every position [n × positions × dim]; null with `mapsUnavailable` saying why */
  positionEmbeds: Float32Array | null;
  mapsUnavailable: string | null;
  /** texts: each example's token ids before <eos>, and the model's L2-normalized token embeddings (W_E) */
  tokens: { ids: number[][]; embeds: Float32Array; dim: number } | null;
}

/** The text tower's token embedding table (text.embed.W_E), L2-normalized rows, or null when not shipped. */
export function tokenEmbeddingTable(runner: Runner): { embeds: Float32Array; dim: number } | null {
  const file = (runner.manifest as unknown as { weights?: string }).weights;
  const full = file ? path.resolve(runner.dir, file) : null;
  if (!full || !existsSync(full)) return null;
  const w = readSafetensors(full).tensors["text.embed.W_E"];
  if (!w || w.shape.length !== 2) return null;
  return { embeds: normalizeRows(Float32Array.from(w.data), w.shape[1]), dim: w.shape[1] };
}

/** The final residual hook of a tower and the read-out weights, or why there are none. */
function readOut(
  runner: Runner,
  tower: TowerName,
):
  | {
      hook: string;
      gain: Float32Array;
      bias: Float32Array | null;
      proj: Float32Array;
      dModel: number;
      dOut: number;
      eps: number;
    }
  | string {
  const prefix = tower === "VISION" ? "vision" : "text";
  const resid = runner.manifest.hookPoints
    .filter((h) => h.tower === tower && h.kind === "RESID")
    .sort((a, b) => b.layer - a.layer)[0];
  if (!resid) return `the model exposes no residual hook on the ${prefix} tower`;
  const file = (runner.manifest as unknown as { weights?: string }).weights;
  const full = file ? path.resolve(runner.dir, file) : null;
  if (!full || !existsSync(full)) return "the model ships no weights file with its read-out (ln_final, proj)";
  const w = readSafetensors(full);
  const gain = w.tensors[`${prefix}.ln_final.w`],
    bias = w.tensors[`${prefix}.ln_final.b`],
    proj = w.tensors[`${prefix}.proj`];
  if (!gain || !proj || proj.shape.length !== 2) return `the weights file has no ${prefix}.ln_final.w / ${prefix}.proj`;
  const layers = (runner.manifest as unknown as { config?: { layers?: number; lnEps?: number } }).config;
  if (layers?.layers !== undefined && resid.layer !== layers.layers - 1)
    return `the last residual hook (${resid.name}) is not the tower's final layer`;
  return {
    hook: resid.name,
    gain: gain.data,
    bias: bias?.data ?? null,
    proj: proj.data,
    dModel: proj.shape[0],
    dOut: proj.shape[1],
    eps: layers?.lnEps ?? 1e-5,
  };
}

/** LayerNorm (ln_final) then proj, row by row: [rows × dModel] → normalized [rows × dOut]. */
export function readOutRows(
  x: Float32Array,
  rows: number,
  r: { gain: Float32Array; bias: Float32Array | null; proj: Float32Array; dModel: number; dOut: number; eps: number },
): Float32Array {
  const out = new Float32Array(rows * r.dOut);
  const ln = new Float64Array(r.dModel);
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let d = 0; d < r.dModel; d++) mean += x[i * r.dModel + d];
    mean /= r.dModel;
    let v = 0;
    for (let d = 0; d < r.dModel; d++) v += (x[i * r.dModel + d] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / r.dModel + r.eps);
    for (let d = 0; d < r.dModel; d++)
      ln[d] = (x[i * r.dModel + d] - mean) * inv * r.gain[d] + (r.bias ? r.bias[d] : 0);
    for (let o = 0; o < r.dOut; o++) {
      let s = 0;
      for (let d = 0; d < r.dModel; d++) s += ln[d] * r.proj[d * r.dOut + o];
      out[i * r.dOut + o] = s;
    }
  }
  return normalizeRows(out, r.dOut);
}

/** Held-out examples: the `size` examples of the tower after the first `probeSize` (ascending index). */
export async function loadScoringSet(
  prisma: PrismaClient,
  runner: Runner,
  datasetId: string,
  tower: TowerName,
  probeSize: number,
  size: number,
  batchSize: number,
): Promise<ScoringSet | null> {
  const rows = (await readExamples(prisma, datasetId, tower, -1, probeSize + size)).slice(probeSize);
  if (rows.length === 0) return null;
  const r = readOut(runner, tower);
  const positions =
    tower === "TEXT" ? runner.manifest.text!.seqLen : (runner.manifest.image as unknown as { seqLen: number }).seqLen;
  // the final residual is asked for in the same call as the embeddings
  const hooks = typeof r === "string" ? [] : [r.hook];
  const input = prepareInput(runner, tower, rows);
  const run =
    input.tower === "VISION"
      ? { result: await runner.runPixels(input.pixels, hooks, { batchSize }), valid: undefined }
      : {
          result: await runner.runTokens(input.tokens, hooks, { batchSize }),
          valid: input.tokens.map((t) => t.eosPosition + 1),
        };
  const e = run.result.embeds;
  const dim = e.dims[e.dims.length - 1];
  const n = rows.length;
  const positionEmbeds = typeof r === "string" ? null : readOutRows(run.result.hooks[r.hook].data, n * positions, r);
  return {
    datasetId,
    tower,
    rows,
    embeds: normalizeRows(e.data.subarray(0, n * dim), dim),
    dim,
    positions,
    valid: run.valid ?? rows.map(() => positions),
    firstPosition: tower === "VISION" ? 1 : 0,
    positionEmbeds: positionEmbeds && positionEmbeds.length / (n * positions) === dim ? positionEmbeds : null,
    mapsUnavailable: typeof r === "string" ? r : null,
    tokens:
      input.tower === "TEXT"
        ? withTable(
            tokenEmbeddingTable(runner),
            input.tokens.map((t) => t.ids.slice(0, t.eosPosition)),
          )
        : null,
  };
}

/** A unit set's activations on the scoring set: [n × positions × units]. */
export async function unitSetValues(
  runner: Runner,
  set: UnitSetPlan,
  scoring: ScoringSet,
  batchSize: number,
): Promise<Float32Array> {
  const run = await runTower(runner, scoring.tower, scoring.rows, [set], batchSize);
  return setTensor(set, run.result);
}

const withTable = (table: { embeds: Float32Array; dim: number } | null, ids: number[][]) =>
  table ? { ...table, ids } : null;
