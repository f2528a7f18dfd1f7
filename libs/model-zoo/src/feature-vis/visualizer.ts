// Entry point of feature visualization for a CLIP-shapes model folder (weights.safetensors in TransformerLens
// names, SAEs in SAELens folders): loads the weights into tfjs once (wasm backend), then optimises batches of
// targets. Only this tfjs model has gradients; ONNX-only (imported) models cannot be visualized.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { useWasmBackend } from "../model/backend";
import { CLIP_SHAPES_CONFIG, type ClipShapesConfig } from "../model/config";
import type { Params } from "../model/forward";
import { toTensors } from "../model/params";
import { loadWeights } from "../model/weights-file";
import { readSaeFolder } from "../sae/saelens-format";
import type { SaeWeights } from "../sae/types";
import { measureTargets, visualizeTargets, type FeatureVisOptions, type FeatureVisResult } from "./optimize";
import { checkTarget, type VisTarget } from "./unit-objective";

export const WEIGHTS_FILE = "weights.safetensors";

export class FeatureVisualizer {
  private readonly saes = new Map<string, SaeWeights>();

  private constructor(
    readonly config: ClipShapesConfig,
    readonly dir: string,
    private readonly params: Params,
  ) {}

  /** Loads `<dir>/weights.safetensors` (the built-in model's layout; throws when missing or of another shape). */
  static async open(dir: string): Promise<FeatureVisualizer> {
    const file = join(dir, WEIGHTS_FILE);
    if (!existsSync(file)) throw new Error(`feature visualization needs ${WEIGHTS_FILE} in ${dir}`);
    await useWasmBackend(1);
    return new FeatureVisualizer(CLIP_SHAPES_CONFIG, dir, toTensors(loadWeights(file, CLIP_SHAPES_CONFIG)));
  }

  /** Width of a hook of the image tower (undefined for others). */
  hookWidth(hook: string): number | undefined {
    if (/^vision\.blocks\.\d+\.mlp\.hook_post$/.test(hook)) return this.config.mlpWidth;
    if (/^vision\.blocks\.\d+\.hook_resid_post$/.test(hook)) return this.config.width;
    return undefined;
  }

  /** An SAE folder (SAELens layout; relative paths are taken from the model folder; cached). ReLU/TopK only. */
  sae(folder: string): SaeWeights {
    const path = resolve(this.dir, folder);
    const cached = this.saes.get(path);
    if (cached) return cached;
    const { sae } = readSaeFolder(path);
    if (sae.architecture !== "standard" && sae.architecture !== "topk")
      throw new Error(`feature visualization supports ReLU and TopK SAEs, not ${String(sae.architecture)}`);
    this.saes.set(path, sae);
    return sae;
  }

  visualize(
    targets: readonly VisTarget[],
    options: Partial<FeatureVisOptions> = {},
    hooks: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
  ): Promise<FeatureVisResult[]> {
    for (const t of targets) checkTarget(t, (h) => this.hookWidth(h));
    return visualizeTargets(this.config, this.params, targets, options, hooks);
  }

  /** Activation (max over tokens) of target i on RGB image i. */
  measure(targets: readonly VisTarget[], images: readonly Uint8Array[]): number[] {
    for (const t of targets) checkTarget(t, (h) => this.hookWidth(h));
    return measureTargets(this.config, this.params, targets, images);
  }

  dispose(): void {
    tf.dispose(Object.values(this.params));
    this.saes.clear();
  }
}
