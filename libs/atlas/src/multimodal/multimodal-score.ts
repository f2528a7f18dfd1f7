// Multimodal-neuron score (after Goh et al. 2021): how strongly a unit responds to a concept in several
// modalities at once — images of objects of concept c, typographic images of the word c, texts mentioning c.
// Per modality m the response is a z-like score r_m(u, c) = (mean_m(u, c) − baseline_m(u)) / (std_m(u) + ε),
// clipped at 0; the multimodal score is the minimum over the modalities given (≥ 2), i.e. the unit must
// respond in all of them. A unit's score is its max over concepts; `rankMultimodalUnits` lists the strongest.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts } from "../labels/concept-ranking";

export const MODALITIES = ["image", "typographic", "text"] as const;
export type Modality = (typeof MODALITIES)[number];

export interface ModalityResponses {
  /** [units × concepts], row-major: mean activation on this modality's examples of each concept */
  conceptMeans: ArrayLike<number>;
  /** [units]: mean activation over all of this modality's examples */
  baselineMean: ArrayLike<number>;
  /** [units]: standard deviation over all of this modality's examples */
  baselineStd: ArrayLike<number>;
}

export interface MultimodalInput {
  units: number;
  concepts: readonly string[];
  modalities: Partial<Record<Modality, ModalityResponses>>;
  /** added to the std (default 1e-6) */
  epsilon?: number;
}

export interface UnitMultimodalScore {
  unit: number;
  score: number;
  /** concept reaching the score (null when every score is 0) */
  concept: string | null;
}

export interface MultimodalResult {
  /** [units × concepts], row-major */
  scores: Float64Array;
  perUnit: UnitMultimodalScore[];
}

/**
 * Per-concept response statistics of one modality from raw activations: activations [examples × units],
 * exampleConcepts[e] = the concepts example e shows (an example may count for several).
 */
export function conceptResponses(
  activations: Float32Array | Float64Array,
  units: number,
  exampleConcepts: readonly (readonly string[])[],
  concepts: readonly string[],
): ModalityResponses {
  assertPositiveInt(units, "units");
  checkConcepts(concepts);
  const examples = exampleConcepts.length;
  if (examples === 0) throw new AtlasError("BAD_INPUT", "exampleConcepts is empty");
  assertLength(activations, examples * units, "activations (examples × units)");
  assertAllFinite(activations, "activations");
  const nc = concepts.length;
  const index = new Map(concepts.map((c, i) => [c, i]));
  const sums = new Float64Array(units * nc);
  const counts = new Float64Array(nc);
  const mean = new Float64Array(units);
  const sq = new Float64Array(units);
  for (let e = 0; e < examples; e++) {
    const cs = [...new Set(exampleConcepts[e])].map((c) => index.get(c)).filter((c): c is number => c !== undefined);
    for (const c of cs) counts[c]++;
    for (let u = 0; u < units; u++) {
      const v = activations[e * units + u];
      mean[u] += v;
      sq[u] += v * v;
      for (const c of cs) sums[u * nc + c] += v;
    }
  }
  const std = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    mean[u] /= examples;
    std[u] = Math.sqrt(Math.max(0, sq[u] / examples - mean[u] * mean[u]));
    for (let c = 0; c < nc; c++) sums[u * nc + c] = counts[c] === 0 ? mean[u] : sums[u * nc + c] / counts[c];
  }
  return { conceptMeans: sums, baselineMean: mean, baselineStd: std };
}

export function multimodalScores(input: MultimodalInput): MultimodalResult {
  const { units, concepts, modalities, epsilon = 1e-6 } = input;
  assertPositiveInt(units, "units");
  checkConcepts(concepts);
  if (!(epsilon > 0)) throw new AtlasError("BAD_OPTION", `epsilon must be > 0, got ${epsilon}`);
  const given = MODALITIES.filter((m) => modalities[m] !== undefined);
  if (given.length < 2)
    throw new AtlasError(
      "BAD_INPUT",
      `a multimodal score needs at least 2 modalities, got ${given.join(", ") || "none"}`,
    );
  const nc = concepts.length;
  for (const m of given) {
    const r = modalities[m]!;
    assertLength(r.conceptMeans, units * nc, `${m}.conceptMeans (units × concepts)`);
    assertLength(r.baselineMean, units, `${m}.baselineMean`);
    assertLength(r.baselineStd, units, `${m}.baselineStd`);
    assertAllFinite(r.conceptMeans, `${m}.conceptMeans`);
    assertAllFinite(r.baselineMean, `${m}.baselineMean`);
    assertAllFinite(r.baselineStd, `${m}.baselineStd`);
    for (let u = 0; u < units; u++)
      if (r.baselineStd[u] < 0) throw new AtlasError("BAD_INPUT", `${m}.baselineStd[${u}] is negative`);
  }
  const scores = new Float64Array(units * nc);
  const perUnit: UnitMultimodalScore[] = [];
  for (let u = 0; u < units; u++) {
    let best = 0;
    let bestConcept: string | null = null;
    for (let c = 0; c < nc; c++) {
      let s = Infinity;
      for (const m of given) {
        const r = modalities[m]!;
        const z = (r.conceptMeans[u * nc + c] - r.baselineMean[u]) / (r.baselineStd[u] + epsilon);
        s = Math.min(s, Math.max(0, z));
      }
      scores[u * nc + c] = s;
      if (s > best) {
        best = s;
        bestConcept = concepts[c];
      }
    }
    perUnit.push({ unit: u, score: best, concept: bestConcept });
  }
  return { scores, perUnit };
}

/** The `count` most multimodal units, strongest first (ties: lower unit index first). */
export function rankMultimodalUnits(perUnit: readonly UnitMultimodalScore[], count = 10): UnitMultimodalScore[] {
  assertPositiveInt(count, "count");
  return [...perUnit].sort((a, b) => b.score - a.score || a.unit - b.unit).slice(0, count);
}
