// Loads and shape-checks SAE weight tensors (SAELens names) from a decoded safetensors file.
import { InferenceError } from "../errors";
import type { SafetensorsFile } from "../safetensors";
import type { SaeConfig } from "./config";
import { countNonFinite } from "../util/non-finite";

export interface SaeWeights {
  /** [d_in, d_sae] row-major */
  W_enc: Float32Array;
  /** [d_sae, d_in] row-major */
  W_dec: Float32Array;
  b_enc: Float32Array;
  b_dec: Float32Array;
  /** jumprelu only: [d_sae] */
  threshold?: Float32Array;
  /** gated only */
  b_gate?: Float32Array;
  r_mag?: Float32Array;
  b_mag?: Float32Array;
}

export function extractSaeWeights(file: SafetensorsFile, cfg: SaeConfig, source: string): SaeWeights {
  const { dIn, dSae } = cfg;
  const get = (name: string, shape: number[], optional = false): Float32Array | undefined => {
    const t = file.tensors[name];
    if (!t) {
      if (optional) return undefined;
      throw new InferenceError(
        "BAD_SAE",
        `${source}: missing tensor "${name}" (have ${Object.keys(file.tensors).join(", ")})`,
      );
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (
      t.data.length !== count ||
      (t.shape.length !== shape.length && !(shape.length === 1 && t.shape.length === 2 && t.shape[0] === 1))
    )
      throw new InferenceError(
        "BAD_SAE",
        `${source}: tensor "${name}" has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(shape)} (cfg d_in=${dIn}, d_sae=${dSae})`,
      );
    if (shape.length === 2 && (t.shape[0] !== shape[0] || t.shape[1] !== shape[1]))
      throw new InferenceError(
        "BAD_SAE",
        `${source}: tensor "${name}" has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(shape)}`,
      );
    return t.data;
  };
  const w: SaeWeights = {
    W_enc: get("W_enc", [dIn, dSae])!,
    W_dec: get("W_dec", [dSae, dIn])!,
    b_dec: get("b_dec", [dIn])!,
    b_enc: (cfg.architecture === "gated" ? get("b_enc", [dSae], true) : get("b_enc", [dSae])) ?? new Float32Array(dSae),
  };
  if (cfg.architecture === "jumprelu") {
    const threshold = get("threshold", [dSae], true);
    const logThreshold = threshold ? undefined : get("log_threshold", [dSae], true);
    if (!threshold && !logThreshold)
      throw new InferenceError("BAD_SAE", `${source}: jumprelu SAE needs a "threshold" tensor`);
    w.threshold = threshold ?? logThreshold!.map(Math.exp);
  }
  if (cfg.architecture === "gated") {
    w.b_gate = get("b_gate", [dSae]);
    w.r_mag = get("r_mag", [dSae]);
    w.b_mag = get("b_mag", [dSae]);
  }
  for (const [name, t] of Object.entries(w) as [string, Float32Array | undefined][])
    if (t) assertFinite(t, name, source);
  return w;
}

/** Refuses NaN / ±Infinity weights: such a feature would silently drop out of every ranking. */
export function assertFinite(values: Float32Array, name: string, source: string): void {
  const { count, first } = countNonFinite(values);
  if (count > 0)
    throw new InferenceError(
      "BAD_SAE",
      `${source}: tensor "${name}" has ${count} non-finite value${count === 1 ? "" : "s"} (NaN or ±Infinity; first at flat index ${first})`,
    );
}
