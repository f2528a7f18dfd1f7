// Loads a SAELens SAE folder (cfg.json + sae_weights.safetensors) into an Sae.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { InferenceError } from "../errors";
import { readSafetensors } from "../safetensors";
import { parseSaeConfig } from "./config";
import { Sae } from "./sae";
import { extractSaeWeights } from "./weights";

export interface LoadSaeOptions {
  /** Display name (default: the folder name). */
  name?: string;
  /**
   * For normalize_activations "expected_average_only_in": the dataset norm scaling factor to fold into the
   * weights, as SAELens does (W_enc *= f, W_dec /= f, b_dec /= f; normalization becomes "none").
   */
  normScalingFactor?: number;
}

export function loadSae(folder: string, opts: LoadSaeOptions = {}): Sae {
  const cfgPath = join(folder, "cfg.json");
  const weightsPath = join(folder, "sae_weights.safetensors");
  for (const p of [cfgPath, weightsPath])
    if (!existsSync(p)) throw new InferenceError("BAD_SAE", `SAE folder ${folder} has no ${basename(p)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cfgPath, "utf8"));
  } catch (e) {
    throw new InferenceError("BAD_SAE", `${cfgPath} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const cfg = parseSaeConfig(raw, cfgPath);
  const weights = extractSaeWeights(readSafetensors(weightsPath), cfg, weightsPath);
  const f =
    opts.normScalingFactor ??
    (typeof cfg.raw.norm_scaling_factor === "number" ? (cfg.raw.norm_scaling_factor as number) : undefined);
  if (f !== undefined && cfg.normalizeActivations === "expected_average_only_in") {
    for (let i = 0; i < weights.W_enc.length; i++) weights.W_enc[i] *= f;
    for (let i = 0; i < weights.W_dec.length; i++) weights.W_dec[i] /= f;
    for (let i = 0; i < weights.b_dec.length; i++) weights.b_dec[i] /= f;
    cfg.normalizeActivations = "none";
  }
  return new Sae(opts.name ?? basename(folder), cfg, weights);
}
