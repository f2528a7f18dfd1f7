// Reading the explanation scores of labels (LabelScore rows, written by @mmatlas/builder's SCORE_LABELS jobs):
// a unit's scores, the score of one label of a unit (matched by labelKey), and the rule that picks a unit's
// best label.
import { labelKey } from "@mmatlas/atlas";
import type { LabelScore, PrismaClient, Unit } from "@mmatlas/db";

/** Scores of the units, grouped in the order of `unitIds` (each best detection AUROC first). */
export async function labelScoresOfUnits(
  prisma: Pick<PrismaClient, "labelScore">,
  unitIds: readonly string[],
): Promise<LabelScore[][]> {
  const rows = await prisma.labelScore.findMany({
    where: { unitId: { in: [...unitIds] } },
    orderBy: [{ detectionAuroc: { sort: "desc", nulls: "last" } }, { labelKey: "asc" }],
  });
  const by = new Map<string, LabelScore[]>(unitIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.unitId)?.push(r);
  return unitIds.map((id) => by.get(id)!);
}

/** The score of `label` among a unit's scores (null: not scored yet). */
export function scoreOfLabel(scores: readonly LabelScore[], label: string): LabelScore | null {
  const key = labelKey(label);
  return scores.find((s) => s.labelKey === key) ?? null;
}

export interface BestLabel {
  label: string;
  /** "score": the best-scored label; "current": the accepted / latest annotation (unscored); "auto": the top auto-label (unscored) */
  basis: "score" | "current" | "auto";
  score: number | null;
}

/**
 * The unit's best label: the label with the highest detection AUROC among its auto-labels and proposed or
 * accepted annotations (Unit.bestScoredLabel, kept by the scoring job); while none is scored, today's label:
 * the current (accepted, else latest) annotation label, else the top auto-label. Null when the unit has none.
 */
export function bestLabelOf(
  unit: Pick<Unit, "bestScoredLabel" | "bestLabelScore" | "currentLabel" | "topAutoLabel">,
): BestLabel | null {
  if (unit.bestScoredLabel != null && unit.bestLabelScore != null)
    return { label: unit.bestScoredLabel, basis: "score", score: unit.bestLabelScore };
  if (unit.currentLabel) return { label: unit.currentLabel, basis: "current", score: null };
  if (unit.topAutoLabel) return { label: unit.topAutoLabel, basis: "auto", score: null };
  return null;
}
