// Automatic labels, method 1: CLIP-Dissect soft-WPMI (Oikarinen & Weng, ICLR 2023), following the authors'
// reference implementation (similarity.py `soft_wpmi`):
//   P[i, c]        = softmax_c(a · sim[i, c])            probe image i vs concept c (image-text cosine)
//   B_u            = the unit's top-K probe images by activation (ties: lower probe index first)
//   p_r            = pStart − (r / K)·(pStart − pEnd)      soft membership of the rank-r image in B_u
//   log p(c | B_u) = Σ_r log(1 + p_r·(P[i_r, c] − 1) + minProb)
//   log p(c)       = logsumexp_u log p(c | B_u) − log U     (prior: mean over the units passed together)
//   score[u, c]    = log p(c | B_u) − λ·log p(c)
// Pass a whole layer's units at once: the prior is estimated across them (one unit alone gives (1 − λ)·log p).
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts, type ConceptScore, DEFAULT_LABEL_COUNT, topConcepts, topKRows } from "./concept-ranking";

export interface ProbeActivations {
  /** [probe × units], row-major: a unit's (e.g. max-over-positions) activation on each probe example */
  activations: Float32Array | Float64Array;
  units: number;
  /** [probe × concepts], row-major: similarity of each probe example with each concept's text embedding */
  conceptSims: Float32Array | Float64Array;
  concepts: readonly string[];
}

export interface SoftWpmiOptions {
  /** size K of the top set B_u (default min(20, probe)) */
  topK?: number;
  /** softmax temperature `a` over concepts (default 10) */
  temperature?: number;
  /** weight λ of the concept prior (default 1) */
  lambda?: number;
  /** membership of the top image (default 0.998) and slope end (default 0.97) */
  pStart?: number;
  pEnd?: number;
  /** added inside the log (default 1e-7) */
  minProb?: number;
}

/** soft-WPMI scores [units × concepts], row-major. */
export function softWpmiScores(input: ProbeActivations, options: SoftWpmiOptions = {}): Float64Array {
  const { activations, units, conceptSims, concepts } = input;
  checkConcepts(concepts);
  assertPositiveInt(units, "units");
  const nc = concepts.length;
  if (activations.length % units !== 0 || activations.length === 0) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `activations has length ${activations.length}, not a non-zero multiple of units (${units})`,
    );
  }
  const probe = activations.length / units;
  assertLength(conceptSims, probe * nc, "conceptSims (probe × concepts)");
  assertAllFinite(activations, "activations");
  assertAllFinite(conceptSims, "conceptSims");
  const {
    topK = Math.min(20, probe),
    temperature = 10,
    lambda = 1,
    pStart = 0.998,
    pEnd = 0.97,
    minProb = 1e-7,
  } = options;
  assertPositiveInt(topK, "topK");
  if (topK > probe) throw new AtlasError("BAD_OPTION", `topK (${topK}) exceeds the probe set size (${probe})`);
  for (const [name, v] of [
    ["temperature", temperature],
    ["lambda", lambda],
    ["pStart", pStart],
    ["pEnd", pEnd],
    ["minProb", minProb],
  ] as const) {
    if (!Number.isFinite(v)) throw new AtlasError("BAD_OPTION", `${name} must be finite, got ${v}`);
  }
  if (!(pStart > 0 && pStart <= 1 && pEnd >= 0 && pEnd <= 1))
    throw new AtlasError("BAD_OPTION", "pStart must be in (0, 1] and pEnd in [0, 1]");

  // P = softmax(a · sims) per probe example
  const P = new Float64Array(probe * nc);
  for (let i = 0; i < probe; i++) {
    let m = -Infinity;
    for (let c = 0; c < nc; c++) m = Math.max(m, temperature * conceptSims[i * nc + c]);
    let z = 0;
    for (let c = 0; c < nc; c++) z += P[i * nc + c] = Math.exp(temperature * conceptSims[i * nc + c] - m);
    for (let c = 0; c < nc; c++) P[i * nc + c] /= z;
  }
  const membership = Array.from({ length: topK }, (_, r) => pStart - (r / topK) * (pStart - pEnd));

  const logGiven = new Float64Array(units * nc);
  for (let u = 0; u < units; u++) {
    const top = topKRows(activations, units, u, topK);
    for (let r = 0; r < topK; r++) {
      const i = top[r];
      for (let c = 0; c < nc; c++) logGiven[u * nc + c] += Math.log(1 + membership[r] * (P[i * nc + c] - 1) + minProb);
    }
  }
  const scores = new Float64Array(units * nc);
  for (let c = 0; c < nc; c++) {
    let m = -Infinity;
    for (let u = 0; u < units; u++) m = Math.max(m, logGiven[u * nc + c]);
    let s = 0;
    for (let u = 0; u < units; u++) s += Math.exp(logGiven[u * nc + c] - m);
    const logPrior = m + Math.log(s) - Math.log(units);
    for (let u = 0; u < units; u++) scores[u * nc + c] = logGiven[u * nc + c] - lambda * logPrior;
  }
  return scores;
}

/** Top `count` (default 5) soft-WPMI concepts per unit. */
export function clipDissectLabels(
  input: ProbeActivations,
  options: SoftWpmiOptions & { count?: number } = {},
): ConceptScore[][] {
  const scores = softWpmiScores(input, options);
  const nc = input.concepts.length;
  return Array.from({ length: input.units }, (_, u) =>
    topConcepts(scores, input.concepts, options.count ?? DEFAULT_LABEL_COUNT, u * nc),
  );
}
