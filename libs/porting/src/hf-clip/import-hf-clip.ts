// `import model <hf-folder>`: a Hugging Face / Optimum CLIP export imported as it is. The folder is read
// (hf-folder), the hook points of both towers discovered and checked (hook-table), and an mmatlas manifest
// (model.json) written into a staging copy with the tower graphs (plus the Reshapes for folded attention heads),
// config and tokenizer files, and the weights in TransformerLens names found in the graphs (extract-weights) when
// complete; importModel then validates that copy with a real run per tower, places it in
// DATA_DIR and registers it — so a failure anywhere leaves nothing behind. `dryRun` stops after discovery.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { RegisteredModel } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import {
  decodeModel,
  encodeModel,
  errorReason,
  extractTower,
  graphInputs,
  graphOutputNames,
  isInferenceError,
  loadHfTokenizer,
  type ModelManifest,
  type OnnxModel,
} from "@mmatlas/inference";
import { safeName } from "../data-dir";
import { importModel, type ImportModelOptions } from "../import-model";
import {
  extractWeights,
  NonFiniteWeightsError,
  WEIGHTS_FILE,
  writeWeightsFile,
  type ExtractedWeights,
} from "./extract-weights";
import { QUANTIZED_DTYPES, readHfClipFolder, type HfClipFolder } from "./hf-folder";
import { readHookOverrides, towerHooks, type HookRow, type TowerHooks } from "./hook-table";
import { inlineExternalData } from "./external-data";
import { widenFloat16 } from "./widen-float16";

export interface ImportHfClipOptions extends ImportModelOptions {
  /** model name (default: the folder name) */
  name?: string;
  /** use onnx/*_quantized.onnx (= dtype q8) */
  quantized?: boolean;
  /** transformers.js dtype of the ONNX files: fp32 (default), fp16, q8 (*_quantized.onnx), int8, uint8, q4, q4f16 (ONNX_DTYPES) */
  dtype?: string;
  /** JSON file { "<hook name>": "<tensor name>" } overriding discovery */
  hooks?: string;
}

export interface HfClipPlan {
  folder: HfClipFolder;
  manifest: ModelManifest;
  rows: HookRow[];
  towers: { vision: TowerHooks; text: TowerHooks };
  /** tower graphs differ from the files (split from the joint graph, attention_mask replaced) */
  split: boolean;
  /** the TransformerLens-named weights found in the graphs (written as weights.safetensors when any) */
  weights: ExtractedWeights;
  /** "precision: ..." when half-precision parts of the graphs were widened to float32; undefined otherwise */
  precision?: string;
}

/** attention_mask ← ones like input_ids: CLIP pads after <eos> and its causal mask already hides later tokens. */
const ONES = { onesLike: { attention_mask: "input_ids" } };

/** The tower graph must read exactly `input` and produce `output` (Optimum's names). */
function checkIo(model: OnnxModel, label: string, input: string, output: string): void {
  const inputs = graphInputs(model).map((i) => i.name);
  if (inputs.length !== 1 || inputs[0] !== input)
    throw AppError.badInput(
      `${label}: the ${output} graph reads inputs [${inputs.join(", ")}]; expected exactly ${input} (Optimum's CLIP export)`,
      "path",
    );
  if (!graphOutputNames(model).includes(output))
    throw AppError.badInput(
      `${label}: no graph output ${output} (outputs: ${graphOutputNames(model).join(", ")})`,
      "path",
    );
}

const TOKENIZER_SPEC = { type: "huggingface", file: "tokenizer.json", config: "tokenizer_config.json" };

function visionFeeds(f: HfClipFolder): Record<string, ort.Tensor> {
  const S = f.vision.imageSize;
  const data = new Float32Array(2 * 3 * S * S).map((_, i) => Math.sin(i * 0.37));
  return { pixel_values: new ort.Tensor("float32", data, [2, 3, S, S]) };
}

function textFeeds(f: HfClipFolder, elemType: number): Record<string, ort.Tensor> {
  let tok;
  try {
    tok = loadHfTokenizer(
      f.dir,
      {
        ...TOKENIZER_SPEC,
        config: f.tokenizerFiles.includes("tokenizer_config.json") ? "tokenizer_config.json" : undefined,
      } as never,
      f.text.seqLen,
    );
  } catch (e) {
    throw AppError.badInput(`the tokenizer in ${f.dir} cannot be used: ${errorReason(e)}`, "tokenizer");
  }
  const ids = [...tok.encode("a photo of a cat").ids, ...tok.encode("a drawing of two red squares").ids];
  const dims = [2, f.text.seqLen];
  return {
    input_ids:
      elemType === 6
        ? new ort.Tensor("int32", Int32Array.from(ids), dims)
        : new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), dims),
  };
}

/** Reads the folder and discovers (and checks) every hook point; nothing is written. */
export async function planHfClipImport(source: string, opts: ImportHfClipOptions = {}): Promise<HfClipPlan> {
  try {
    return await plan(source, opts);
  } catch (e) {
    // unreadable graphs, unknown --hooks tensors: the user's input
    if (isInferenceError(e)) throw AppError.badInput(e.reason, "path");
    throw e;
  }
}

async function plan(source: string, opts: ImportHfClipOptions): Promise<HfClipPlan> {
  const folder = readHfClipFolder(source, { quantized: opts.quantized, dtype: opts.dtype });
  const overrides = opts.hooks
    ? readHookOverrides(opts.hooks, { vision: folder.vision, text: folder.text })
    : new Map<string, string>();
  const inlined = new Set<string>(); // graph files whose weights were read from external data
  const open = (rel: string) => {
    const file = path.join(folder.dir, rel);
    const model = decodeModel(readFileSync(file), rel);
    if (inlineExternalData(model, file, folder.dir, rel) > 0) inlined.add(rel); // weights beside it (*.onnx_data)
    return model;
  };
  let visionModel: OnnxModel, textModel: OnnxModel;
  let split = false;
  if (folder.joint) {
    // CLIPModel graph: each tower is what its embedding needs
    const joint = open(folder.joint);
    visionModel = extractTower(joint, "image_embeds", {}, folder.joint);
    textModel = extractTower(joint, "text_embeds", ONES, folder.joint);
    split = true;
  } else {
    visionModel = open(folder.vision.onnx);
    textModel = open(folder.text.onnx);
    if (graphInputs(textModel).some((i) => i.name === "attention_mask")) {
      textModel = extractTower(textModel, "text_embeds", ONES, folder.text.onnx);
      split = true;
    }
  }
  // half-precision graphs (dtype fp16, or float16 parts of any other) compute and are hooked in float32
  const widened = {
    vision: widenFloat16(visionModel, folder.joint ?? folder.vision.onnx),
    text: widenFloat16(textModel, folder.joint ?? folder.text.onnx),
  };
  checkIo(visionModel, folder.joint ?? folder.vision.onnx, "pixel_values", "image_embeds");
  checkIo(textModel, folder.joint ?? folder.text.onnx, "input_ids", "text_embeds");
  const vision = await towerHooks(
    "vision",
    visionModel,
    folder.vision,
    overrides,
    visionFeeds(folder),
    folder.vision.onnx,
  );
  const idsType = graphInputs(textModel).find((i) => i.name === "input_ids")?.elemType ?? 7;
  const text = await towerHooks(
    "text",
    textModel,
    folder.text,
    overrides,
    textFeeds(folder, idsType),
    folder.text.onnx,
  );
  // a widened or inlined graph is staged as the import holds it, not copied from the export (a split one always is)
  vision.changed ||= widened.vision > 0 || inlined.has(folder.vision.onnx);
  text.changed ||= widened.text > 0 || inlined.has(folder.text.onnx);
  const precision =
    widened.vision + widened.text > 0
      ? `precision: float16 parts widened to float32 (${widened.vision} in the vision graph, ${widened.text} in the ` +
        `text graph): the weights keep their float16 values, activations are computed and hooked in float32`
      : undefined;
  const rows = [...vision.rows, ...text.rows];
  const weights = findWeights(folder, { vision: vision.model, text: text.model });
  const name = opts.name ?? safeName(folder.suggestedName);
  const manifest = {
    name,
    displayName: folder.displayName,
    architecture: "clip-vit",
    modality: "IMAGE_TEXT",
    embedDim: folder.projectionDim,
    source: {
      format: "huggingface-clip",
      quantized: QUANTIZED_DTYPES.has(folder.dtype),
      dtype: folder.dtype,
      ...(precision ? { widenedToFloat32: true } : {}),
      onnx: folder.joint ?? { vision: folder.vision.onnx, text: folder.text.onnx },
    },
    embeddingsNormalized: Boolean(folder.joint),
    ...(weights.tensors.size ? { weights: WEIGHTS_FILE } : {}),
    image: {
      onnx: folder.vision.onnx,
      input: "pixel_values",
      output: "image_embeds",
      preprocess: folder.preprocess,
      patchSize: folder.vision.patchSize,
      gridSize: folder.vision.imageSize / folder.vision.patchSize,
      seqLen: folder.vision.seqLen,
    },
    text: {
      onnx: folder.text.onnx,
      input: "input_ids",
      output: "text_embeds",
      seqLen: folder.text.seqLen,
      pooling: "argmax-input-ids (in the graph)",
      tokenizer: {
        ...TOKENIZER_SPEC,
        ...(folder.tokenizerFiles.includes("tokenizer_config.json") ? {} : { config: undefined }),
      },
    },
    hookPoints: rows.map(({ source: _s, folded: _f, ...spec }) => spec),
    saes: [],
  } as unknown as ModelManifest;
  return { folder, manifest, rows, towers: { vision, text }, split, weights, precision };
}

/** Weights are optional: a graph they cannot be read from still imports, and the summary says why. */
function findWeights(folder: HfClipFolder, models: { vision: OnnxModel; text: OnnxModel }): ExtractedWeights {
  try {
    return extractWeights(folder, models);
  } catch (e) {
    const empty = { tensors: new Map(), layersFound: 0, readOut: false, embeddings: false, problems: [] };
    return {
      tensors: new Map(),
      towers: { vision: empty, text: { ...empty } },
      summary: `weights: none written; reading them from the graphs failed: ${errorReason(e)}`,
    };
  }
}

/** What a plan found besides its hook table, one line each: the weights summary, and the precision when widened. */
export function planNotes(plan: HfClipPlan): string[] {
  return [plan.weights.summary, ...(plan.precision ? [plan.precision] : [])];
}

/** The discovered table, one line per hook point: name, graph tensor, shape. */
export function formatHookTable(rows: HookRow[]): string {
  const cells = rows.map((r) => [
    r.name,
    r.folded ? `${r.source} (heads folded; reshaped)` : r.source,
    `[${r.shape.join(", ")}]`,
  ]);
  const head = ["hook point", "tensor", "shape"];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [head, ...cells]
    .map((c) =>
      c
        .map((x, i) => x.padEnd(w[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Writes the importable folder (model.json + graphs + config/tokenizer files) into `dir`. */
function stage(plan: HfClipPlan, dir: string): void {
  const f = plan.folder;
  mkdirSync(path.join(dir, "onnx"), { recursive: true });
  for (const file of ["config.json", "preprocessor_config.json", ...f.tokenizerFiles])
    copyFileSync(path.join(f.dir, file), path.join(dir, file));
  for (const [rel, t] of [
    [f.vision.onnx, plan.towers.vision],
    [f.text.onnx, plan.towers.text],
  ] as const) {
    if (t.changed || plan.split) writeFileSync(path.join(dir, rel), encodeModel(t.model));
    else copyFileSync(path.join(f.dir, rel), path.join(dir, rel));
  }
  try {
    writeWeightsFile(plan.weights, dir);
  } catch (e) {
    if (e instanceof NonFiniteWeightsError) throw e; // a corrupt model: nothing is imported
    // weights are optional: the model imports without them, and no half-written file stays behind
    rmSync(path.join(dir, WEIGHTS_FILE), { force: true });
    delete (plan.manifest as { weights?: string }).weights;
    plan.weights.summary = `weights: none written; writing ${WEIGHTS_FILE} failed: ${errorReason(e)}`;
  }
  writeFileSync(path.join(dir, "model.json"), `${JSON.stringify(plan.manifest, null, 2)}\n`);
}

/** Imports the export: plan, stage, then importModel (real run per tower, copy into DATA_DIR, register). */
export async function importHfClipModel(
  prisma: PrismaClient,
  source: string,
  opts: ImportHfClipOptions = {},
): Promise<RegisteredModel & { directory: string; plan: HfClipPlan }> {
  if (opts.copy === false)
    throw AppError.badInput(
      `--no-copy does not apply to a Hugging Face export: mmatlas writes its model.json into a copy`,
      "copy",
    );
  const plan = await planHfClipImport(source, opts);
  const staging = mkdtempSync(path.join(os.tmpdir(), "mmatlas-hf-import-"));
  try {
    stage(plan, staging);
    const r = await importModel(prisma, staging, { dataDir: opts.dataDir, replace: opts.replace });
    return { ...r, plan };
  } catch (e) {
    // name the user's folder, not the staging copy
    if (e instanceof AppError && e.message.includes(staging))
      throw new AppError(e.code, e.message.split(staging).join(plan.folder.dir), e.details, { cause: e });
    throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
