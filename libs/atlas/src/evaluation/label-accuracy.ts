// Label accuracy against ground truth (shapes world): a unit is "monosemantic for concept c" when at least
// `threshold` of its top-k examples carry c; a method's top auto-label is correct when it is one of those
// concepts. Reported per method and per layer (plus "*" = all layers):
//   units        all units of the layer
//   monosemantic units with ≥ 1 ground-truth concept (the only ones that can be judged)
//   labeled      monosemantic units where the method gave a label (score ≥ its minScore, if set)
//   correct      labeled units whose label is a ground-truth concept
//   precision    correct / labeled          (null when labeled = 0)
//   coverage     labeled / monosemantic     (null when monosemantic = 0)
//   recall       correct / monosemantic     (null when monosemantic = 0)
//   groundTruthShare  monosemantic / units
import { AtlasError } from "../errors";

export interface TopLabel {
  concept: string;
  score: number;
}

export interface LabelEvalUnit {
  /** layer (hook point) name used to group the report */
  layer: string;
  /** ground-truth tags of each of the unit's top-k examples (e.g. ["color:red", "shape:circle"]) */
  topExampleTags: readonly (readonly string[])[];
  /** method name → the unit's top auto-label (null/absent: the method gave none) */
  labels: Readonly<Record<string, TopLabel | null | undefined>>;
}

export interface LabelAccuracyOptions {
  /** minimum share of top-k examples carrying a concept (default 0.8) */
  threshold?: number;
  /** tag → concept name(s) (default: text after the last ':' , lowercased; "color:red" → "red") */
  conceptOfTag?: (tag: string) => string | readonly string[] | null;
  /** label → concept name for comparison (default: trimmed, lowercased) */
  normalizeLabel?: (label: string) => string;
  /** per-method minimum score; lower-scored labels count as abstentions */
  minScore?: Readonly<Record<string, number>>;
}

export interface GroundTruth {
  /** concepts reaching the threshold, highest share first (ties by name) */
  concepts: string[];
  /** share of top-k examples per concept present */
  shares: Record<string, number>;
}

export interface LabelAccuracyRow {
  method: string;
  layer: string;
  units: number;
  monosemantic: number;
  labeled: number;
  correct: number;
  precision: number | null;
  coverage: number | null;
  recall: number | null;
  groundTruthShare: number;
}

export interface UnitVerdict {
  layer: string;
  groundTruth: string[];
  methods: Record<string, { label: string | null; correct: boolean | null }>;
}

export const ALL_LAYERS = "*";

const defaultConceptOfTag = (tag: string): string | null => {
  const c = tag
    .slice(tag.lastIndexOf(":") + 1)
    .trim()
    .toLowerCase();
  return c.length > 0 ? c : null;
};
const defaultNormalize = (label: string) => label.trim().toLowerCase();

/** Concepts shared by at least `threshold` of the top examples. */
export function groundTruthConcepts(
  topExampleTags: readonly (readonly string[])[],
  threshold = 0.8,
  conceptOfTag: (tag: string) => string | readonly string[] | null = defaultConceptOfTag,
): GroundTruth {
  if (!(threshold > 0 && threshold <= 1))
    throw new AtlasError("BAD_OPTION", `threshold must be in (0, 1], got ${threshold}`);
  const n = topExampleTags.length;
  const counts = new Map<string, number>();
  for (const tags of topExampleTags) {
    const seen = new Set<string>();
    for (const t of tags) {
      const c = conceptOfTag(t);
      if (typeof c === "string") seen.add(c);
      else if (c) for (const x of c) seen.add(x);
    }
    for (const c of seen) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const shares: Record<string, number> = {};
  for (const [c, k] of counts) shares[c] = k / n;
  const concepts = [...counts.keys()]
    .filter((c) => shares[c] >= threshold - 1e-12)
    .sort((a, b) => shares[b] - shares[a] || (a < b ? -1 : a > b ? 1 : 0));
  return { concepts, shares };
}

/** Per-unit verdicts and the precision/coverage table per method × layer (and per method over all layers). */
export function labelAccuracy(
  units: readonly LabelEvalUnit[],
  options: LabelAccuracyOptions = {},
): { rows: LabelAccuracyRow[]; verdicts: UnitVerdict[] } {
  const {
    threshold = 0.8,
    conceptOfTag = defaultConceptOfTag,
    normalizeLabel = defaultNormalize,
    minScore = {},
  } = options;
  const methods = [...new Set(units.flatMap((u) => Object.keys(u.labels)))].sort();
  const layers = [...new Set(units.map((u) => u.layer))];
  type Tally = { units: number; monosemantic: number; labeled: number; correct: number };
  const tallies = new Map<string, Tally>();
  const tally = (m: string, l: string) => {
    const key = `${m}\u0000${l}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { units: 0, monosemantic: 0, labeled: 0, correct: 0 }));
    return t;
  };
  const verdicts: UnitVerdict[] = units.map((unit, i) => {
    if (typeof unit.layer !== "string") throw new AtlasError("BAD_INPUT", `units[${i}].layer must be a string`);
    const gt = groundTruthConcepts(unit.topExampleTags, threshold, conceptOfTag);
    const verdict: UnitVerdict = { layer: unit.layer, groundTruth: gt.concepts, methods: {} };
    for (const m of methods) {
      const label = unit.labels[m];
      const min = minScore[m];
      const given = label != null && (min === undefined || label.score >= min) ? normalizeLabel(label.concept) : null;
      const mono = gt.concepts.length > 0;
      const correct = mono && given !== null ? gt.concepts.includes(given) : null;
      verdict.methods[m] = { label: given, correct };
      for (const l of [unit.layer, ALL_LAYERS]) {
        const t = tally(m, l);
        t.units++;
        if (!mono) continue;
        t.monosemantic++;
        if (given !== null) t.labeled++;
        if (correct) t.correct++;
      }
    }
    return verdict;
  });
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  const rows: LabelAccuracyRow[] = [];
  for (const m of methods) {
    for (const l of [...layers, ALL_LAYERS]) {
      const t = tally(m, l);
      rows.push({
        method: m,
        layer: l,
        ...t,
        precision: ratio(t.correct, t.labeled),
        coverage: ratio(t.labeled, t.monosemantic),
        recall: ratio(t.correct, t.monosemantic),
        groundTruthShare: t.units === 0 ? 0 : t.monosemantic / t.units,
      });
    }
  }
  return { rows, verdicts };
}
