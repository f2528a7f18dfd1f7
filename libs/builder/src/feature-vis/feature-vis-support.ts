// Which units can have a feature visualization, and why the others cannot. Only the built-in CLIP-shapes model has
// a differentiable (tfjs) copy of its weights; imported models run in onnxruntime-node, which has no gradients.
// Within it: image-tower neurons (MLP / residual hooks) and latents of its ReLU / TopK SAEs on image-tower hooks.
import { existsSync } from "node:fs";
import path from "node:path";
import { modelDirectory } from "@mmatlas/catalog";
import type { Dictionary, HookPoint, Model, Unit } from "@mmatlas/db";
import { MODEL_NAME } from "@mmatlas/model-zoo";

export type FeatureVisUnavailableCode =
  "IMPORTED_MODEL" | "TEXT_TOWER" | "ATTENTION_HEAD" | "UNSUPPORTED_HOOK" | "UNSUPPORTED_SAE";

export type FeatureVisSupport =
  { available: true } | { available: false; code: FeatureVisUnavailableCode; reason: string };

/** the tfjs weights file feature visualization loads from the model folder */
const WEIGHTS_FILE = "weights.safetensors";

export interface FeatureVisUnitRow {
  kind: Unit["kind"];
  model: Pick<Model, "name" | "directory">;
  hookPoint: Pick<HookPoint, "name" | "tower" | "kind">;
  dictionary: (Pick<Dictionary, "architecture"> & { hookPoint?: Pick<HookPoint, "name" | "tower"> }) | null;
}

/** Whether the model is the built-in tfjs-trained CLIP-shapes with its weights file present. */
export function hasDifferentiableWeights(model: Pick<Model, "name" | "directory">): boolean {
  return model.name === MODEL_NAME && existsSync(path.join(modelDirectory(model), WEIGHTS_FILE));
}

export function featureVisSupport(u: FeatureVisUnitRow): FeatureVisSupport {
  const no = (code: FeatureVisUnavailableCode, reason: string): FeatureVisSupport => ({
    available: false,
    code,
    reason,
  });
  if (!hasDifferentiableWeights(u.model))
    return no(
      "IMPORTED_MODEL",
      "imported ONNX models have no gradients in onnxruntime-node; feature visualization needs the built-in tfjs model",
    );
  const hook = u.dictionary?.hookPoint ?? u.hookPoint;
  if (hook.tower === "TEXT")
    return no("TEXT_TOWER", "text-tower units take token input (discrete words), so there is no image to optimise");
  if (u.kind === "ATTENTION_HEAD" || u.hookPoint.kind === "ATTN_PATTERN")
    return no(
      "ATTENTION_HEAD",
      "an attention head's output is an attention pattern, not one activation to maximise; its patterns are shown instead",
    );
  if (!/^vision\.blocks\.\d+\.(mlp\.hook_post|hook_resid_post)$/.test(hook.name))
    return no("UNSUPPORTED_HOOK", `hook ${hook.name} is not an image-tower MLP output or residual stream`);
  if (u.kind === "SAE_FEATURE" && u.dictionary && !["RELU", "TOPK"].includes(u.dictionary.architecture))
    return no("UNSUPPORTED_SAE", `feature visualization encodes ReLU and TopK SAEs, not ${u.dictionary.architecture}`);
  return { available: true };
}
