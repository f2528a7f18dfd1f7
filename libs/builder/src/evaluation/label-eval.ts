// Label accuracy of a stored atlas against the shapes world's ground truth: for every neuron / SAE feature,
// the tags of its top-k examples decide which concepts it is monosemantic for (@mmatlas/atlas labelAccuracy,
// threshold 0.8), and each method's top auto-label is checked against them. Grouped per layer (hook point and
// unit source). Concepts outside the label vocabulary (object counts) are not ground truth; a word tag
// (word:red) stands for both "red" and "the word red" (the concept-share label of that word).
// `topTags` (unit slug → tags of its top-k examples, e.g. heldOutTopTags on another seed) replaces the stored
// top examples as the ground truth.
import { labelAccuracy, type LabelAccuracyRow, type LabelEvalUnit } from "@mmatlas/atlas";
import type { PrismaClient } from "@mmatlas/db";
import { shapesConceptVocabulary, wordLabel } from "../finalize/concepts";

/** Concepts a shapes-world tag stands for among the label vocabulary (word:<w> → w and "the word <w>"). */
export function conceptsOfShapesTag(tag: string, vocabulary: ReadonlySet<string>): string[] {
  const c = tag.slice(tag.lastIndexOf(":") + 1).toLowerCase();
  const out = vocabulary.has(c) ? [c] : [];
  if (tag.startsWith("word:")) out.push(wordLabel(c));
  return out;
}

export interface LabelEvalReport {
  model: string;
  units: number;
  threshold: number;
  rows: LabelAccuracyRow[];
}

/** A stored unit as label-eval judges it: its slug and id, and its layer, ground-truth tags and top auto-labels. */
export interface StoredLabelEvalUnit extends LabelEvalUnit {
  id: string;
  slug: string;
}

/** The model's neurons / SAE features with top examples, each method's top auto-label, and the ground-truth tags
 * (`topTags` by slug, else the stored top examples'). */
export async function loadLabelEvalUnits(
  prisma: PrismaClient,
  modelId: string,
  topTags?: ReadonlyMap<string, string[][]>,
): Promise<StoredLabelEvalUnit[]> {
  const units = await prisma.unit.findMany({
    where: { modelId, kind: { in: ["NEURON", "SAE_FEATURE"] }, topActivations: { some: {} } },
    select: {
      id: true,
      slug: true,
      autoLabels: true,
      kind: true,
      hookPoint: { select: { name: true } },
      dictionary: { select: { architecture: true } },
      topActivations: { where: { band: "TOP" }, select: { example: { select: { tags: true } } } },
    },
  });
  return units.map((u) => {
    const labels: Record<string, { concept: string; score: number } | null> = {};
    for (const l of (u.autoLabels ?? []) as { label: string; score: number; method: string }[]) {
      if (!(l.method in labels)) labels[l.method] = { concept: l.label, score: l.score };
    }
    return {
      id: u.id,
      slug: u.slug,
      layer: `${u.hookPoint.name} (${u.kind === "SAE_FEATURE" ? `SAE ${u.dictionary?.architecture.toLowerCase()}` : "neurons"})`,
      topExampleTags: topTags ? (topTags.get(u.slug) ?? []) : u.topActivations.map((t) => t.example.tags),
      labels,
    };
  });
}

export async function evaluateStoredLabels(
  prisma: PrismaClient,
  modelId: string,
  threshold = 0.8,
  topTags?: ReadonlyMap<string, string[][]>,
  minScore?: Readonly<Record<string, number>>,
): Promise<LabelEvalReport> {
  const model = await prisma.model.findUniqueOrThrow({ where: { id: modelId } });
  const vocabulary = new Set(shapesConceptVocabulary().labels);
  const evalUnits = await loadLabelEvalUnits(prisma, modelId, topTags);
  const { rows } = labelAccuracy(evalUnits, {
    threshold,
    conceptOfTag: (tag) => conceptsOfShapesTag(tag, vocabulary),
    minScore,
  });
  return { model: model.name, units: evalUnits.length, threshold, rows };
}

const pct = (x: number | null) => (x === null ? "  -  " : `${(x * 100).toFixed(1)}%`.padStart(6));

export function formatLabelEvalTable(report: LabelEvalReport): string {
  const layerWidth = Math.max(10, ...report.rows.map((r) => r.layer.length));
  const methodWidth = Math.max(15, ...report.rows.map((r) => r.method.length));
  const head = `${"method".padEnd(methodWidth)} ${"layer".padEnd(layerWidth)} ${"units".padStart(5)} ${"mono".padStart(5)} ${"labeled".padStart(7)} ${"correct".padStart(7)} ${"precision".padStart(9)} ${"coverage".padStart(8)} ${"recall".padStart(6)}`;
  const lines = report.rows.map(
    (r) =>
      `${r.method.padEnd(methodWidth)} ${r.layer.padEnd(layerWidth)} ${String(r.units).padStart(5)} ${String(r.monosemantic).padStart(5)} ${String(r.labeled).padStart(7)} ${String(r.correct).padStart(7)} ${pct(r.precision).padStart(9)} ${pct(r.coverage).padStart(8)} ${pct(r.recall).padStart(6)}`,
  );
  return [head, "-".repeat(head.length), ...lines].join("\n");
}
