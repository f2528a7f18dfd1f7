"use client";
// Confidence (0–1 slider, or unset) and workflow status of the shared document (its "meta" Y.Map).
// Accept/reject are offered to reviewers only; the server reverts a status change it does not allow.
import { COLLAB_STATUSES, type CollabStatus } from "@mmatlas/collab/doc";
import { useEffect, useState } from "react";
import type * as Y from "yjs";

export function MetaFields({
  meta,
  readOnly,
  canReview,
}: {
  meta: Y.Map<unknown>;
  readOnly: boolean;
  canReview: boolean;
}) {
  const read = () => ({
    confidence: typeof meta.get("confidence") === "number" ? (meta.get("confidence") as number) : null,
    status: (COLLAB_STATUSES as readonly string[]).includes(meta.get("status") as string)
      ? (meta.get("status") as CollabStatus)
      : "DRAFT",
  });
  const [v, setV] = useState(read);
  useEffect(() => {
    const update = () => setV(read());
    update();
    meta.observe(update);
    return () => meta.unobserve(update);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta]);
  const allowed: readonly CollabStatus[] = canReview ? COLLAB_STATUSES : ["DRAFT", "PROPOSED"];
  return (
    <div className="meta-fields">
      <label className="field">
        <span>
          Confidence{" "}
          {v.confidence == null ? (
            <em className="muted">unset</em>
          ) : (
            <strong data-testid="confidence-value">{v.confidence.toFixed(2)}</strong>
          )}
        </span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          aria-label="confidence"
          disabled={readOnly}
          value={v.confidence ?? 0.5}
          onChange={(e) => meta.set("confidence", Number(e.target.value))}
        />
      </label>
      <label className="field">
        <span>Status</span>
        <select
          aria-label="status"
          disabled={readOnly}
          value={v.status}
          onChange={(e) => meta.set("status", e.target.value)}
        >
          {COLLAB_STATUSES.map((s) => (
            <option key={s} value={s} disabled={!allowed.includes(s) && s !== v.status}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
