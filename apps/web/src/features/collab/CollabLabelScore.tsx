"use client";
// The explanation score of the label being edited in the collaborative panel: follows the shared label text and
// shows its stored score (the scoring job rescores a few seconds after an edit; polled while the panel is open).
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import type * as Y from "yjs";
import { graphql } from "../../gql";
import { LabelScoreBadge } from "../units/LabelScoreCell";
import { scoreOfLabelText } from "./label-score-match";

const UNIT_LABEL_SCORES_QUERY = graphql(`
  query UnitLabelScores($id: ID!) {
    unit(id: $id) {
      id
      labelScores {
        label
        ...LabelScoreFields
      }
    }
  }
`);

/** how often the panel re-reads the scores (a rescore lands seconds after an edit) */
const POLL_MS = 10_000;

export function CollabLabelScore({ unitId, text }: { unitId: string; text: Y.Text }) {
  const [label, setLabel] = useState(() => text.toString());
  useEffect(() => {
    const update = () => setLabel(text.toString());
    update();
    text.observe(update);
    return () => text.unobserve(update);
  }, [text]);
  const [{ data }, refetch] = useQuery({ query: UNIT_LABEL_SCORES_QUERY, variables: { id: unitId } });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), POLL_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  if (!label.trim() || !data) return null;
  return (
    <span className="annotation-panel__score" data-testid="collab-label-score">
      explains: <LabelScoreBadge score={scoreOfLabelText(data.unit.labelScores, label)} />
    </span>
  );
}
