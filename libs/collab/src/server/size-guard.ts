// Size limits on what clients send (CollabLimits): one sync message at most maxUpdateBytes, any other
// message (awareness, stateless) at most maxAwarenessBytes, and no update that would grow a document's
// encoded state past maxDocumentBytes. The document's size is tracked as an upper bound (the stored size
// plus every accepted update); only when that bound passes the limit is the exact merged size computed.
import * as Y from "yjs";
import type { CollabLimits } from "./collab-limits";
import { tooLarge } from "./refusal";

const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** Reads a lib0 varUint at `pos`: [value, next position]. */
function varUint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  for (let shift = 0; pos < bytes.length && shift < 35; shift += 7) {
    const b = bytes[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
  }
  return [-1, pos];
}

/** The Hocuspocus message type of a raw message (after its varString document name); -1 when malformed. */
export function messageType(raw: Uint8Array): number {
  const [nameLength, at] = varUint(raw, 0);
  return nameLength < 0 ? -1 : varUint(raw, at + nameLength)[0];
}

/** Throws a CollabRefusal when one raw Hocuspocus message is over its limit. */
export function checkMessageSize(raw: Uint8Array, limits: CollabLimits): void {
  const type = messageType(raw);
  if (type === MESSAGE_SYNC) {
    if (raw.byteLength > limits.maxUpdateBytes)
      throw tooLarge(`update of ${raw.byteLength} bytes is over ${limits.maxUpdateBytes} (COLLAB_MAX_UPDATE_BYTES)`);
  } else if (raw.byteLength > limits.maxAwarenessBytes) {
    throw tooLarge(
      `message of ${raw.byteLength} bytes is over ${limits.maxAwarenessBytes} (COLLAB_MAX_AWARENESS_BYTES)`,
    );
  }
}

/** Per loaded document: an upper bound of its encoded size; refuses updates that would pass maxDocumentBytes. */
export function createDocumentSizeGuard(limits: CollabLimits) {
  const bounds = new Map<string, number>();
  return {
    /** after loading: the exact size */
    loaded(name: string, doc: Y.Doc) {
      bounds.set(name, Y.encodeStateAsUpdate(doc).byteLength);
    },
    unloaded(name: string) {
      bounds.delete(name);
    },
    /** before a client's sync step 2 / update is applied; throws a CollabRefusal when it would pass the limit */
    check(name: string, doc: Y.Doc, syncType: number, payload: Uint8Array) {
      if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return;
      let bound = (bounds.get(name) ?? 0) + payload.byteLength;
      if (bound > limits.maxDocumentBytes) {
        bound = Y.mergeUpdates([Y.encodeStateAsUpdate(doc), payload]).byteLength; // exact, only near the limit
        if (bound > limits.maxDocumentBytes)
          throw tooLarge(
            `document would be ${bound} bytes, over ${limits.maxDocumentBytes} (COLLAB_MAX_DOCUMENT_BYTES)`,
          );
      }
      bounds.set(name, bound);
    },
    bound: (name: string) => bounds.get(name),
  };
}
