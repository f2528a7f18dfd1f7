"use client";
// Opens a unit's collaborative Yjs document over Hocuspocus (/collab on the API server) and tracks what the
// panel shows about it: connection, read-only scope, and whether every local edit is stored in the
// database (the server broadcasts a "saved" message with the stored state vector after each store); the
// chip's state itself is decided by save-state.ts.
// The Y.Doc lives as long as the panel: edits made while offline stay in it and merge on reconnect.
import { HocuspocusProvider, WebSocketStatus } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import * as Y from "yjs";
import { saveStateOf, type SaveState } from "./save-state";
import { parseSavedMessage, isStateSaved } from "./saved-state";

export type { SaveState } from "./save-state";

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
  const [state, setState] = useState<CollabDocumentState>({
    doc: null,
    provider: null,
    readOnly: true,
    synced: false,
    saveState: "connecting",
    deniedReason: null,
  });

  useEffect(() => {
    const doc = new Y.Doc();
    let savedVector: Map<number, number> = new Map();
    let online = false;
    let denied: string | null = null;
    const provider = new HocuspocusProvider({ url: collabUrl, name: unitId, document: doc, token: token ?? "" });

    const readOnly = () => denied !== null || provider.authorizedScope !== "read-write";
    const saveState = (): SaveState =>
      saveStateOf({
        denied: denied !== null,
        online,
        synced: provider.synced,
        hasContent: provider.synced || doc.store.clients.size > 0,
        readOnly: readOnly(),
        stored: isStateSaved(doc, savedVector) && !provider.hasUnsyncedChanges,
      });
    const refresh = () =>
      setState({
        doc,
        provider,
        readOnly: readOnly(),
        synced: provider.synced,
        saveState: saveState(),
        deniedReason: denied,
      });

    provider.on("status", ({ status }: { status: WebSocketStatus }) => {
      online = status === WebSocketStatus.Connected;
      refresh();
    });
    provider.on("synced", refresh);
    provider.on("authenticated", refresh);
    provider.on("authenticationFailed", ({ reason }: { reason: string }) => {
      denied = reason || "permission denied";
      refresh();
    });
    provider.on("unsyncedChanges", refresh);
    provider.on("stateless", ({ payload }: { payload: string }) => {
      const saved = parseSavedMessage(payload);
      if (saved) {
        savedVector = saved;
        refresh();
      }
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
