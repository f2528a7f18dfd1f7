// Reads/writes SAEs in the SAELens folder format: cfg.json (v6 keys) + sae_weights.safetensors
// (W_enc [d_in,d_sae], W_dec [d_sae,d_in], b_enc [d_sae], b_dec [d_in]).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "@mmatlas/inference";
import type { SaeWeights } from "./types";

export interface SaeMetadata {
  modelName: string;
  hookName: string;
  /** Tokens per input of the hooked tower (17 image tokens, 8 text tokens). */
  contextSize: number;
  datasetPath: string;
  extra?: Record<string, unknown>;
}

/** The cfg.json object for an SAE (SAELens v6 layout). */
export function saeLensConfig(sae: SaeWeights, meta: SaeMetadata): Record<string, unknown> {
  return {
    architecture: sae.architecture,
    d_in: sae.dIn,
    d_sae: sae.dSae,
    ...(sae.architecture === "topk" ? { k: sae.k } : {}),
    dtype: "float32",
    device: "cpu",
    apply_b_dec_to_input: true,
    normalize_activations: "none",
    reshape_activations: "none",
    metadata: {
      model_name: meta.modelName,
      hook_name: meta.hookName,
      hook_head_index: null,
      prepend_bos: false,
      context_size: meta.contextSize,
      dataset_path: meta.datasetPath,
      model_class_name: "mmatlas-clip-shapes",
      sae_lens_training_version: null,
      ...meta.extra,
    },
  };
}

/** Write `dir/cfg.json` and `dir/sae_weights.safetensors`. */
export function writeSaeFolder(dir: string, sae: SaeWeights, meta: SaeMetadata): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cfg.json"), JSON.stringify(saeLensConfig(sae, meta), null, 2) + "\n");
  writeFileSync(
    join(dir, "sae_weights.safetensors"),
    writeSafetensors({
      W_enc: { shape: [sae.dIn, sae.dSae], data: sae.W_enc },
      W_dec: { shape: [sae.dSae, sae.dIn], data: sae.W_dec },
      b_enc: { shape: [sae.dSae], data: sae.b_enc },
      b_dec: { shape: [sae.dIn], data: sae.b_dec },
    }),
  );
}

/** Read an SAE folder written by writeSaeFolder (or SAELens) back. */
export function readSaeFolder(dir: string): { cfg: Record<string, unknown>; sae: SaeWeights } {
  const cfg = JSON.parse(readFileSync(join(dir, "cfg.json"), "utf8"));
  const t = readSafetensors(readFileSync(join(dir, "sae_weights.safetensors"))).tensors;
  return {
    cfg,
    sae: {
      architecture: cfg.architecture,
      dIn: cfg.d_in,
      dSae: cfg.d_sae,
      k: cfg.k,
      W_enc: t.W_enc.data,
      W_dec: t.W_dec.data,
      b_enc: t.b_enc.data,
      b_dec: t.b_dec.data,
    },
  };
}
