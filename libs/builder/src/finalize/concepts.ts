// The concept vocabulary auto-labels are chosen from, and its embeddings by the model's own text tower.
// Default: the shapes world's concepts (colors, shapes, sizes, positions, "typographic"), one label each;
// concept share also groups them into families and adds which word a typographic image spells.
import type { ShareFamily } from "@mmatlas/atlas";
import { CONCEPTS, COLORS, SHAPES, WORDS } from "@mmatlas/model-zoo";
import type { Runner } from "@mmatlas/inference";

export interface ConceptVocabulary {
  labels: string[];
  prompts: string[];
}

/** Unique labels in vocabulary order (the first family's prompt wins for "word:red" vs "color:red"). */
export function shapesConceptVocabulary(): ConceptVocabulary {
  const labels: string[] = [],
    prompts: string[] = [];
  for (const c of CONCEPTS) {
    if (c.family === "count" || c.family === "word") continue;
    const label = c.family === "typographic" ? "typographic" : c.value;
    if (labels.includes(label)) continue;
    labels.push(label);
    prompts.push(c.prompt);
  }
  return { labels, prompts };
}

export interface ShareVocabulary {
  prompts: string[];
  families: ShareFamily[];
}

/** Label of the concept "the image/text spells the word w" (the tag word:<w>). */
export const wordLabel = (w: string) => `the word ${w}`;

/**
 * Concept-share families of the shapes world: color, shape, size and position (each a zero-shot task over its
 * values), "typographic" (any word prompt vs any shape prompt) and which word (gated by typographic).
 */
export function shapesShareVocabulary(): ShareVocabulary {
  const prompts: string[] = [];
  const families: ShareFamily[] = [];
  for (const family of ["color", "shape", "size", "position"] as const) {
    const cs = CONCEPTS.filter((c) => c.family === family);
    families.push({ labels: cs.map((c) => c.value), columns: cs.map((c) => prompts.push(c.prompt) - 1) });
  }
  const words = WORDS.map((w) => prompts.push(CONCEPTS.find((c) => c.tag === `word:${w}`)!.prompt) - 1);
  families.push({ labels: ["typographic"], columns: words, contrast: families[1].columns });
  families.push({ labels: WORDS.map(wordLabel), columns: words, gate: "typographic" });
  return { prompts, families };
}

/** Zero-shot classification tasks of the shapes world used for causal effects: color and shape. */
export function zeroShotTasks(): { family: "color" | "shape"; labels: string[]; prompts: string[] }[] {
  return [
    {
      family: "color",
      labels: [...COLORS],
      prompts: COLORS.map((c) => CONCEPTS.find((x) => x.tag === `color:${c}`)!.prompt),
    },
    {
      family: "shape",
      labels: [...SHAPES],
      prompts: SHAPES.map((s) => CONCEPTS.find((x) => x.tag === `shape:${s}`)!.prompt),
    },
  ];
}

/** L2-normalized text embeddings [prompts × dim] from the model's text tower. */
export async function embedTexts(runner: Runner, prompts: string[]): Promise<{ data: Float32Array; dim: number }> {
  const { embeds } = await runner.runTexts(prompts);
  const dim = embeds.dims[embeds.dims.length - 1];
  return { data: normalizeRows(embeds.data, dim), dim };
}

export function normalizeRows(x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[r * dim + i] ** 2;
    const n = Math.sqrt(s) || 1;
    for (let i = 0; i < dim; i++) out[r * dim + i] = x[r * dim + i] / n;
  }
  return out;
}

/** a [n × dim] · b [m × dim]ᵀ → [n × m] */
export function similarities(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  dim: number,
  scale = 1,
): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += a[i * dim + d] * b[j * dim + d];
      out[i * m + j] = s * scale;
    }
  }
  return out;
}
