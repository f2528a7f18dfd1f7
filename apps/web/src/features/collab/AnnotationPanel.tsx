"use client";
// The live co-labeling panel of a unit page: the unit's shared Yjs document (label, description, tags,
// confidence, status) edited by everyone on the unit at once, who is here (avatars + their selections in
// the description), whether your edits are stored, read-only mode for viewers, and live votes/comments; the
// label's explanation score next to it (CollabLabelScore).
import { annotationFields, colorForUser, FIELD_MAX } from "@mmatlas/collab/doc";
import { useEffect, useMemo } from "react";
import { useQuery } from "urql";
import { useApiUrl } from "../../components/api-provider";
import { useSessionToken } from "../auth/session-store";
import { CollabLabelScore } from "./CollabLabelScore";
import { CollabTextField } from "./CollabTextField";
import { collabUrlFromApiUrl } from "./collab-url";
import { Discussion } from "./Discussion";
import { ME_QUERY } from "./discussion-queries";
import { MetaFields } from "./MetaFields";
import { PresenceAvatars } from "./PresenceAvatars";
import { TagEditor } from "./TagEditor";
import { readOnlyReason, saveStateText } from "./save-state";
import { useCollabDocument } from "./use-collab-document";
import "./annotation-panel.css";

export function AnnotationPanel({ unitId }: { unitId: string }) {
  const apiUrl = useApiUrl();
  const token = useSessionToken();
  const collabUrl = useMemo(
    () => collabUrlFromApiUrl(apiUrl, typeof window === "undefined" ? "http://localhost/" : window.location.href),
    [apiUrl],
  );
  const [{ data: meData }] = useQuery({ query: ME_QUERY, pause: !token });
  const me = token ? (meData?.me ?? null) : null;
  const { doc, provider, readOnly, saveState, deniedReason } = useCollabDocument(collabUrl, unitId, token);
  const awareness = provider?.awareness ?? null;
  const fields = useMemo(() => (doc ? annotationFields(doc) : null), [doc]);

  useEffect(() => {
    if (!awareness) return;
    const id = me?.id ?? `anon-${awareness.clientID}`;
    awareness.setLocalStateField("user", { id, name: me?.displayName ?? "Guest", color: colorForUser(id), readOnly });
  }, [awareness, me?.id, me?.displayName, readOnly]);

  const canReview = me?.role === "REVIEWER" || me?.role === "ADMIN";
  return (
    <section className="annotation-panel" aria-label="annotation" data-readonly={readOnly} data-save-state={saveState}>
      <header className="annotation-panel__header">
        <h2>Annotation</h2>
        <PresenceAvatars awareness={awareness} />
        <span className={`save-state save-state--${saveState}`} role="status" data-testid="save-state">
          {saveStateText(saveState, readOnly)}
        </span>
      </header>
      {readOnly && saveState !== "connecting" && (
        <p className="readonly-note" data-testid="readonly-note">
          {readOnlyReason(deniedReason, Boolean(token))}
        </p>
      )}
      {doc && fields ? (
        <div className="annotation-panel__body">
          <label className="field" htmlFor={`label-${unitId}`}>
            <span>Label</span> <CollabLabelScore unitId={unitId} text={fields.label} />
          </label>
          <CollabTextField
            id={`label-${unitId}`}
            aria-label="label"
            doc={doc}
            text={fields.label}
            field="label"
            awareness={awareness}
            readOnly={readOnly}
            placeholder="short name for what this unit detects"
            maxLength={FIELD_MAX.label}
          />
          <label className="field" htmlFor={`description-${unitId}`}>
            <span>Description</span>
          </label>
          <CollabTextField
            id={`description-${unitId}`}
            aria-label="description"
            doc={doc}
            text={fields.description}
            field="description"
            awareness={awareness}
            readOnly={readOnly}
            multiline
            placeholder="evidence, caveats, examples"
            maxLength={FIELD_MAX.description}
          />
          <span className="field">
            <span>Tags</span>
          </span>
          <TagEditor tags={fields.tags} readOnly={readOnly} />
          <MetaFields meta={fields.meta} readOnly={readOnly} canReview={canReview && !readOnly} />
        </div>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <Discussion unitId={unitId} canWrite={!!me && me.role !== "VIEWER"} />
    </section>
  );
}
