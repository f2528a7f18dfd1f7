// Auto-labels of one unit set, three methods, top-5 each with scores: concept share (the default label: the
// most specific concept most of the unit's top probe examples show, by the model's own family-wise zero-shot
// tags), CLIP-Dissect soft-WPMI over the probe set (unit activations vs probe-example/concept similarities from
// the model's own embeddings) and text alignment (unit output direction in the joint space vs concept text
// embeddings); vision sets of shapes-world datasets also get Network Dissection (IoU with concept masks,
// finalize/dissection.ts).
import {
  clipDissectLabels,
  conceptShareLabels,
  multimodalScores,
  conceptResponses,
  textAlignmentLabels,
  type ConceptScore,
} from "@mmatlas/atlas";
import { similarities, type ShareVocabulary } from "./concepts";

export const LABEL_METHODS = {
  conceptShare: "concept-share",
  clipDissect: "clip-dissect",
  textAlignment: "text-alignment",
  networkDissection: "network-dissection",
} as const;

export interface StoredAutoLabel {
  label: string;
  score: number;
  method: string;
}

export interface ProbeInput {
  /** [probe × units] */
  activations: Float32Array;
  units: number;
  /** normalized probe embeddings [probe × dim] */
  embeds: Float32Array;
  probe: number;
}

export interface ConceptEmbeddings {
  labels: string[];
  /** normalized [concepts × dim] */
  data: Float32Array;
  dim: number;
}

/** CLIP-Dissect top-5 per unit (null when the probe set is smaller than 2 examples). */
export function clipDissectForSet(probe: ProbeInput, concepts: ConceptEmbeddings): ConceptScore[][] | null {
  if (probe.probe < 2) return null;
  const conceptSims = similarities(probe.embeds, probe.probe, concepts.data, concepts.labels.length, concepts.dim);
  return clipDissectLabels(
    { activations: probe.activations, units: probe.units, conceptSims, concepts: concepts.labels },
    { topK: Math.min(20, probe.probe) },
  );
}

/** Concept-share top-5 per unit (null when the probe set is smaller than 2 examples). */
export function conceptShareForSet(
  probe: ProbeInput,
  vocabulary: ShareVocabulary,
  embeddings: { data: Float32Array; dim: number },
): ConceptScore[][] | null {
  if (probe.probe < 2 || embeddings.dim === 0) return null;
  const prompts = vocabulary.prompts.length;
  const conceptSims = similarities(probe.embeds, probe.probe, embeddings.data, prompts, embeddings.dim);
  return conceptShareLabels(
    { activations: probe.activations, units: probe.units, conceptSims, prompts, families: vocabulary.families },
    { topK: Math.min(20, probe.probe) },
  ).labels;
}

export function textAlignmentForSet(
  directions: { data: Float32Array | Float64Array; dim: number } | null,
  units: number,
  concepts: ConceptEmbeddings,
): ConceptScore[][] | null {
  if (!directions || directions.dim !== concepts.dim) return null;
  return textAlignmentLabels({
    directions: directions.data,
    units,
    conceptEmbeddings: concepts.data,
    concepts: concepts.labels,
  });
}

export function storedLabels(
  clip: ConceptScore[] | undefined,
  align: ConceptScore[] | undefined,
  share?: ConceptScore[],
  dissection?: ConceptScore[],
): StoredAutoLabel[] {
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return [
    ...(share ?? []).map((c) => ({ label: c.concept, score: round(c.score), method: LABEL_METHODS.conceptShare })),
    ...(clip ?? []).map((c) => ({ label: c.concept, score: round(c.score), method: LABEL_METHODS.clipDissect })),
    ...(align ?? []).map((c) => ({ label: c.concept, score: round(c.score), method: LABEL_METHODS.textAlignment })),
    ...(dissection ?? [])
      .filter((c) => c.score > 0)
      .map((c) => ({ label: c.concept, score: round(c.score), method: LABEL_METHODS.networkDissection })),
  ];
}

/**
 * Multimodal score of image-tower units: response to a concept as an object (color/shape tags of
 * non-typographic images) and as a rendered word (word:<c> of typographic images). Null when a modality is
 * missing from the probe set.
 */
export function imageMultimodalScores(
  activations: Float32Array,
  units: number,
  tags: string[][],
  concepts: string[],
): { score: number; concept: string | null }[] | null {
  const objectRows: number[] = [],
    wordRows: number[] = [];
  tags.forEach((t, i) => (t.includes("typographic") ? wordRows : objectRows).push(i));
  if (objectRows.length === 0 || wordRows.length === 0) return null;
  const pick = (rows: number[]) => {
    const out = new Float32Array(rows.length * units);
    rows.forEach((r, i) => out.set(activations.subarray(r * units, (r + 1) * units), i * units));
    return out;
  };
  const objectConcepts = objectRows.map((r) =>
    tags[r].filter((t) => t.startsWith("color:") || t.startsWith("shape:")).map((t) => t.slice(t.indexOf(":") + 1)),
  );
  const wordConcepts = wordRows.map((r) => tags[r].filter((t) => t.startsWith("word:")).map((t) => t.slice(5)));
  const result = multimodalScores({
    units,
    concepts,
    modalities: {
      image: conceptResponses(pick(objectRows), units, objectConcepts, concepts),
      typographic: conceptResponses(pick(wordRows), units, wordConcepts, concepts),
    },
  });
  return result.perUnit.map((p) => ({ score: p.score, concept: p.concept }));
}
