// Parses a SAELens cfg.json (v6 keys, plus legacy activation_fn keys) into a typed SAE config.
import { InferenceError } from "../errors";

export type SaeArchitecture = "standard" | "topk" | "jumprelu" | "gated";
export type SaeNormalization = "none" | "expected_average_only_in" | "constant_norm_rescale" | "layer_norm";

export interface SaeConfig {
  dIn: number;
  dSae: number;
  architecture: SaeArchitecture;
  /** Active latents per row (topk only). */
  k?: number;
  applyBDecToInput: boolean;
  normalizeActivations: SaeNormalization;
  /** Hook the SAE was trained on (cfg metadata.hook_name), if known. */
  hookName?: string;
  /** The cfg.json as read. */
  raw: Record<string, unknown>;
}

const NORMALIZATIONS: SaeNormalization[] = ["none", "expected_average_only_in", "constant_norm_rescale", "layer_norm"];

export function parseSaeConfig(raw: unknown, source = "cfg.json"): SaeConfig {
  const bad = (msg: string): never => {
    throw new InferenceError("BAD_SAE", `${source}: ${msg}`);
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return bad("must be a JSON object");
  const cfg = raw as Record<string, unknown>;
  const dIn = cfg.d_in,
    dSae = cfg.d_sae;
  if (!Number.isInteger(dIn) || (dIn as number) <= 0)
    bad(`d_in must be a positive integer, got ${JSON.stringify(dIn)}`);
  if (!Number.isInteger(dSae) || (dSae as number) <= 0)
    bad(`d_sae must be a positive integer, got ${JSON.stringify(dSae)}`);

  const legacyAct = (cfg.activation_fn_str ?? cfg.activation_fn) as string | undefined;
  let arch = (cfg.architecture as string | undefined) ?? "standard";
  if (arch === "relu") arch = "standard";
  if (arch === "standard" && legacyAct === "topk") arch = "topk";
  if (!["standard", "topk", "jumprelu", "gated"].includes(arch))
    bad(`architecture "${arch}" is not supported (standard/relu, topk, jumprelu, gated)`);
  if (legacyAct !== undefined && legacyAct !== "relu" && legacyAct !== "topk")
    bad(`activation_fn "${legacyAct}" is not supported (relu, topk)`);

  let k: number | undefined;
  if (arch === "topk") {
    const kwargs = (cfg.activation_fn_kwargs ?? {}) as Record<string, unknown>;
    k = (cfg.k ?? kwargs.k) as number;
    if (!Number.isInteger(k) || k! <= 0 || k! > (dSae as number))
      bad(`topk needs an integer k in 1..d_sae, got ${JSON.stringify(k)}`);
  }
  const norm = (cfg.normalize_activations ?? "none") as SaeNormalization;
  if (!NORMALIZATIONS.includes(norm))
    bad(`normalize_activations "${String(norm)}" is not one of ${NORMALIZATIONS.join(", ")}`);
  const meta = (cfg.metadata ?? cfg.meta ?? {}) as Record<string, unknown>;
  const hookName = (meta.hook_name ?? cfg.hook_name) as string | undefined;
  return {
    dIn: dIn as number,
    dSae: dSae as number,
    architecture: arch as SaeArchitecture,
    k,
    applyBDecToInput: cfg.apply_b_dec_to_input === undefined ? true : Boolean(cfg.apply_b_dec_to_input),
    normalizeActivations: norm,
    hookName: typeof hookName === "string" ? hookName : undefined,
    raw: cfg,
  };
}
