// Shared shape of automatic labels: a concept with a score, and picking a unit's best-scoring concepts
// (descending score, ties by concept order, so results are deterministic), and a unit's top-K probe rows.
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
  if (!Array.isArray(concepts) || concepts.length === 0)
    throw new AtlasError("BAD_INPUT", "concepts must be a non-empty list");
  concepts.forEach((c, i) => {
    if (typeof c !== "string" || c.length === 0)
      throw new AtlasError("BAD_INPUT", `concepts[${i}] must be a non-empty string`);
  });
}

/**
 * Rows of the k largest values of column u of a [rows × units] matrix, largest first (ties: lower row first):
 * one pass keeping a sorted list of k, O(rows · k) at worst instead of sorting every row.
 */
export function topKRows(values: ArrayLike<number>, units: number, u: number, k: number): number[] {
  const rows = values.length / units;
  const top: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = values[i * units + u];
    if (top.length === k && !(v > values[top[k - 1] * units + u])) continue;
    if (top.length < k) top.push(i); // a new slot; when full, the last (smallest) one is dropped
    let j = top.length - 1;
    // shift smaller values down; an equal value stays ahead (it has the lower row)
    while (j > 0 && values[top[j - 1] * units + u] < v) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return top;
}
