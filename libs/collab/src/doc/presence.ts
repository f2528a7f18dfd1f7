// Presence (Yjs awareness) state each client publishes: who it is (name + colour) and, while it edits a
// text field, its selection as Yjs relative positions, so it stays attached to the text others change.
import * as Y from "yjs";

export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  readOnly?: boolean;
}

export interface PresenceCursor {
  field: "label" | "description";
  anchor: unknown; // Y.RelativePosition JSON
  head: unknown;
}

export interface PresenceState {
  user?: PresenceUser;
  cursor?: PresenceCursor | null;
}

const PALETTE = [
  "#e6194b",
  "#3cb44b",
  "#4363d8",
  "#f58231",
  "#911eb4",
  "#1a9e9e",
  "#c2185b",
  "#6d8c00",
  "#8d6e63",
  "#5c6bc0",
];

/** A stable colour per user id (simple string hash into a fixed palette). */
export function colorForUser(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Initials for an avatar: first letters of the first two words ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join("") || "?"
  );
}

export function encodeSelection(
  text: Y.Text,
  field: PresenceCursor["field"],
  anchor: number,
  head: number,
): PresenceCursor {
  return {
    field,
    anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, anchor)),
    head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, head)),
  };
}

/** The absolute [from, to] range of a remote selection in `text`, or null when it cannot be resolved. */
export function decodeSelection(doc: Y.Doc, text: Y.Text, cursor: PresenceCursor): { from: number; to: number } | null {
  try {
    const a = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.anchor), doc);
    const h = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.head), doc);
    if (!a || !h || a.type !== text || h.type !== text) return null;
    return { from: Math.min(a.index, h.index), to: Math.max(a.index, h.index) };
  } catch {
    return null;
  }
}
