// Scores every label of one unit on the held-out scoring set (pure given its inputs): detection with the model's
// similarity of the label embedding to each example embedding as predictor (texts: by default the recall of the
// label's tokens in the text on the model's token embeddings), localization on the top activating
// examples (label similarity map vs the unit's activation map, CLS excluded), and the tag score where the label
// names ground-truth concepts of the dataset.
import { detectionSample, detectionScore, localizationScore, midranks, tagDetectionScore } from "@mmatlas/atlas";
import { labelConcepts, tagConcept, SCORE_METHOD, SCORE_VERSION } from "./label-text";
import type { ScoringSet } from "./scoring-set";

/** top activating examples whose maps are compared */
export const LOCALIZATION_EXAMPLES = 10;

export interface LabelToScore {
  key: string;
  label: string;
  prompt: string;
  sources: string[];
  /** normalized text embedding of the prompt [dim] */
  embedding: Float32Array;
  /** words the tokenizer does not know */
  unknownWords: string[];
  /** the prompt's token ids before <eos> (the token-recall predictor of texts) */
  tokenIds?: number[];
}

export interface LabelScoreRecord {
  unitId: string;
  labelKey: string;
  label: string;
  prompt: string;
  sources: string[];
  method: string;
  version: number;
  datasetId: string;
  heldOutExamples: number;
  detectionAuroc: number | null;
  balancedAccuracy: number | null;
  activatingExamples: number;
  nonActivatingExamples: number;
  localization: number | null;
  localizationExamples: number;
  tagAuroc: number | null;
  tagPositives: number | null;
  tagNegatives: number | null;
  notes: string[];
}

export interface UnitScoringInput {
  unitId: string;
  datasetId: string;
  scoring: ScoringSet;
  /** the unit's set activations [n × positions × units] and which channel is this unit */
  values: Float32Array;
  units: number;
  channel: number;
  labels: LabelToScore[];
  /** concept values of the scoring set's tags (empty: no ground truth) */
  tagValues: ReadonlySet<string>;
  /** each example's tag concepts */
  exampleConcepts: ReadonlySet<string>[];
  /** per-label arrays shared by every unit scored on this scoring set */
  cache: ScoringCache;
}

/**
 * how a label's similarity with an example becomes the detection predictor (see ScoringCache.predictor);
 * token-recall applies to text scoring sets only
 */
export type PredictorKind = "cosine" | "zero-shot" | "family-zero-shot";
export type TextPredictorKind = PredictorKind | "token-recall";

/** Reference prompts of the zero-shot predictor: normalized embeddings [count × dim] and their prompts. */
export interface ReferencePrompts {
  prompts: string[];
  data: Float32Array;
  /** the family (e.g. color, shape) of each prompt, for family-zero-shot; null: no family */
  families?: (string | null)[];
}

/** What does not depend on the unit: each prompt's predictor over the examples, each concept set's tag flags. */
export class ScoringCache {
  private readonly predictors = new Map<string, Float32Array>();
  private readonly tags = new Map<string, boolean[]>();
  private readonly maps = new Map<string, Float32Array>();
  private referenceLse: Float64Array | null = null;
  private readonly familyLse = new Map<string, Float64Array>();
  private idf: Map<number, number> | null = null;

  constructor(
    private readonly scoring: ScoringSet,
    private readonly exampleConcepts: ReadonlySet<string>[],
    private readonly kind: TextPredictorKind = "cosine",
    private readonly references: ReferencePrompts | null = null,
    private readonly logitScale = 100,
  ) {
    if (kind === "token-recall" && scoring.tower !== "TEXT")
      throw new Error("the token-recall predictor applies to text scoring sets only");
  }

  private cosines(embedding: Float32Array): Float32Array {
    const { embeds, dim, rows } = this.scoring;
    const p = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += embeds[i * dim + d] * embedding[d];
      p[i] = dot;
    }
    return p;
  }

  /**
   * cosine: cos(label, example). zero-shot: the log-probability of the label in a zero-shot classification of
   * the example among the reference prompts (the concept vocabulary) plus the label, at the model's logit scale —
   * log softmax removes each example's overall similarity to every prompt, which otherwise ranks examples by how
   * "prompt-like" they are rather than by the label. token-recall (texts): tokenRecall below; zero-shot when the model
   * ships no token embeddings or the prompt has no tokens.
   */
  predictor(label: LabelToScore): Float32Array {
    let p = this.predictors.get(label.prompt);
    if (p) return p;
    if (this.kind === "token-recall")
      p =
        this.scoring.tokens && label.tokenIds?.length
          ? this.tokenRecall(label.tokenIds)
          : this.similarityPredictor(label, "zero-shot");
    else p = this.similarityPredictor(label, this.kind);
    this.predictors.set(label.prompt, p);
    return p;
  }

  private similarityPredictor(label: LabelToScore, kind: PredictorKind): Float32Array {
    const cos = this.cosines(label.embedding);
    if (kind === "cosine" || !this.references || this.references.prompts.length === 0) return cos;
    // family-zero-shot: a vocabulary label competes with the other values of its family only ("a red shape" vs
    // the other colors), when the family has more than one value; everything else with the whole vocabulary
    const at = this.references.prompts.indexOf(label.prompt);
    const family = kind === "family-zero-shot" && at >= 0 ? (this.references.families?.[at] ?? null) : null;
    const members =
      family === null ? null : this.references.prompts.filter((_, r) => this.references!.families![r] === family);
    const lse = members && members.length > 1 ? this.familyLogSumExp(family!) : this.referenceLogSumExp();
    const own = at >= 0;
    const p = new Float32Array(cos.length);
    for (let i = 0; i < cos.length; i++) {
      const z = this.logitScale * cos[i];
      const all = own ? lse[i] : Math.max(lse[i], z) + Math.log1p(Math.exp(-Math.abs(lse[i] - z)));
      p[i] = z - all;
    }
    return p;
  }

  private tokenRecall(labelIds: number[]): Float32Array {
    const tokens = this.scoring.tokens!;
    this.idf ??= tokenIdf(tokens.ids);
    return tokenRecall(labelIds, tokens, this.idf);
  }

  private familyLogSumExp(family: string): Float64Array {
    let out = this.familyLse.get(family);
    if (!out) this.familyLse.set(family, (out = this.logSumExp((r) => this.references!.families![r] === family)));
    return out;
  }

  private referenceLogSumExp(): Float64Array {
    return (this.referenceLse ??= this.logSumExp(() => true));
  }

  /** per example: log Σ exp(logit scale · cos(prompt, example)) over the reference prompts `keep` selects */
  private logSumExp(keep: (r: number) => boolean): Float64Array {
    const refs = this.references!;
    const dim = this.scoring.dim,
      n = this.scoring.rows.length;
    const logits = refs.prompts.flatMap((_, r) =>
      keep(r) ? [this.cosines(refs.data.subarray(r * dim, (r + 1) * dim))] : [],
    );
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (const l of logits) m = Math.max(m, this.logitScale * l[i]);
      let s = 0;
      for (const l of logits) s += Math.exp(this.logitScale * l[i] - m);
      out[i] = m + Math.log(s);
    }
    return out;
  }

  /** the label's similarity with every position of every example [n × positions] (null without read-out maps) */
  similarityMaps(label: LabelToScore): Float32Array | null {
    const { positionEmbeds, rows, positions, dim } = this.scoring;
    if (!positionEmbeds) return null;
    let m = this.maps.get(label.prompt);
    if (!m) {
      m = new Float32Array(rows.length * positions);
      for (let r = 0; r < m.length; r++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += positionEmbeds[r * dim + d] * label.embedding[d];
        m[r] = dot;
      }
      this.maps.set(label.prompt, m);
    }
    return m;
  }

  hasTag(concepts: string[]): boolean[] {
    const key = concepts.join("\u0000");
    let t = this.tags.get(key);
    if (!t) this.tags.set(key, (t = this.exampleConcepts.map((c) => concepts.every((x) => c.has(x)))));
    return t;
  }
}

/**
 * Text units fire on tokens, so a text is scored by how much of the label it contains: the idf-weighted recall
 * of the prompt's tokens in the text on the model's own token embeddings (BERTScore recall):
 * Σ_j idf(l_j) · max_t cos(E[l_j], E[x_t]) / Σ_j idf(l_j) per text (0 for a text without tokens), with `idf` from
 * tokenIdf over the scoring set (a token of no text weighs log(n + 1)), so words every text shares ("a", "shape")
 * weigh little. `embeds`: L2-normalized token embeddings [vocabulary × dim].
 */
export function tokenRecall(
  labelIds: readonly number[],
  texts: { ids: readonly (readonly number[])[]; embeds: Float32Array; dim: number },
  idf: ReadonlyMap<number, number>,
): Float32Array {
  const { ids, embeds, dim } = texts;
  const n = ids.length;
  const weight = (t: number) => idf.get(t) ?? Math.log(n + 1);
  const total = labelIds.reduce((s, t) => s + weight(t), 0);
  const p = new Float32Array(n);
  if (total === 0) return p;
  const cos = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += embeds[a * dim + d] * embeds[b * dim + d];
    return s;
  };
  for (let i = 0; i < n; i++) {
    if (ids[i].length === 0) continue;
    let s = 0;
    for (const l of labelIds) {
      let best = -Infinity;
      for (const t of ids[i]) best = Math.max(best, cos(l, t));
      s += weight(l) * best;
    }
    p[i] = s / total;
  }
  return p;
}

/** idf(w) = log((n + 1) / (df(w) + 1)) of every token of n texts (token id lists) */
export function tokenIdf(texts: number[][]): Map<number, number> {
  const df = new Map<number, number>();
  for (const x of texts) for (const t of new Set(x)) df.set(t, (df.get(t) ?? 0) + 1);
  return new Map([...df].map(([t, d]) => [t, Math.log((texts.length + 1) / (d + 1))]));
}

const r6 = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

export function scoreUnitLabels(input: UnitScoringInput): LabelScoreRecord[] {
  const { scoring: s, values, units, channel } = input;
  const n = s.rows.length,
    T = s.positions;
  const maxima = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let p = 0; p < s.valid[i]; p++) m = Math.max(m, values[(i * T + p) * units + channel]);
    maxima[i] = m;
  }
  const sample = detectionSample(maxima);
  const top = sample.activating.slice(0, LOCALIZATION_EXAMPLES);
  const ranks = midranks(maxima);
  // the unit's activation map on each top example (map positions: firstPosition … valid − 1)
  const mapPositions = top.map((i) =>
    Array.from({ length: s.valid[i] - s.firstPosition }, (_, k) => s.firstPosition + k),
  );
  const activationMaps = top.map((i, j) => mapPositions[j].map((p) => values[(i * T + p) * units + channel]));
  return input.labels.map((label) => {
    const notes: string[] = [];
    if (label.unknownWords.length) notes.push(`words outside the model's vocabulary: ${label.unknownWords.join(", ")}`);
    const det = detectionScore(input.cache.predictor(label), sample);
    if (det.auroc === null)
      notes.push(
        sample.activating.length === 0
          ? "the unit does not activate on the held-out examples"
          : "no non-activating held-out examples",
      );
    let loc = { rho: null as number | null, examples: 0 };
    if (!s.positionEmbeds) notes.push(`no localization: ${s.mapsUnavailable}`);
    else {
      const maps = input.cache.similarityMaps(label)!;
      loc = localizationScore(
        top.map((i, j) => ({ similarity: mapPositions[j].map((p) => maps[i * T + p]), activation: activationMaps[j] })),
      );
      if (loc.rho === null) notes.push("no localization: the top examples' maps are constant");
    }
    let tag = { auroc: null as number | null, positives: null as number | null, negatives: null as number | null };
    if (input.tagValues.size === 0) notes.push("no tag score: the held-out examples carry no ground-truth tags");
    else {
      const concepts = labelConcepts(label.label, input.tagValues);
      if (!concepts) notes.push("no tag score: the label is not a ground-truth concept of the dataset's tags");
      else {
        const t = tagDetectionScore(maxima, input.cache.hasTag(concepts), ranks);
        tag = t;
        if (t.auroc === null) notes.push("no tag score: every held-out example (or none) carries the concept");
      }
    }
    return {
      unitId: input.unitId,
      labelKey: label.key,
      label: label.label,
      prompt: label.prompt,
      sources: label.sources,
      method: SCORE_METHOD,
      version: SCORE_VERSION,
      datasetId: input.datasetId,
      heldOutExamples: n,
      detectionAuroc: r6(det.auroc),
      balancedAccuracy: r6(det.balancedAccuracy),
      activatingExamples: det.activating,
      nonActivatingExamples: det.nonActivating,
      localization: r6(loc.rho),
      localizationExamples: loc.examples,
      tagAuroc: r6(tag.auroc),
      tagPositives: tag.positives,
      tagNegatives: tag.negatives,
      notes,
    };
  });
}

/** each example's tag concepts, and every concept value seen */
export function tagConceptsOf(rows: { tags: string[] }[]): { perExample: Set<string>[]; values: Set<string> } {
  const values = new Set<string>();
  const perExample = rows.map((r) => {
    // the value ("color:red" → "red") and, for words spelled, the tag itself ("word:red")
    const c = new Set(
      [...r.tags.map(tagConcept), ...r.tags.filter((t) => t.startsWith("word:")).map((t) => t.toLowerCase())].filter(
        (x) => x.length > 0,
      ),
    );
    for (const x of c) values.add(x);
    return c;
  });
  return { perExample, values };
}
