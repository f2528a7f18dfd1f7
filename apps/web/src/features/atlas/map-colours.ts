// Colours of a unit-set map's points: by label state, by concept (the top auto-label; the most common concepts get
// their own colour, the rest grey), or by a score (a blue → yellow ramp over the set's range): the auto-label's own
// score, or the detection AUROC of the unit's best-scored label.
export type MapColouring = "state" | "concept" | "score" | "labelScore";

export interface ColourablePoint {
  labelState: string;
  topAutoLabel: string | null;
  autoLabelScore: number | null;
  bestLabelScore?: number | null;
}

/** the score a score colouring reads */
export const scoreOf = (p: ColourablePoint, mode: MapColouring): number | null =>
  mode === "labelScore" ? (p.bestLabelScore ?? null) : p.autoLabelScore;

export const STATE_COLOURS: Record<string, string> = { UNLABELED: "#adb5bd", LABELED: "#2b8a3e", DISPUTED: "#f08c00" };
export const OTHER_COLOUR = "#ced4da";
const CATEGORICAL = ["#3b5bdb", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#5c940d"];

/** The `max` most frequent concepts (ties: alphabetical), each with its colour. */
export function conceptPalette(points: ColourablePoint[], max = CATEGORICAL.length): Map<string, string> {
  const counts = new Map<string, number>();
  for (const p of points) if (p.topAutoLabel) counts.set(p.topAutoLabel, (counts.get(p.topAutoLabel) ?? 0) + 1);
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, Math.min(max, CATEGORICAL.length));
  return new Map(top.map(([c], i) => [c, CATEGORICAL[i]]));
}

/** Linear blue (#3b5bdb) → yellow (#fab005) ramp at t in [0, 1]. */
export function rampColour(t: number): string {
  const c = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  const mix = (a: number, b: number) =>
    Math.round(a + (b - a) * c)
      .toString(16)
      .padStart(2, "0");
  return `#${mix(0x3b, 0xfa)}${mix(0x5b, 0xb0)}${mix(0xdb, 0x05)}`;
}

export function scoreRange(points: ColourablePoint[], mode: MapColouring = "score"): [number, number] | null {
  const s = points.map((p) => scoreOf(p, mode)).filter((v): v is number => v != null && Number.isFinite(v));
  return s.length ? [Math.min(...s), Math.max(...s)] : null;
}

export function pointColour(
  p: ColourablePoint,
  mode: MapColouring,
  palette: Map<string, string>,
  range: [number, number] | null,
): string {
  if (mode === "state") return STATE_COLOURS[p.labelState] ?? OTHER_COLOUR;
  if (mode === "concept") return (p.topAutoLabel && palette.get(p.topAutoLabel)) || OTHER_COLOUR;
  const score = scoreOf(p, mode);
  if (score == null || !range) return OTHER_COLOUR;
  return rampColour(range[1] > range[0] ? (score - range[0]) / (range[1] - range[0]) : 1);
}
