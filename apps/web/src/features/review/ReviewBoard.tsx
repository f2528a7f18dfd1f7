"use client";
// Review board for REVIEWERs: the project-level agreement (Krippendorff's α over annotators' labels), then
// proposed labels grouped by unit with that unit's agreement, each accepted or rejected with one click; per unit,
// every candidate label with votes, raters and explanation score, and the trusted label (UnitTrust).
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { LabelScoreBadge } from "../units/LabelScoreCell";
import { REVIEW_DECISION_MUTATION, REVIEW_QUERY, type ProposedAnnotation } from "./review-queries";
import { UnitTrust } from "./UnitTrust";
import "../units/units.css";
import "./review.css";

const pct = (x: number | null) => (x == null ? "—" : `${Math.round(x * 100)}%`);

export function ReviewBoard() {
  const [{ data, error }, refetch] = useQuery({
    query: REVIEW_QUERY,
    variables: { first: 100 },
    requestPolicy: "network-only",
  });
  const [, decide] = useMutation(REVIEW_DECISION_MUTATION);
  const [problem, setProblem] = useState<string | null>(null);

  if (error && !data)
    return (
      <p className="form-error" role="alert">
        {error.message}
      </p>
    );
  if (!data)
    return (
      <p className="muted" role="status">
        Loading proposals…
      </p>
    );

  const byUnit = new Map<string, ProposedAnnotation[]>();
  for (const { node } of data.annotations.edges) byUnit.set(node.unit.id, [...(byUnit.get(node.unit.id) ?? []), node]);

  const act = async (a: ProposedAnnotation, status: "ACCEPTED" | "REJECTED") => {
    setProblem(null);
    const r = await decide({ input: { id: a.id, version: a.version, status } });
    if (r.error) setProblem(r.error.graphQLErrors.map((e) => e.message).join("; ") || r.error.message);
    refetch({ requestPolicy: "network-only" });
  };

  const ag = data.labelAgreement;
  return (
    <div className="review">
      <h1>Review</h1>
      <section className="card agreement" data-testid="project-agreement">
        <div className="agreement__figure">
          <span className="agreement__value" data-testid="alpha">
            {ag.alpha == null ? "—" : ag.alpha.toFixed(3)}
          </span>
          <span className="muted small">Krippendorff&apos;s α (nominal)</span>
        </div>
        <dl className="facts">
          <div>
            <dt>Units with ≥ 2 raters</dt>
            <dd>{ag.unitsWithOverlap}</dd>
          </div>
          <div>
            <dt>Rated units</dt>
            <dd>{ag.ratedUnits}</dd>
          </div>
          <div>
            <dt>Annotators</dt>
            <dd>{ag.annotators}</dd>
          </div>
          <div>
            <dt>Mean pairwise agreement</dt>
            <dd>{pct(ag.meanPairwiseAgreement)}</dd>
          </div>
        </dl>
        <p className="muted small agreement__note">
          Over each annotator&apos;s newest proposed or accepted label per unit, compared ignoring case and spacing.
          {ag.alpha == null ? " α needs at least two annotators labeling the same units with some variation." : ""}
        </p>
      </section>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <h2>
        Proposed labels <span className="muted small">({data.annotations.totalCount})</span>
      </h2>
      {byUnit.size === 0 ? (
        <p className="notice muted" data-testid="review-empty">
          No proposals waiting for review.
        </p>
      ) : (
        <ul className="review__units">
          {[...byUnit.values()].map((group) => {
            const u = group[0].unit;
            return (
              <li key={u.id} className="card review__unit" data-testid="review-unit">
                <div className="review__unit-head">
                  <Link href={`/units/${encodeURIComponent(u.id)}`}>
                    <strong>
                      {u.kind.toLowerCase().replace("_", " ")} #{u.index}
                    </strong>
                  </Link>
                  <span className="muted small">
                    <code>{u.hookPoint.name}</code> · {u.model.displayName}
                  </span>
                  <span className={`state state--${u.labelState.toLowerCase()}`}>{u.labelState.toLowerCase()}</span>
                  <span className="small review__unit-agreement" data-testid="unit-agreement">
                    {u.labelAgreement.raters} rater{u.labelAgreement.raters === 1 ? "" : "s"}
                    {u.labelAgreement.pairwiseAgreement != null ? (
                      <> · agreement {pct(u.labelAgreement.pairwiseAgreement)}</>
                    ) : null}
                    {u.labelAgreement.majorityLabel && u.labelAgreement.raters > 1 ? (
                      <>
                        {" "}
                        · majority “{u.labelAgreement.majorityLabel}” ({pct(u.labelAgreement.majorityShare)})
                      </>
                    ) : null}
                  </span>
                </div>
                <UnitTrust trusted={u.trustedLabel} />
                <ul className="review__proposals">
                  {group.map((a) => (
                    <li key={a.id} className="review__proposal" data-testid="proposal">
                      <div>
                        <strong>{a.label}</strong> <LabelScoreBadge score={a.scores} />{" "}
                        <span className="muted small">
                          by {a.author.displayName} · votes {a.voteScore >= 0 ? `+${a.voteScore}` : a.voteScore}
                        </span>
                        {a.description ? <p className="small muted review__description">{a.description}</p> : null}
                      </div>
                      <div className="review__actions">
                        <button
                          type="button"
                          className="button button--small button--accept"
                          onClick={() => act(a, "ACCEPTED")}
                        >
                          Accept
                        </button>
                        <button
                          type="button"
                          className="button button--small button--danger"
                          onClick={() => act(a, "REJECTED")}
                        >
                          Reject
                        </button>
                      </div>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
