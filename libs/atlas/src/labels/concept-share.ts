// Automatic labels, method 3: concept share. The model's own text-image similarities tag every probe example
// per concept family (colour, shape, size, …): each family is a zero-shot task of its own, so a concept only
// competes with the other values of its family, never with a more salient concept of another family.
//   P[i, c]     = softmax_{c' ∈ family(c)}(a · sim[i, c'])                  (a family of several concepts)
//   P[i, c]     = σ(a · (max_{p ∈ own(c)} sim[i, p] − max_{p ∈ contrast(c)} sim[i, p]))  (a binary family)
//   P[i, c]    ·= P[i, gate(c)]                                             (e.g. which word, only if typographic)
//   prior[c]    = mean_i P[i, c]                       over the whole probe set
//   share[u, c] = mean_{i ∈ B_u} P[i, c]               B_u = the unit's top-K probe examples (ties: lower index)
//   PMI[u, c]   = log(share + ε) − log(prior + ε)
// The label is the most specific concept most top examples show: among concepts with share ≥ τ, the highest
// PMI (a concept every example carries, such as "large" on word images, loses to the rarer one); when no
// concept reaches τ, the highest share. Labels are ranked that way, each scored by its share.
import { AtlasError } from "../errors";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts, type ConceptScore, DEFAULT_LABEL_COUNT, topKRows } from "./concept-ranking";

export interface ShareFamily {
  /** label of each concept of the family */
  labels: readonly string[];
  /** conceptSims column of each concept's prompt; a binary family (one label) may list several (max is taken) */
  columns: readonly number[];
  /** binary family only: columns of the contrasting prompts */
  contrast?: readonly number[];
  /** label (of an earlier family) whose probability multiplies this family's */
  gate?: string;
}

export interface ConceptShareInput {
  /** [probe × units], row-major */
  activations: Float32Array | Float64Array;
  units: number;
  /** [probe × prompts], row-major: similarity of each probe example with each prompt's text embedding */
  conceptSims: Float32Array | Float64Array;
  prompts: number;
  families: readonly ShareFamily[];
}

export interface ConceptShareOptions {
  /** size K of the top set B_u (default min(20, probe)) */
  topK?: number;
  /** temperature `a` (default 10) */
  temperature?: number;
  /** share a concept needs to be a candidate (default 0.5) */
  minShare?: number;
  /** labels kept per unit (default 5) */
  count?: number;
}

export interface ShareLabels {
  /** the `count` best concepts per unit, scored by share */
  labels: ConceptScore[][];
  /** the concept labels in column order of `share` */
  concepts: string[];
  /** [units × concepts] */
  share: Float64Array;
  prior: Float64Array;
}

const EPS = 1e-6;

/** P[i, c] per family (concept columns in family order), [probe × concepts]. */
export function familyProbabilities(
  conceptSims: ArrayLike<number>,
  probe: number,
  prompts: number,
  families: readonly ShareFamily[],
  temperature = 10,
): { concepts: string[]; P: Float64Array } {
  const concepts = families.flatMap((f) => [...f.labels]);
  checkConcepts(concepts);
  if (new Set(concepts).size !== concepts.length) throw new AtlasError("BAD_INPUT", "family labels must be unique");
  const nc = concepts.length;
  const P = new Float64Array(probe * nc);
  const colOf = (c: number) => {
    if (!Number.isInteger(c) || c < 0 || c >= prompts)
      throw new AtlasError("BAD_INPUT", `prompt column ${c} is outside [0, ${prompts})`);
    return c;
  };
  let offset = 0;
  families.forEach((f, fi) => {
    if (f.labels.length === 0) throw new AtlasError("BAD_INPUT", `families[${fi}] has no labels`);
    const binary = f.labels.length === 1;
    if (!binary && (f.columns.length !== f.labels.length || f.contrast))
      throw new AtlasError("BAD_INPUT", `families[${fi}]: one column per label, and contrast only for a binary family`);
    if (binary && (f.columns.length === 0 || !f.contrast?.length))
      throw new AtlasError("BAD_INPUT", `families[${fi}] is binary: give its columns and contrast columns`);
    const gate = f.gate === undefined ? -1 : concepts.indexOf(f.gate);
    if (f.gate !== undefined && (gate < 0 || gate >= offset))
      throw new AtlasError("BAD_INPUT", `families[${fi}].gate "${f.gate}" must be a label of an earlier family`);
    for (let i = 0; i < probe; i++) {
      const row = (c: number) => conceptSims[i * prompts + colOf(c)];
      if (binary) {
        const own = Math.max(...f.columns.map(row)),
          other = Math.max(...f.contrast!.map(row));
        P[i * nc + offset] = 1 / (1 + Math.exp(-temperature * (own - other)));
      } else {
        const z = f.columns.map((c) => temperature * row(c));
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        e.forEach((v, j) => (P[i * nc + offset + j] = v / s));
      }
      if (gate >= 0) for (let j = 0; j < f.labels.length; j++) P[i * nc + offset + j] *= P[i * nc + gate];
    }
    offset += f.labels.length;
  });
  return { concepts, P };
}

/** Concept-share labels of every unit (see the header). */
export function conceptShareLabels(input: ConceptShareInput, options: ConceptShareOptions = {}): ShareLabels {
  const { activations, units, conceptSims, prompts, families } = input;
  assertPositiveInt(units, "units");
  assertPositiveInt(prompts, "prompts");
  if (activations.length % units !== 0 || activations.length === 0) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `activations has length ${activations.length}, not a non-zero multiple of units (${units})`,
    );
  }
  const probe = activations.length / units;
  assertLength(conceptSims, probe * prompts, "conceptSims (probe × prompts)");
  assertAllFinite(activations, "activations");
  assertAllFinite(conceptSims, "conceptSims");
  const { topK = Math.min(20, probe), temperature = 10, minShare = 0.5, count = DEFAULT_LABEL_COUNT } = options;
  assertPositiveInt(topK, "topK");
  assertPositiveInt(count, "count");
  if (topK > probe) throw new AtlasError("BAD_OPTION", `topK (${topK}) exceeds the probe set size (${probe})`);
  if (!(Number.isFinite(temperature) && minShare >= 0 && minShare <= 1))
    throw new AtlasError("BAD_OPTION", "temperature must be finite and minShare in [0, 1]");

  const { concepts, P } = familyProbabilities(conceptSims, probe, prompts, families, temperature);
  const nc = concepts.length;
  const prior = new Float64Array(nc);
  for (let i = 0; i < probe; i++) for (let c = 0; c < nc; c++) prior[c] += P[i * nc + c] / probe;
  const share = new Float64Array(units * nc);
  const labels: ConceptScore[][] = [];
  for (let u = 0; u < units; u++) {
    for (const i of topKRows(activations, units, u, topK))
      for (let c = 0; c < nc; c++) share[u * nc + c] += P[i * nc + c] / topK;
    labels.push(rankByShare(share.subarray(u * nc, (u + 1) * nc), prior, concepts, minShare).slice(0, count));
  }
  return { labels, concepts, share, prior };
}

/** One unit's concepts: candidates (share ≥ minShare) by PMI, then the rest by share; ties in concept order. */
export function rankByShare(
  share: ArrayLike<number>,
  prior: ArrayLike<number>,
  concepts: readonly string[],
  minShare: number,
): ConceptScore[] {
  const pmi = (c: number) => Math.log(share[c] + EPS) - Math.log(prior[c] + EPS);
  const isCandidate = (c: number) => share[c] >= minShare - 1e-12;
  const order = concepts.map((_, c) => c);
  order.sort((a, b) => {
    const ca = isCandidate(a),
      cb = isCandidate(b);
    if (ca !== cb) return ca ? -1 : 1;
    return (ca ? pmi(b) - pmi(a) : share[b] - share[a]) || a - b;
  });
  return order.map((c) => ({ concept: concepts[c], score: share[c] }));
}
