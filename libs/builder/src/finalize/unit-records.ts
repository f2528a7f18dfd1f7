// Turns one unit set's accumulated state (plus labels, multimodal scores, causal effects) into UnitRecords
// ready for writeUnits: stats, histogram, top-k rows with per-position values, quantile rows by band.
import type { ConceptScore } from "@mmatlas/atlas";
import type { HeadState } from "../pass/head-state";
import type { UnitSetState } from "../pass/unit-set-state";
import { unitSlug, type UnitSetPlan } from "../plan/build-plan";
import { storedLabels } from "./labels";
import { leadingValues } from "./text-token-counts";
import type { TopRow, UnitRecord } from "./write-units";

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** the values of an example without per-position values (they are rounded to 6 decimals, then stored as real[]) */
const NO_VALUES = new Float32Array(0);

export interface UnitExtras {
  /** concept-share labels (the default top auto-label); absent in callers that predate the method */
  share?: ConceptScore[][] | null;
  /** Network Dissection labels (vision sets of shapes-world datasets) */
  dissection?: ConceptScore[][] | null;
  clip: ConceptScore[][] | null;
  align: ConceptScore[][] | null;
  multimodal: { score: number; concept: string | null }[] | null;
  causal: Map<number, unknown>;
  common: Record<string, unknown>;
}

/**
 * A neuron or SAE feature set's records. `tokenCounts` (text sets: Example.index → tokens up to <eos>) cuts each text
 * row's values to its tokens; the positions after them are padding, zeroed by the pass.
 */
export function neuronRecords(
  modelName: string,
  set: UnitSetPlan,
  state: UnitSetState,
  extras: UnitExtras,
  tokenCounts?: ReadonlyMap<number, number>,
): UnitRecord[] {
  const out: UnitRecord[] = [];
  const stored = (exampleIndex: number, values: Float32Array | undefined): Float32Array =>
    values ? Float32Array.from(leadingValues(values, tokenCounts?.get(exampleIndex)), r6) : NO_VALUES;
  for (let u = 0; u < set.units; u++) {
    const top = state.top.result(u);
    const stats = state.stats.result(u);
    const exclude = new Set(top.map((t) => t.exampleId));
    const bands = state.quantiles.result(u, { bands: 5, perBand: 3, exclude });
    const rows: TopRow[] = top.map((t, rank) => ({
      exampleIndex: t.exampleId,
      band: "TOP",
      bandIndex: 0,
      rank,
      maxValue: t.value,
      values: stored(t.exampleId, t.positionValues),
    }));
    for (const b of bands) {
      b.samples.forEach((s, rank) =>
        rows.push({
          exampleIndex: s.exampleId,
          band: "QUANTILE",
          bandIndex: b.band,
          rank,
          maxValue: s.value,
          values: stored(s.exampleId, s.positionValues),
        }),
      );
    }
    const labels = storedLabels(extras.clip?.[u], extras.align?.[u], extras.share?.[u], extras.dissection?.[u]);
    const mm = extras.multimodal?.[u];
    out.push({
      slug: unitSlug(modelName, set, u),
      kind: set.kind === "SAE_FEATURE" ? "SAE_FEATURE" : "NEURON",
      index: u,
      maxActivation: stats.max,
      density: stats.density,
      histogram: {
        edges: stats.edges.map(r6),
        counts: stats.counts,
        zero: stats.zero,
        negative: stats.negative,
        underflow: stats.underflow,
        overflow: stats.overflow,
        total: stats.total,
        over: "positions",
      },
      autoLabels: labels.length ? (labels as unknown as UnitRecord["autoLabels"]) : null,
      topAutoLabel:
        extras.share?.[u]?.[0]?.concept ?? extras.clip?.[u]?.[0]?.concept ?? extras.align?.[u]?.[0]?.concept ?? null,
      multimodalScore: mm ? r6(mm.score) : null,
      stats: {
        ...extras.common,
        mean: stats.mean,
        min: stats.min,
        examples: state.top.examplesCount,
        multimodalConcept: mm?.concept ?? null,
        quantileBands: bands.map((b) => ({
          band: b.band,
          lower: r6(b.lower),
          upper: r6(b.upper),
          estimatedCount: r6(b.estimatedCount),
        })),
        causal: (extras.causal.get(u) ?? null) as never,
      },
      top: rows,
    });
  }
  return out;
}

export function headRecords(
  modelName: string,
  set: UnitSetPlan,
  state: HeadState,
  common: Record<string, unknown>,
): UnitRecord[] {
  return Array.from({ length: set.units }, (_, h) => {
    const s = state.result(h);
    const round = (x: number | null) => (x === null ? null : r6(x));
    return {
      slug: unitSlug(modelName, set, h),
      kind: "ATTENTION_HEAD" as const,
      index: h,
      maxActivation: null,
      density: null,
      histogram: null,
      autoLabels: null,
      topAutoLabel: null,
      multimodalScore: null,
      stats: {
        ...common,
        head: h,
        examples: s.examples,
        toCls: round(s.toCls),
        toSelf: round(s.toSelf),
        toNeighbours: round(s.toNeighbours),
        entropy: round(s.entropy),
        crossModalMass: null,
        examplePatterns: state.patternsOf(h),
      } as never,
      top: [],
    };
  });
}
