// A label's explanation score next to the label: detection AUROC (how well the model's own similarity with the
// label separates held-out activating from non-activating examples; 0.5 = chance), with balanced accuracy,
// localization, tag AUROC and sample sizes in the tooltip; "not scored" until the scoring job has run.
import type { LabelScoreData } from "./unit-query";

const fmt = (x: number | null | undefined, digits = 2) => (x == null ? "–" : x.toFixed(digits));

/** the tooltip text of a score (also read by tests) */
export function scoreTitle(s: LabelScoreData): string {
  return [
    `detection AUROC ${fmt(s.detectionAuroc)} (${s.activatingExamples} activating vs ${s.nonActivatingExamples} non-activating of ${s.heldOutExamples} held-out examples)`,
    `balanced accuracy ${fmt(s.balancedAccuracy)}`,
    `localization ρ ${fmt(s.localization)}`,
    `tag AUROC ${fmt(s.tagAuroc)}`,
    ...s.notes,
  ].join("\n");
}

/** the colour class of a detection AUROC: ≥ 0.8 good, ≥ 0.65 fair, below poor (the trust rule's thresholds) */
export function scoreTone(auroc: number | null | undefined): string {
  return auroc == null ? "muted" : auroc >= 0.8 ? "score-good" : auroc >= 0.65 ? "score-fair" : "score-poor";
}

export function LabelScoreCell({ score }: { score: LabelScoreData | null | undefined }) {
  if (!score) return <td className="num muted">not scored</td>;
  return (
    <td className={`num ${scoreTone(score.detectionAuroc)}`} title={scoreTitle(score)} data-testid="label-score">
      {fmt(score.detectionAuroc)}
    </td>
  );
}

/** the same score inline, next to a label in running text (queue chips, review proposals, annotation panel) */
export function LabelScoreBadge({ score }: { score: LabelScoreData | null | undefined }) {
  if (!score)
    return (
      <span className="label-score muted small" data-testid="label-score">
        not scored
      </span>
    );
  return (
    <span
      className={`label-score small ${scoreTone(score.detectionAuroc)}`}
      title={scoreTitle(score)}
      data-testid="label-score"
    >
      AUROC {fmt(score.detectionAuroc)}
    </span>
  );
}
