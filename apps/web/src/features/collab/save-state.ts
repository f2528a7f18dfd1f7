// What the annotation panel's status chip says: connecting, offline, saving, saved, denied, or read-only. A
// visitor who cannot edit (anonymous, VIEWER, read-only token) is never told "All changes saved": nothing of
// theirs is stored, so the chip says "Read-only" once the document is loaded.
export type SaveState = "connecting" | "offline" | "saving" | "saved" | "readonly" | "denied";

export interface ConnectionFacts {
  /** the server refused the document */
  denied: boolean;
  /** the websocket is connected */
  online: boolean;
  /** the provider has synced the document since it (re)connected */
  synced: boolean;
  /** the local document holds content (synced once before, or edited offline) */
  hasContent: boolean;
  /** the server did not grant read-write access */
  readOnly: boolean;
  /** every local edit is included in the server's last stored state */
  stored: boolean;
}

export function saveStateOf(f: ConnectionFacts): SaveState {
  if (f.denied) return "denied";
  if (!f.online) return f.hasContent ? "offline" : "connecting";
  if (!f.synced) return "connecting";
  if (f.readOnly) return "readonly";
  return f.stored ? "saved" : "saving";
}

export function saveStateText(state: SaveState, readOnly: boolean): string {
  switch (state) {
    case "connecting":
      return "Connecting…";
    case "offline":
      return readOnly ? "Offline: reconnecting…" : "Offline: edits kept here, they merge when the connection is back";
    case "saving":
      return "Saving…";
    case "saved":
      return "All changes saved";
    case "readonly":
      return "Read-only";
    case "denied":
      return "Not allowed to open this document";
  }
}

/** Why the panel is read-only, for the note under the header. */
export function readOnlyReason(deniedReason: string | null, signedIn: boolean): string {
  if (deniedReason) return `Read-only: ${deniedReason}`;
  return signedIn
    ? "Read-only: your role can view but not edit labels (annotators can)."
    : "Read-only: sign in as an annotator to edit.";
}
