// Concept recall of a labelling method, per layer: of the ground-truth concepts the layer has at least one
// unit truly selective for (the concept is in the unit's ground truth, labelAccuracy's verdicts), the share the
// method names correctly for at least one such unit. A method that labels every "red" unit "red" and never names
// "small" although two units are small-selective misses one concept, however many units it gets right.
//   concepts   ground-truth concepts of the layer (union over its units' verdict.groundTruth)
//   found      those concepts that are some unit's correct label from the method (label ∈ that unit's ground truth)
//   recall     found / concepts (null when the layer has no ground-truth concept)
// "*" (ALL_LAYERS) = over all layers: a concept counts once, found when the method names it correctly anywhere.
import { ALL_LAYERS, type UnitVerdict } from "./label-accuracy";

export interface ConceptRecallRow {
  method: string;
  layer: string;
  concepts: number;
  found: number;
  recall: number | null;
  /** ground-truth concepts of the layer the method never names correctly, sorted */
  missed: string[];
}

/** Rows per method × layer (layers in order of first appearance, then "*"), methods sorted by name. */
export function conceptRecall(verdicts: readonly UnitVerdict[]): ConceptRecallRow[] {
  const methods = [...new Set(verdicts.flatMap((v) => Object.keys(v.methods)))].sort();
  const layers = [...new Set(verdicts.map((v) => v.layer))];
  const present = new Map<string, Set<string>>();
  const found = new Map<string, Set<string>>();
  const setOf = (m: Map<string, Set<string>>, key: string) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    return s;
  };
  for (const v of verdicts) {
    for (const layer of [v.layer, ALL_LAYERS]) {
      const p = setOf(present, layer);
      for (const c of v.groundTruth) p.add(c);
      for (const [m, r] of Object.entries(v.methods))
        if (r.correct && r.label !== null && v.groundTruth.includes(r.label))
          setOf(found, `${m}\u0000${layer}`).add(r.label);
    }
  }
  const rows: ConceptRecallRow[] = [];
  for (const method of methods)
    for (const layer of [...layers, ALL_LAYERS]) {
      const p = present.get(layer) ?? new Set<string>();
      const f = found.get(`${method}\u0000${layer}`) ?? new Set<string>();
      rows.push({
        method,
        layer,
        concepts: p.size,
        found: f.size,
        recall: p.size === 0 ? null : f.size / p.size,
        missed: [...p].filter((c) => !f.has(c)).sort(),
      });
    }
  return rows;
}
