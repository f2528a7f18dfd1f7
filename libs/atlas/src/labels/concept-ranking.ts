// Shared shape of automatic labels: a concept with a score, and picking a unit's best-scoring concepts
// (descending score, ties by concept order, so results are deterministic).
import { AtlasError } from "../errors";
import { assertPositiveInt } from "../util/validate";

export interface ConceptScore {
  concept: string;
  score: number;
}

export const DEFAULT_LABEL_COUNT = 5;

/** The `count` best concepts of one row of scores (scores[offset + c] for concept c). */
export function topConcepts(
  scores: ArrayLike<number>,
  concepts: readonly string[],
  count = DEFAULT_LABEL_COUNT,
  offset = 0,
): ConceptScore[] {
  assertPositiveInt(count, "count");
  const order = concepts.map((_, c) => c);
  order.sort((a, b) => scores[offset + b] - scores[offset + a] || a - b);
  return order.slice(0, count).map((c) => ({ concept: concepts[c], score: scores[offset + c] }));
}

export function checkConcepts(concepts: readonly string[]): void {
  if (!Array.isArray(concepts) || concepts.length === 0) throw new AtlasError("BAD_INPUT", "concepts must be a non-empty list");
  concepts.forEach((c, i) => {
    if (typeof c !== "string" || c.length === 0) throw new AtlasError("BAD_INPUT", `concepts[${i}] must be a non-empty string`);
  });
}
