"use client";
// A plain <input>/<textarea> bound to a Y.Text: local typing becomes the smallest splice (applyTextDiff),
// remote changes rewrite the value and move the caret through the remote delta (transformIndex), and the
// selection is published in awareness. The multiline variant draws other people's selections and carets
// on a mirror layer behind the (transparent) textarea.
import {
  applyTextDiff,
  decodeSelection,
  encodeSelection,
  selectionSegments,
  transformIndex,
  type PresenceState,
  type TextDeltaOp,
} from "@mmatlas/collab/doc";
import type { Awareness } from "y-protocols/awareness";
import { viewablePresenceUser } from "./presence-view";
import { useEffect, useRef, useState, type CSSProperties } from "react";
import type * as Y from "yjs";

interface Props {
  doc: Y.Doc;
  text: Y.Text;
  field: "label" | "description";
  awareness: Awareness | null;
  readOnly: boolean;
  multiline?: boolean;
  placeholder?: string;
  maxLength?: number;
  id?: string;
  "aria-label"?: string;
}

interface RemoteSelection {
  id: string;
  name: string;
  color: string;
  from: number;
  to: number;
  head: number;
}

export function CollabTextField({
  doc,
  text,
  field,
  awareness,
  readOnly,
  multiline,
  placeholder,
  maxLength,
  id,
  ...aria
}: Props) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const [value, setValue] = useState(() => text.toString());
  const [remote, setRemote] = useState<RemoteSelection[]>([]);
  const composing = useRef(false);

  // Y.Text → element (remote changes keep the local caret where it was relative to the text)
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.value = text.toString();
    setValue(el.value);
    const onChange = (event: Y.YTextEvent, tr: Y.Transaction) => {
      const next = text.toString();
      if (el.value === next) {
        setValue(next);
        return;
      }
      const focused = document.activeElement === el;
      const start = el.selectionStart ?? 0;
      const end = el.selectionEnd ?? 0;
      el.value = next;
      setValue(next);
      if (focused && !tr.local) {
        const delta = event.delta as TextDeltaOp[];
        el.setSelectionRange(transformIndex(start, delta), transformIndex(end, delta));
      }
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text]);

  // publish our selection while focused
  useEffect(() => {
    const el = ref.current;
    if (!el || !awareness) return;
    const publish = () => {
      if (document.activeElement !== el) return;
      const cursor = encodeSelection(text, field, el.selectionStart ?? 0, el.selectionEnd ?? 0);
      if (el.selectionDirection === "backward") [cursor.anchor, cursor.head] = [cursor.head, cursor.anchor];
      awareness.setLocalStateField("cursor", cursor);
    };
    const clear = () => {
      const current = awareness.getLocalState() as PresenceState | null;
      if (current?.cursor?.field === field) awareness.setLocalStateField("cursor", null);
    };
    document.addEventListener("selectionchange", publish);
    el.addEventListener("focus", publish);
    el.addEventListener("keyup", publish);
    el.addEventListener("blur", clear);
    return () => {
      document.removeEventListener("selectionchange", publish);
      el.removeEventListener("focus", publish);
      el.removeEventListener("keyup", publish);
      el.removeEventListener("blur", clear);
    };
  }, [awareness, text, field]);

  // others' selections in this field
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const list: RemoteSelection[] = [];
      awareness.getStates().forEach((s, clientId) => {
        const st = s as PresenceState;
        const user = viewablePresenceUser(st.user);
        if (clientId === awareness.clientID || !st.cursor || st.cursor.field !== field || !user) return;
        const range = decodeSelection(doc, text, st.cursor);
        if (!range) return;
        const head = decodeSelection(doc, text, { ...st.cursor, anchor: st.cursor.head });
        list.push({ id: String(clientId), name: user.name, color: user.color, ...range, head: head?.from ?? range.to });
      });
      setRemote(list);
    };
    update();
    awareness.on("change", update);
    text.observe(update);
    return () => {
      awareness.off("change", update);
      text.unobserve(update);
    };
  }, [awareness, doc, text, field]);

  const onInput = () => {
    const el = ref.current;
    if (!el || readOnly || composing.current) return;
    applyTextDiff(text, el.value);
  };

  const common = {
    ref,
    id,
    placeholder,
    maxLength,
    readOnly,
    "aria-label": aria["aria-label"],
    "aria-readonly": readOnly,
    "data-field": field,
    className: `collab-field${readOnly ? " collab-field--readonly" : ""}`,
    defaultValue: value,
    onInput,
    onCompositionStart: () => {
      composing.current = true;
    },
    onCompositionEnd: () => {
      composing.current = false;
      onInput();
    },
  };
  if (!multiline) {
    return (
      <div className="collab-field-wrap">
        <input {...common} type="text" autoComplete="off" spellCheck={false} />
        {remote.length > 0 && (
          <div className="collab-field-editors" aria-label="also editing">
            {remote.map((r) => (
              <span key={r.id} className="collab-editing-chip" style={{ background: r.color }}>
                {r.name}
              </span>
            ))}
          </div>
        )}
      </div>
    );
  }
  const byId = new Map(remote.map((r) => [r.id, r]));
  return (
    <div className="collab-textarea-wrap">
      <div ref={mirrorRef} className="collab-mirror" aria-hidden="true">
        {selectionSegments(value, remote).map((seg, i) => {
          const cover = seg.coveredBy.map((x) => byId.get(x)!).filter(Boolean);
          const style: CSSProperties | undefined = cover.length ? { background: `${cover[0]!.color}33` } : undefined;
          return (
            <span key={i}>
              {seg.caretsBefore.map((c) => {
                const r = byId.get(c)!;
                return (
                  <span key={c} className="collab-caret" data-user={r.name} style={{ borderColor: r.color }}>
                    <span className="collab-caret-label" style={{ background: r.color }}>
                      {r.name}
                    </span>
                  </span>
                );
              })}
              <span style={style}>{seg.text}</span>
            </span>
          );
        })}
        {"\u200b"}
      </div>
      <textarea
        {...common}
        rows={6}
        onScroll={(e) => {
          if (mirrorRef.current) mirrorRef.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
