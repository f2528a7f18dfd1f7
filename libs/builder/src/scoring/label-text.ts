// What a label is scored as: its key (normalized text, the same rule as the SQL label_search_normalize), the
// prompt fed to the text tower (a concept of the auto-label vocabulary uses the vocabulary's prompt, exactly as
// the auto-labels were chosen with, e.g. "red" → "a red shape"; any other label is fed as written), and the
// ground-truth concepts it names (for the tag score: every content word must be a tag value of the dataset).
import { labelKey } from "@mmatlas/atlas";
import type { ConceptVocabulary } from "../finalize/concepts";

export { labelKey };

export const SCORE_METHOD = "model-similarity";
/** bump when the scoring rule changes: rows of older versions are rescored */
export const SCORE_VERSION = 2;

export function labelPrompt(label: string, vocabulary: ConceptVocabulary): string {
  const key = labelKey(label);
  const i = vocabulary.labels.indexOf(key);
  return i >= 0 ? vocabulary.prompts[i] : label.trim();
}

/** words that carry no concept in a label ("a red shape" names red) */
const FUNCTION_WORDS = new Set([
  "a",
  "an",
  "the",
  "of",
  "and",
  "on",
  "at",
  "in",
  "shape",
  "shapes",
  "object",
  "objects",
]);

/** The concept of a tag: text after the last ':' lowercased ("color:red" → "red"; "typographic" stays). */
export function tagConcept(tag: string): string {
  return tag
    .slice(tag.lastIndexOf(":") + 1)
    .trim()
    .toLowerCase();
}

/**
 * The ground-truth concepts a label names, or null when a content word is not a tag value of the dataset.
 * "the word <w>" names the tag word:<w> itself (an image or text spelling w, not an object of color w).
 */
export function labelConcepts(label: string, tagValues: ReadonlySet<string>): string[] | null {
  const key = labelKey(label);
  const spelled = /^(?:the )?word (\S+)$/.exec(key);
  if (spelled) return tagValues.has(`word:${spelled[1]}`) ? [`word:${spelled[1]}`] : null;
  const words = key.split(" ").filter((w) => w && !FUNCTION_WORDS.has(w));
  if (words.length === 0 || words.some((w) => !tagValues.has(w))) return null;
  return [...new Set(words)];
}
