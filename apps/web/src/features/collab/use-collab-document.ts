"use client";
// Opens a unit's collaborative Yjs document over Hocuspocus (/collab on the API server) and tracks what the
// panel shows about it: connection, read-only scope, and whether every local edit is stored in the
// database (the server broadcasts a "saved" message with the stored state vector after each store).
// The Y.Doc lives as long as the panel: edits made while offline stay in it and merge on reconnect.
import { HocuspocusProvider, WebSocketStatus } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import * as Y from "yjs";
import { parseSavedMessage, isStateSaved } from "./saved-state";

export type SaveState = "connecting" | "offline" | "saving" | "saved" | "denied";

export interface CollabDocumentState {
  doc: Y.Doc | null;
  provider: HocuspocusProvider | null;
  /** the server's verdict: false until authenticated as read-write */
  readOnly: boolean;
  synced: boolean;
  saveState: SaveState;
  /** why the server refused the connection, if it did */
  deniedReason: string | null;
}

export function useCollabDocument(collabUrl: string, unitId: string, token: string | null): CollabDocumentState {
  const [state, setState] = useState<CollabDocumentState>({ doc: null, provider: null, readOnly: true, synced: false, saveState: "connecting", deniedReason: null });

  useEffect(() => {
    const doc = new Y.Doc();
    let savedVector: Map<number, number> = new Map();
    let online = false;
    let denied: string | null = null;
    const provider = new HocuspocusProvider({ url: collabUrl, name: unitId, document: doc, token: token ?? "" });

    const saveState = (): SaveState => {
      if (denied) return "denied";
      if (!online) return provider.synced || doc.store.clients.size ? "offline" : "connecting";
      if (!provider.synced) return "connecting";
      return isStateSaved(doc, savedVector) && !provider.hasUnsyncedChanges ? "saved" : "saving";
    };
    const refresh = () => setState({
      doc, provider, readOnly: denied !== null || provider.authorizedScope !== "read-write",
      synced: provider.synced, saveState: saveState(), deniedReason: denied,
    });

    provider.on("status", ({ status }: { status: WebSocketStatus }) => { online = status === WebSocketStatus.Connected; refresh(); });
    provider.on("synced", refresh);
    provider.on("authenticated", refresh);
    provider.on("authenticationFailed", ({ reason }: { reason: string }) => { denied = reason || "permission denied"; refresh(); });
    provider.on("unsyncedChanges", refresh);
    provider.on("stateless", ({ payload }: { payload: string }) => {
      const saved = parseSavedMessage(payload);
      if (saved) { savedVector = saved; refresh(); }
    });
    const onUpdate = () => refresh();
    doc.on("update", onUpdate);
    refresh();
    return () => {
      doc.off("update", onUpdate);
      provider.destroy();
      doc.destroy();
    };
  }, [collabUrl, unitId, token]);

  return state;
}
