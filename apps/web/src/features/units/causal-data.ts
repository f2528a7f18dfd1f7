// Reads the causal-effect summaries the atlas builder stores in Unit.stats.extra.causal (ablate / steer,
// each a CausalEffectSummary of @mmatlas/atlas) into chart rows; tolerant of missing or partial data.

export interface CausalRow {
  concept: string;
  ablate: number | null;
  steer: number | null;
}

interface Summary {
  entries?: { concept?: unknown; delta?: unknown }[];
}

function deltas(summary: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const entries = (summary as Summary | null)?.entries;
  if (!Array.isArray(entries)) return out;
  for (const e of entries)
    if (typeof e?.concept === "string" && typeof e.delta === "number") out.set(e.concept, e.delta);
  return out;
}

/** Rows per concept, ordered by the ablation delta (most hurt first), or [] when there is no causal data. */
export function causalRows(causal: unknown): CausalRow[] {
  if (!causal || typeof causal !== "object") return [];
  const c = causal as { ablate?: unknown; steer?: unknown };
  const ablate = deltas(c.ablate);
  const steer = deltas(c.steer);
  const concepts = [...new Set([...ablate.keys(), ...steer.keys()])];
  return concepts
    .map((concept) => ({ concept, ablate: ablate.get(concept) ?? null, steer: steer.get(concept) ?? null }))
    .sort((a, b) => (a.ablate ?? 0) - (b.ablate ?? 0));
}
