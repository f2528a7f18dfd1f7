// Parameters of an atlas build (stored as Job.params): what to run, over which dataset, and how much of it.
// `parseBuildParams` validates a JSON value and fills defaults so a stored job always reads back the same.
import { AppError } from "@mmatlas/errors";

export interface AtlasBuildParams {
  modelId: string;
  datasetId: string;
  /** hook point names whose units are studied: MLP/RESID hooks → neurons, ATTN_PATTERN hooks → heads */
  hooks: string[];
  /** dictionary (SAE) names of the model whose features are studied */
  dictionaries: string[];
  /** top examples kept per unit */
  k: number;
  /** examples per model call / checkpoint */
  batchSize: number;
  /** examples of each modality re-run at the end for CLIP-Dissect labels and multimodal scores */
  probeSize: number;
  /** units per (vision) unit set whose causal effect is measured (0 = none) */
  causalUnits: number;
  /** images of the zero-shot set used for causal effects */
  causalExamples: number;
  /** write the checkpoint at most every n batches (1 = after any batch), and never so often that writing checkpoints takes
   *  more than 5 % of the pass (CheckpointPacer); always at the end of the pass */
  checkpointEvery: number;
  /** no mid-pass checkpoint before the pass has run this many seconds (0 = from the first batch): a pass shorter than
   *  that is checkpointed only at its end */
  checkpointAfterSeconds: number;
  /** study only the first n neurons / features of each hook or SAE (null = all) */
  maxUnits: number | null;
  /** queue a SCORE_LABELS job for the units it wrote when the build succeeds (default true; false: benchmarks,
   *  the default atlas, which scores itself on its own held-out set) */
  scoreLabels: boolean;
}

export const DEFAULT_BUILD_OPTIONS = {
  k: 20,
  batchSize: 128,
  probeSize: 512,
  causalUnits: 4,
  causalExamples: 128,
  checkpointEvery: 1,
  checkpointAfterSeconds: 20,
} as const;

const MAX_K = 200;

function stringList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x.trim() === ""))
    throw AppError.badInput(`${field} must be a list of non-empty names`, field);
  return [...new Set((v as string[]).map((x) => x.trim()))];
}

function intIn(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    throw AppError.badInput(`${field} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`, field);
  return v as number;
}

function flag(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean")
    throw AppError.badInput(`${field} must be true or false, got ${JSON.stringify(v)}`, field);
  return v;
}

export function parseBuildParams(raw: unknown): AtlasBuildParams {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw AppError.badInput("build parameters must be an object", "params");
  const p = raw as Record<string, unknown>;
  for (const f of ["modelId", "datasetId"] as const) {
    if (typeof p[f] !== "string" || (p[f] as string).length === 0) throw AppError.badInput(`${f} is required`, f);
  }
  const hooks = stringList(p.hooks, "hooks");
  const dictionaries = stringList(p.dictionaries, "dictionaries");
  if (hooks.length + dictionaries.length === 0)
    throw AppError.badInput("give at least one hook or dictionary to build", "hooks");
  const d = DEFAULT_BUILD_OPTIONS;
  return {
    modelId: p.modelId as string,
    datasetId: p.datasetId as string,
    hooks,
    dictionaries,
    k: intIn(p.k, "k", d.k, 1, MAX_K),
    batchSize: intIn(p.batchSize, "batchSize", d.batchSize, 1, 4096),
    probeSize: intIn(p.probeSize, "probeSize", d.probeSize, 1, 100_000),
    causalUnits: intIn(p.causalUnits, "causalUnits", d.causalUnits, 0, 10_000),
    causalExamples: intIn(p.causalExamples, "causalExamples", d.causalExamples, 1, 100_000),
    checkpointEvery: intIn(p.checkpointEvery, "checkpointEvery", d.checkpointEvery, 1, 1_000_000),
    checkpointAfterSeconds: intIn(
      p.checkpointAfterSeconds,
      "checkpointAfterSeconds",
      d.checkpointAfterSeconds,
      0,
      1_000_000,
    ),
    maxUnits: p.maxUnits === undefined || p.maxUnits === null ? null : intIn(p.maxUnits, "maxUnits", 0, 1, 10_000_000),
    scoreLabels: flag(p.scoreLabels, "scoreLabels", true),
  };
}
