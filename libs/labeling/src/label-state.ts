// Derives a unit's label state from its annotations: UNLABELED, LABELED, or DISPUTED when two or more
// proposed/accepted annotations disagree on the label. currentLabel is the newest accepted label, else the
// newest proposed one.
import type { AnnotationStatus, LabelState } from "@mmatlas/db";

export interface AnnotationForState {
  label: string;
  status: AnnotationStatus;
  updatedAt: Date;
}

export interface UnitLabelState {
  labelState: LabelState;
  currentLabel: string | null;
}

/** Labels that differ only in case, surrounding or repeated whitespace count as the same label. */
export const normalizeLabelForComparison = (label: string): string =>
  label.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

const newestFirst = (a: AnnotationForState, b: AnnotationForState) => b.updatedAt.getTime() - a.updatedAt.getTime();

export function computeLabelState(annotations: readonly AnnotationForState[]): UnitLabelState {
  const live = annotations.filter((a) => a.status === "PROPOSED" || a.status === "ACCEPTED");
  if (live.length === 0) return { labelState: "UNLABELED", currentLabel: null };
  const distinct = new Set(live.map((a) => normalizeLabelForComparison(a.label)));
  const accepted = live.filter((a) => a.status === "ACCEPTED").sort(newestFirst);
  const current = (accepted[0] ?? [...live].sort(newestFirst)[0]).label;
  return { labelState: distinct.size >= 2 ? "DISPUTED" : "LABELED", currentLabel: current };
}
