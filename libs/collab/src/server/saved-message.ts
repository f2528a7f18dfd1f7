// The stateless message the server broadcasts after storing a document: the stored Yjs state vector, so
// each client can tell whether everything it wrote is in the database ("saved") or not yet.
import * as Y from "yjs";

export const SAVED_MESSAGE_TYPE = "saved";

export function savedMessage(stateVector: Uint8Array): string {
  return JSON.stringify({ type: SAVED_MESSAGE_TYPE, stateVector: Buffer.from(stateVector).toString("base64") });
}

/** The stored state vector from a "saved" payload; null for anything else. */
export function parseSavedMessage(payload: string): Map<number, number> | null {
  try {
    const msg = JSON.parse(payload) as { type?: unknown; stateVector?: unknown };
    if (msg.type !== SAVED_MESSAGE_TYPE || typeof msg.stateVector !== "string") return null;
    return Y.decodeStateVector(new Uint8Array(Buffer.from(msg.stateVector, "base64")));
  } catch {
    return null;
  }
}
