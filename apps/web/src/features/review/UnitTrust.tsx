// The reviewer's view of one unit's labels: every candidate label with its sources, raters, net votes and
// explanation score side by side, the model's Krippendorff's α, and the trusted label with the rule's reason
// (the rule itself in the legend's tooltip, trust-view.ts).
import { LabelScoreCell } from "../units/LabelScoreCell";
import type { TrustedLabelData } from "./review-queries";
import { sourcesText, TRUST_RULE_LEGEND, trustSourceText, votesText } from "./trust-view";

const pct = (x: number | null) => (x == null ? "—" : `${Math.round(x * 100)}%`);

export function UnitTrust({ trusted }: { trusted: TrustedLabelData }) {
  return (
    <div className="review__trust" data-testid="unit-trust">
      <p className="review__trusted" data-testid="trusted-label" data-source={trusted.source}>
        <span className="muted small">Trusted label </span>(
        <abbr className="review__legend" title={TRUST_RULE_LEGEND}>
          rule
        </abbr>
        ) {trusted.label ? <strong>“{trusted.label}”</strong> : <strong className="muted">none</strong>}{" "}
        <span className={`chip review__source review__source--${trusted.source}`}>
          {trustSourceText(trusted.source)}
        </span>{" "}
        <span className="small muted">{trusted.reason}</span>
      </p>
      <table className="review__candidates small" data-testid="candidates">
        <thead>
          <tr>
            <th scope="col">Candidate label</th>
            <th scope="col">From</th>
            <th scope="col" className="num">
              Raters
            </th>
            <th scope="col" className="num">
              Votes
            </th>
            <th
              scope="col"
              className="num"
              title="detection AUROC: how well the model's own similarity with the label separates held-out activating from non-activating examples (0.5 = chance)"
            >
              Explains
            </th>
          </tr>
        </thead>
        <tbody>
          {trusted.candidates.map((c) => (
            <tr
              key={c.labelKey}
              data-testid="candidate"
              data-label-key={c.labelKey}
              className={c.label === trusted.label ? "review__candidate--trusted" : undefined}
            >
              <td>
                {c.label}
                {c.accepted ? <span className="muted"> (accepted)</span> : null}
              </td>
              <td className="muted">{sourcesText(c.sources)}</td>
              <td className="num">{c.raters}</td>
              <td className="num" data-testid="candidate-votes">
                {votesText(c.votes)}
              </td>
              <LabelScoreCell score={c.scores} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted" data-testid="unit-alpha">
        model&apos;s Krippendorff&apos;s α {trusted.alpha == null ? "undefined" : trusted.alpha.toFixed(3)} ·{" "}
        {trusted.raters} rater{trusted.raters === 1 ? "" : "s"} · majority share {pct(trusted.majorityShare)}
      </p>
    </div>
  );
}
