// "Saved" means stored in the database, not just received: after each store the server broadcasts
// {"type":"saved","stateVector":"<base64 Yjs state vector>"}; this client's edits are saved when the
// stored vector includes everything this client wrote (its own clock).
import * as Y from "yjs";

export const SAVED_MESSAGE_TYPE = "saved";

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The stored state vector from a server "saved" message, or null for any other stateless payload. */
export function parseSavedMessage(payload: string): Map<number, number> | null {
  try {
    const msg = JSON.parse(payload) as { type?: unknown; stateVector?: unknown };
    if (msg.type !== SAVED_MESSAGE_TYPE || typeof msg.stateVector !== "string") return null;
    return Y.decodeStateVector(base64ToBytes(msg.stateVector));
  } catch {
    return null;
  }
}

/** True when every change this client made to `doc` is included in `storedVector`. */
export function isStateSaved(doc: Y.Doc, storedVector: Map<number, number>): boolean {
  const mine = Y.getState(doc.store, doc.clientID);
  return mine === 0 || (storedVector.get(doc.clientID) ?? 0) >= mine;
}
