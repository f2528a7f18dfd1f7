"use client";
// Tags of the shared document (Y.Array<string>): chips with remove buttons and an input that adds on Enter.
import { addTag, removeTag } from "@mmatlas/collab/doc";
import { useEffect, useState } from "react";
import type * as Y from "yjs";

export function TagEditor({ tags, readOnly }: { tags: Y.Array<string>; readOnly: boolean }) {
  const [list, setList] = useState<string[]>(() => tags.toArray());
  const [draft, setDraft] = useState("");
  useEffect(() => {
    const update = () => setList(tags.toArray());
    update();
    tags.observe(update);
    return () => tags.unobserve(update);
  }, [tags]);
  return (
    <div className="tag-editor">
      <ul className="tag-list" aria-label="tags">
        {list.map((t) => (
          <li key={t} className="tag-chip">
            {t}
            {!readOnly && (
              <button type="button" aria-label={`remove tag ${t}`} onClick={() => removeTag(tags, t)}>
                ×
              </button>
            )}
          </li>
        ))}
        {list.length === 0 && <li className="muted">no tags</li>}
      </ul>
      {!readOnly && (
        <input
          className="tag-input"
          aria-label="add tag"
          placeholder="add tag, Enter"
          value={draft}
          maxLength={40}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              if (addTag(tags, draft)) setDraft("");
            }
          }}
        />
      )}
    </div>
  );
}
