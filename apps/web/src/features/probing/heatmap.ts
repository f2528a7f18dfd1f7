// The probing heatmap's layout and colours (pure): one grid per tower, rows = probed hook points in layer order
// (the hook's own activations, then its SAEs), columns = concept families; a cell's colour is its gain over the
// chance baseline, (accuracy − chance) / (1 − chance): 0 = chance (white), 1 = perfect (deep blue), below chance red.

export interface HeatmapCellInput {
  tower: string;
  hookName: string;
  hookKind: string;
  layer: number;
  dictionary?: string | null;
  family: string;
  accuracy: number;
  chance: number;
  trainCount: number;
  testCount: number;
  classes: string[];
  pooling: string;
}

export interface HeatmapRow<C extends HeatmapCellInput> {
  key: string;
  label: string;
  layer: number;
  byFamily: Record<string, C>;
}

export interface TowerHeatmap<C extends HeatmapCellInput> {
  tower: string;
  families: string[];
  rows: HeatmapRow<C>[];
}

const FAMILY_ORDER = ["color", "shape", "size", "position", "word", "class"];
const rank = (f: string) => (FAMILY_ORDER.includes(f) ? FAMILY_ORDER.indexOf(f) : FAMILY_ORDER.length);

/** A row's short name: "L1 resid", "L0 mlp", "L1 resid · SAE topk". */
export function rowLabel(c: Pick<HeatmapCellInput, "hookKind" | "hookName" | "layer" | "dictionary">): string {
  const kind = c.hookKind === "RESID" ? "resid" : c.hookKind.startsWith("MLP") ? "mlp" : c.hookKind.toLowerCase();
  const base = `L${c.layer} ${kind}`;
  if (!c.dictionary) return base;
  const sae = c.dictionary.startsWith(`${c.hookName}.`) ? c.dictionary.slice(c.hookName.length + 1) : c.dictionary;
  return `${base} · SAE ${sae}`;
}

/** Grids per tower (vision first), rows by layer, hook, then SAE; families in the shapes world's order. */
export function heatmapsOf<C extends HeatmapCellInput>(cells: readonly C[]): TowerHeatmap<C>[] {
  const towers = [...new Set(cells.map((c) => c.tower))].sort((a, b) => (a === "VISION" ? -1 : b === "VISION" ? 1 : 0));
  return towers.map((tower) => {
    const mine = cells.filter((c) => c.tower === tower);
    const families = [...new Set(mine.map((c) => c.family))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const rows = new Map<string, HeatmapRow<C>>();
    for (const c of mine) {
      const key = `${c.hookName}\u0000${c.dictionary ?? ""}`;
      const row = rows.get(key) ?? { key, label: rowLabel(c), layer: c.layer, byFamily: {} };
      row.byFamily[c.family] = c;
      rows.set(key, row);
    }
    const sorted = [...rows.values()].sort((a, b) => {
      const [ha, da] = a.key.split("\u0000");
      const [hb, db] = b.key.split("\u0000");
      return a.layer - b.layer || ha.localeCompare(hb) || (da === "" ? -1 : db === "" ? 1 : da.localeCompare(db));
    });
    return { tower, families, rows: sorted };
  });
}

/** (accuracy − chance) / (1 − chance): 0 at chance, 1 when perfect, negative below chance; 0 when chance is 1. */
export function gainOverChance(accuracy: number, chance: number): number {
  if (chance >= 1) return 0;
  return (accuracy - chance) / (1 - chance);
}

/** Background colour of a cell: white at chance, deepening blue up to perfect, red below chance. */
export function cellColour(accuracy: number, chance: number): string {
  const g = gainOverChance(accuracy, chance);
  if (g >= 0) return `hsl(215, 70%, ${Math.round(97 - 52 * Math.min(g, 1))}%)`;
  return `hsl(0, 70%, ${Math.round(97 - 30 * Math.min(-g, 1))}%)`;
}

/** Dark cells get light text. */
export const cellTextIsLight = (accuracy: number, chance: number) => gainOverChance(accuracy, chance) > 0.6;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The cell's tooltip: accuracy, chance, gain, split sizes, classes and pooling. */
export function cellTitle(c: HeatmapCellInput): string {
  return [
    `${c.dictionary ?? c.hookName} × ${c.family}`,
    `held-out accuracy ${pct(c.accuracy)} (chance ${pct(c.chance)}, gain ${pct(gainOverChance(c.accuracy, c.chance))})`,
    `${c.trainCount} train / ${c.testCount} held-out examples, ${c.classes.length} classes: ${c.classes.join(", ")}`,
    `features: ${c.pooling === "readout" ? "read-out token (CLS / EOS)" : "mean over positions"}`,
  ].join("\n");
}
