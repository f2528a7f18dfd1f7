// Reads a Hugging Face / Optimum CLIP export folder as it is: config.json (CLIPConfig), preprocessor_config.json
// (CLIPImageProcessor), tokenizer.json (+ tokenizer_config.json) and onnx/vision_model.onnx + onnx/text_model.onnx,
// else the joint onnx/model.onnx (or the variants of a transformers.js dtype: *_fp16, *_quantized, *_int8, *_uint8,
// *_q4, *_q4f16.onnx). Every problem is a BAD_INPUT naming the file and field.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import type { ImagePreprocessSpec } from "@mmatlas/inference";
import type { TowerGeometry } from "./discover-hooks";

export interface HfClipFolder {
  dir: string;
  /** model name from config.json's _name_or_path or the folder name */
  suggestedName: string;
  displayName: string;
  projectionDim: number;
  vision: TowerGeometry & { onnx: string; imageSize: number; patchSize: number };
  text: TowerGeometry & { onnx: string; vocabSize: number };
  /** the joint graph (onnx/model.onnx) the towers are split from, when the folder has no tower files */
  joint?: string;
  /** the transformers.js dtype of the ONNX files read (one of ONNX_DTYPES) */
  dtype: string;
  preprocess: ImagePreprocessSpec;
  tokenizerFiles: string[];
}

type Json = Record<string, unknown>;

/** True when `dir` looks like a Hugging Face CLIP export (config.json + onnx/), not an mmatlas model.json folder. */
export function isHfClipFolder(dir: string): boolean {
  return (
    existsSync(dir) &&
    statSync(dir).isDirectory() &&
    !existsSync(path.join(dir, "model.json")) &&
    existsSync(path.join(dir, "config.json")) &&
    existsSync(path.join(dir, "onnx"))
  );
}

function readJson(dir: string, file: string): Json {
  const p = path.join(dir, file);
  if (!existsSync(p)) throw AppError.badInput(`${file} is missing from ${dir}`, "path");
  try {
    const v = JSON.parse(readFileSync(p, "utf8")) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not a JSON object");
    return v as Json;
  } catch (e) {
    throw AppError.badInput(`${file} is not valid JSON: ${(e as Error).message}`, "path");
  }
}

const posInt = (obj: Json, key: string, where: string): number => {
  const v = obj[key];
  if (!Number.isInteger(v) || (v as number) <= 0)
    throw AppError.badInput(`${where}.${key} must be a positive integer (got ${JSON.stringify(v)})`, "config");
  return v as number;
};

const edge = (v: unknown, key: string): number | undefined => {
  if (typeof v === "number") return v;
  if (v && typeof v === "object") {
    const o = v as Json;
    return (o[key] ?? o.height ?? o.width) as number | undefined;
  }
  return undefined;
};

function geometry(c: Json, where: string): TowerGeometry {
  const hidden = posInt(c, "hidden_size", where),
    heads = posInt(c, "num_attention_heads", where);
  if (hidden % heads !== 0)
    throw AppError.badInput(
      `${where}: hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`,
      "config",
    );
  return {
    layers: posInt(c, "num_hidden_layers", where),
    hidden,
    intermediate: posInt(c, "intermediate_size", where),
    heads,
    seqLen: 0,
  };
}

/**
 * transformers.js' `dtype` names for the ONNX files of an export (`onnx/vision_model<suffix>.onnx`): the ones the
 * import reads. q8 is Optimum's `*_quantized.onnx` (`--quantized`); int8 / uint8 the same dynamic quantization with
 * signed / unsigned weights; fp16 half-precision graphs, widened to float32 at import (widen-float16); q4 4-bit
 * blockwise MatMulNBits weights (q4f16: the same in a half-precision graph, widened).
 */
export const ONNX_DTYPES: Record<string, string> = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
};

/** dtypes whose weights are quantized integers */
export const QUANTIZED_DTYPES = new Set(["q8", "int8", "uint8", "q4", "q4f16"]);

/** dtypes transformers.js knows that the import refuses, and why */
const REFUSED_DTYPES: Record<string, string> = {
  bnb4: "4-bit MatMulBnb4 weights are not read",
};

/** The dtype asked for (default fp32; `quantized` = q8), one of ONNX_DTYPES; a clear BAD_INPUT for any other. */
function chosenDtype(opts: { dtype?: string; quantized?: boolean }): string {
  const dtype = opts.dtype ?? (opts.quantized ? "q8" : "fp32");
  if (opts.quantized && dtype !== "q8")
    throw AppError.badInput(`--quantized means dtype q8 (*_quantized.onnx); it cannot go with dtype ${dtype}`, "dtype");
  if (REFUSED_DTYPES[dtype])
    throw AppError.badInput(
      `dtype ${dtype} is not supported: ${REFUSED_DTYPES[dtype]}; import the fp32, fp16, q8, int8, uint8, q4 or q4f16 files`,
      "dtype",
    );
  if (ONNX_DTYPES[dtype] === undefined)
    throw AppError.badInput(`dtype must be one of ${Object.keys(ONNX_DTYPES).join(", ")}, got "${dtype}"`, "dtype");
  return dtype;
}

export function readHfClipFolder(source: string, opts: { quantized?: boolean; dtype?: string } = {}): HfClipFolder {
  const dir = path.resolve(source);
  const config = readJson(dir, "config.json");
  const vc = config.vision_config as Json | undefined,
    tc = config.text_config as Json | undefined;
  if (!vc || typeof vc !== "object" || !tc || typeof tc !== "object")
    throw AppError.badInput(
      `config.json has no vision_config / text_config: not a CLIPConfig (model_type ${JSON.stringify(config.model_type)})`,
      "config",
    );
  const projectionDim = posInt(config, "projection_dim", "config.json");
  const imageSize = posInt(vc, "image_size", "config.json vision_config"),
    patchSize = posInt(vc, "patch_size", "config.json vision_config");
  if (imageSize % patchSize)
    throw AppError.badInput(
      `config.json vision_config: image_size ${imageSize} is not a multiple of patch_size ${patchSize}`,
      "config",
    );
  const grid = imageSize / patchSize;
  const dtype = chosenDtype(opts);
  const suffix = ONNX_DTYPES[dtype];
  const has = (rel: string) => existsSync(path.join(dir, rel));
  const separate = { vision: `onnx/vision_model${suffix}.onnx`, text: `onnx/text_model${suffix}.onnx` };
  let joint: string | undefined;
  let towerFiles = separate;
  if (!has(separate.vision) || !has(separate.text)) {
    joint = `onnx/model${suffix}.onnx`;
    if (!has(joint)) {
      const present = Object.entries(ONNX_DTYPES)
        .filter(
          ([, sfx]) =>
            (has(`onnx/vision_model${sfx}.onnx`) && has(`onnx/text_model${sfx}.onnx`)) || has(`onnx/model${sfx}.onnx`),
        )
        .map(([name]) => name);
      throw AppError.badInput(
        `${dir} has neither ${separate.vision} + ${separate.text} nor the joint ${joint}; ` +
          (present.length
            ? `it has the ONNX files of dtype ${present.join(", ")}: pass --dtype ${present[0]}`
            : `nor the ONNX files of any other dtype (${Object.keys(ONNX_DTYPES).join(", ")})`),
        "path",
      );
    }
    towerFiles = { vision: `onnx/model${suffix}.vision.onnx`, text: `onnx/model${suffix}.text.onnx` }; // split out at import
  }
  const onnxFile = (tower: "vision" | "text") => towerFiles[tower];
  const vision = {
    ...geometry(vc, "config.json vision_config"),
    seqLen: grid * grid + 1,
    onnx: onnxFile("vision"),
    imageSize,
    patchSize,
  };
  const text = {
    ...geometry(tc, "config.json text_config"),
    seqLen: posInt(tc, "max_position_embeddings", "config.json text_config"),
    onnx: onnxFile("text"),
    vocabSize: posInt(tc, "vocab_size", "config.json text_config"),
  };

  const pre = readJson(dir, "preprocessor_config.json");
  const mean = pre.image_mean as number[],
    std = pre.image_std as number[];
  const three = (v: unknown) =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x));
  if (!three(mean) || !three(std) || std.some((s) => s <= 0))
    throw AppError.badInput(`preprocessor_config.json: image_mean and image_std must be 3 numbers (std > 0)`, "config");
  const crop = pre.do_center_crop === false ? imageSize : (edge(pre.crop_size, "height") ?? imageSize);
  if (
    typeof pre.crop_size === "object" &&
    pre.crop_size &&
    (pre.crop_size as Json).height !== (pre.crop_size as Json).width
  )
    throw AppError.badInput(
      `preprocessor_config.json: crop_size ${JSON.stringify(pre.crop_size)} is not square`,
      "config",
    );
  if (crop !== imageSize)
    throw AppError.badInput(
      `preprocessor_config.json: crop size ${crop} differs from vision_config.image_size ${imageSize}`,
      "config",
    );
  if (
    pre.do_resize !== false &&
    pre.size &&
    typeof pre.size === "object" &&
    (pre.size as Json).shortest_edge === undefined
  )
    throw AppError.badInput(
      `preprocessor_config.json: size ${JSON.stringify(pre.size)} is a fixed-size resize; only CLIP's { "shortest_edge": n } is supported`,
      "config",
    );
  const shortest = pre.do_resize === false ? imageSize : (edge(pre.size, "shortest_edge") ?? imageSize);
  if (!Number.isInteger(shortest) || shortest < crop)
    throw AppError.badInput(
      `preprocessor_config.json: size ${JSON.stringify(pre.size)} must be an integer ≥ the crop size ${crop}`,
      "config",
    );
  if (pre.resample !== undefined && pre.resample !== 3)
    throw AppError.badInput(
      `preprocessor_config.json: resample ${JSON.stringify(pre.resample)} is not bicubic (3), the only one supported`,
      "config",
    );
  const factor = pre.do_rescale === false ? 1 : ((pre.rescale_factor as number | undefined) ?? 1 / 255);
  if (Math.abs(factor * 255 - 1) > 1e-6)
    throw AppError.badInput(`preprocessor_config.json: rescale_factor ${factor} is not 1/255`, "config");
  const normalize = pre.do_normalize !== false;
  const preprocess: ImagePreprocessSpec = {
    size: crop,
    layout: "NCHW",
    resize: "clip",
    shortestEdge: shortest,
    mean: normalize ? (mean as [number, number, number]) : [0, 0, 0],
    std: normalize ? (std as [number, number, number]) : [1, 1, 1],
  };

  const tokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"].filter((f) =>
    existsSync(path.join(dir, f)),
  );
  if (!tokenizerFiles.includes("tokenizer.json"))
    throw AppError.badInput(`tokenizer.json is missing from ${dir}`, "path");
  const nameOrPath = typeof config._name_or_path === "string" ? config._name_or_path : "";
  const folderName = path.basename(dir);
  return {
    dir,
    joint,
    dtype,
    suggestedName: folderName,
    // the dtype tells two imports of one export apart in the model list
    displayName: `${nameOrPath || folderName}${dtype === "fp32" ? "" : ` (${dtype})`}`,
    projectionDim,
    vision,
    text,
    preprocess,
    tokenizerFiles,
  };
}
