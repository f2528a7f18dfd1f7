// Reads back the JSON a build stores on a unit (Unit.histogram from unit-records.ts, Unit.autoLabels from
// labels.ts' storedLabels) for readers such as the API, skipping anything malformed rather than failing the unit.

export interface Histogram {
  edges: number[];
  counts: number[];
}
export interface AutoLabel {
  label: string;
  score: number;
  method: string | null;
}

const numbers = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === "number") ? v : null);

/** The stored histogram JSON as { edges, counts }, or null when absent or malformed. */
export function histogramOf(json: unknown): Histogram | null {
  if (!json || typeof json !== "object") return null;
  const { edges, counts } = json as { edges?: unknown; counts?: unknown };
  const e = numbers(edges),
    c = numbers(counts);
  return e && c ? { edges: e, counts: c } : null;
}

/** The stored auto-labels JSON as a list, best score first; malformed entries are skipped. */
export function autoLabelsOf(json: unknown): AutoLabel[] {
  if (!Array.isArray(json)) return [];
  return json
    .filter(
      (x): x is { label: string; score: number; method?: unknown } =>
        !!x && typeof x.label === "string" && typeof x.score === "number",
    )
    .map((x) => ({ label: x.label, score: x.score, method: typeof x.method === "string" ? x.method : null }))
    .sort((a, b) => b.score - a.score);
}
