// weights.safetensors of CLIP-shapes: TransformerLens-style names (vision.blocks.0.attn.W_Q, vision.proj, logit_scale, ...).
import { readFileSync, writeFileSync } from "node:fs";
import { readSafetensors, writeSafetensors } from "@mmatlas/inference";
import type { ClipShapesConfig } from "./config";
import { fromTransformerLens, toTransformerLens, type HostWeights } from "./params";

/** Write training-layout weights as TransformerLens-style F32 safetensors. */
export function saveWeights(
  path: string,
  c: ClipShapesConfig,
  weights: HostWeights,
  metadata: Record<string, string> = {},
): void {
  const tl = toTransformerLens(c, weights);
  writeFileSync(path, writeSafetensors(tl, { format: "mmatlas-clip-shapes", ...metadata }));
}

/** Read weights.safetensors back into the training layout (checks every name and shape). */
export function loadWeights(path: string, c: ClipShapesConfig): HostWeights {
  const file = readSafetensors(readFileSync(path));
  const tl: HostWeights = {};
  for (const [name, t] of Object.entries(file.tensors)) tl[name] = { shape: t.shape, data: t.data };
  return fromTransformerLens(c, tl);
}
