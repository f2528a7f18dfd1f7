// The labelling-method table of `npm run eval:methods`: every method × layer (and "*" = all layers) with
// labelAccuracy's precision and coverage and conceptRecall's recall (both @mmatlas/atlas), from units whose
// labels come from any method (stored auto-labels, the best label by explanation score, trusted labels).
//   precision  correct / labeled                 (among units with ground truth, i.e. monosemantic)
//   coverage   labeled / monosemantic            (share of the judgeable units the method gives a label)
//   labeledAll units of the layer the method gives a label, monosemantic or not (coverage of all units)
//   recall     found / concepts                  (ground-truth concepts of the layer named correctly for ≥ 1 unit)
import {
  ALL_LAYERS,
  conceptRecall,
  labelAccuracy,
  type LabelAccuracyOptions,
  type LabelEvalUnit,
} from "@mmatlas/atlas";

export interface MethodTableRow {
  method: string;
  layer: string;
  units: number;
  monosemantic: number;
  labeled: number;
  correct: number;
  /** units with a label from the method, judgeable or not */
  labeledAll: number;
  precision: number | null;
  coverage: number | null;
  /** ground-truth concepts of the layer / those the method names correctly for at least one unit */
  concepts: number;
  found: number;
  recall: number | null;
  missed: string[];
}

/**
 * One row per method × layer (layers in first-seen order, then "*"); methods in `order` first (those present),
 * then the others by name.
 */
export function methodTable(
  units: readonly LabelEvalUnit[],
  options: LabelAccuracyOptions & { order?: readonly string[] } = {},
): MethodTableRow[] {
  const { rows, verdicts } = labelAccuracy(units, options);
  const recall = new Map(conceptRecall(verdicts).map((r) => [`${r.method}\u0000${r.layer}`, r]));
  const labeledAll = new Map<string, number>();
  for (const v of verdicts)
    for (const [m, r] of Object.entries(v.methods))
      if (r.label !== null)
        for (const layer of [v.layer, ALL_LAYERS])
          labeledAll.set(`${m}\u0000${layer}`, (labeledAll.get(`${m}\u0000${layer}`) ?? 0) + 1);
  const order = options.order ?? [];
  const rank = (m: string) => (order.includes(m) ? order.indexOf(m) : order.length);
  const methods = [...new Set(rows.map((r) => r.method))].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return methods.flatMap((method) =>
    rows
      .filter((r) => r.method === method)
      .map((r) => {
        const c = recall.get(`${r.method}\u0000${r.layer}`)!;
        return {
          method: r.method,
          layer: r.layer,
          units: r.units,
          monosemantic: r.monosemantic,
          labeled: r.labeled,
          correct: r.correct,
          labeledAll: labeledAll.get(`${r.method}\u0000${r.layer}`) ?? 0,
          precision: r.precision,
          coverage: r.coverage,
          concepts: c.concepts,
          found: c.found,
          recall: c.recall,
          missed: c.missed,
        };
      }),
  );
}

export interface LabelError {
  /** the unit's most shared ground-truth concept */
  truth: string;
  label: string;
  units: number;
}

/** Per method, its most frequent wrong labels on monosemantic units (truth → label), most units first. */
export function commonLabelErrors(
  units: readonly LabelEvalUnit[],
  options: LabelAccuracyOptions = {},
  top = 5,
): Record<string, LabelError[]> {
  const counts = new Map<string, Map<string, LabelError>>();
  for (const v of labelAccuracy(units, options).verdicts)
    for (const [m, r] of Object.entries(v.methods)) {
      if (r.correct !== false || r.label === null) continue;
      const byPair = counts.get(m) ?? new Map<string, LabelError>();
      counts.set(m, byPair);
      const key = `${v.groundTruth[0]}\u0000${r.label}`;
      const e = byPair.get(key) ?? { truth: v.groundTruth[0], label: r.label, units: 0 };
      e.units++;
      byPair.set(key, e);
    }
  const out: Record<string, LabelError[]> = {};
  for (const [m, byPair] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1)))
    out[m] = [...byPair.values()]
      .sort((a, b) => b.units - a.units || (a.truth + a.label < b.truth + b.label ? -1 : 1))
      .slice(0, top);
  return out;
}

const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);

/** The table as printed by the script (fixed-width columns). */
export function formatMethodTable(rows: readonly MethodTableRow[]): string {
  const mw = Math.max(6, ...rows.map((r) => r.method.length));
  const lw = Math.max(5, ...rows.map((r) => (r.layer === ALL_LAYERS ? "all layers" : r.layer).length));
  const head = `${"method".padEnd(mw)} ${"layer".padEnd(lw)} ${"units".padStart(5)} ${"mono".padStart(5)} ${"labeled".padStart(7)} ${"correct".padStart(7)} ${"precision".padStart(9)} ${"coverage".padStart(8)} ${"of all".padStart(6)} ${"concepts".padStart(8)} ${"recall".padStart(14)}`;
  const lines = rows.map(
    (r) =>
      `${r.method.padEnd(mw)} ${(r.layer === ALL_LAYERS ? "all layers" : r.layer).padEnd(lw)} ${String(r.units).padStart(5)} ${String(r.monosemantic).padStart(5)} ${String(r.labeled).padStart(7)} ${String(r.correct).padStart(7)} ${pct(r.precision).padStart(9)} ${pct(r.coverage).padStart(8)} ${pct(r.units ? r.labeledAll / r.units : null).padStart(6)} ${String(r.concepts).padStart(8)} ${`${pct(r.recall)} (${r.found})`.padStart(14)}`,
  );
  return [head, "-".repeat(head.length), ...lines].join("\n");
}
