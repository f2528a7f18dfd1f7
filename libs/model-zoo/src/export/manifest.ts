// model.json of the built-in model: towers, in-graph normalization, word tokenizer, every hook point, SAEs.
import type { ClipShapesConfig } from "../model/config";
import { visionSeqLen } from "../model/config";
import { EOS, PAD, TOKEN_VOCAB, UNK } from "../shapes/vocabulary";
import { IMAGE_INPUT, IMAGE_OUTPUT, TEXT_INPUT, TEXT_OUTPUT } from "./clip-onnx";

export const MODEL_NAME = "clip-shapes";

export interface HookPointEntry {
  name: string;
  tower: "VISION" | "TEXT";
  layer: number;
  kind: "RESID" | "MLP_POST" | "ATTN_PATTERN";
  tensor: string;
  width: number;
  shape: (number | string)[];
}
export interface SaeEntry {
  name: string;
  path: string;
  hookPoint: string;
  architecture: string;
  d_sae: number;
  k?: number;
  /** Measured on held-out activations when trained. */
  l0?: number;
  explainedVariance?: number;
  deadFraction?: number;
}

/** All hook points of both towers (resid_post, mlp.hook_post after GELU, attn.hook_pattern). */
export function hookPoints(c: ClipShapesConfig): HookPointEntry[] {
  const out: HookPointEntry[] = [];
  for (const [tower, prefix, T] of [
    ["VISION", "vision", visionSeqLen(c)],
    ["TEXT", "text", c.textSeqLen],
  ] as const)
    for (let l = 0; l < c.layers; l++) {
      const p = `${prefix}.blocks.${l}`;
      out.push({
        name: `${p}.hook_resid_post`,
        tower,
        layer: l,
        kind: "RESID",
        tensor: `${p}.hook_resid_post`,
        width: c.width,
        shape: ["batch", T, c.width],
      });
      out.push({
        name: `${p}.mlp.hook_post`,
        tower,
        layer: l,
        kind: "MLP_POST",
        tensor: `${p}.mlp.hook_post`,
        width: c.mlpWidth,
        shape: ["batch", T, c.mlpWidth],
      });
      out.push({
        name: `${p}.attn.hook_pattern`,
        tower,
        layer: l,
        kind: "ATTN_PATTERN",
        tensor: `${p}.attn.hook_pattern`,
        width: c.heads,
        shape: ["batch", c.heads, T, T],
      });
    }
  return out;
}

/** The manifest object (docs/architecture.md). Pixels enter the graph in [0,1]; mean/std are applied inside it. */
export function buildManifest(c: ClipShapesConfig, logitScale: number, saes: SaeEntry[]) {
  return {
    name: MODEL_NAME,
    displayName: "CLIP-shapes (built-in)",
    architecture: "clip-vit",
    modality: "IMAGE_TEXT",
    embedDim: c.embedDim,
    logitScale,
    embeddingsNormalized: true,
    weights: "weights.safetensors",
    image: {
      onnx: "image.onnx",
      input: IMAGE_INPUT,
      output: IMAGE_OUTPUT,
      // identity preprocessing: the graph takes [0,1] pixels and normalizes with `normalization` itself
      preprocess: { size: c.imageSize, layout: "NCHW", mean: [0, 0, 0], std: [1, 1, 1] },
      normalization: { where: "graph", mean: c.mean, std: c.std },
      patchSize: c.patchSize,
      gridSize: c.gridSize,
      seqLen: visionSeqLen(c),
    },
    text: {
      onnx: "text.onnx",
      input: TEXT_INPUT,
      output: TEXT_OUTPUT,
      seqLen: c.textSeqLen,
      tokenizer: { type: "word", vocab: [...TOKEN_VOCAB], pad: PAD, unk: UNK, eos: EOS, lowercase: true },
      pooling: "eos",
    },
    config: {
      width: c.width,
      layers: c.layers,
      heads: c.heads,
      mlpWidth: c.mlpWidth,
      lnEps: c.lnEps,
      activation: "gelu-erf",
      causalText: true,
    },
    hookPoints: hookPoints(c),
    saes,
  };
}
