// Presence (Yjs awareness) from clients is rewritten before anyone sees it: the user fields come from the
// connection's authenticated identity (never from the client: no "admin (spoofed)"), the colour is the
// server's #rrggbb for that user, and only a well-formed, small cursor is kept; every other key is dropped.
// A clientID belongs to the connection that first used it: states for a clientID that another connection
// (on this node, or a peer node through Redis) holds are dropped. Each connection may send at most
// `awarenessPerSecond` updates per second (burst 2×); the excess is dropped (a client renews its state
// every 15 s, so the last word is never lost for long). Oversized messages are refused in size-guard.ts.
import type { Connection, Document } from "@hocuspocus/server";
import { colorForUser, type PresenceCursor, type PresenceState, type PresenceUser } from "../doc";
import type { CollabContext } from "./authenticate";
import type { CollabLimits } from "./collab-limits";

/** At most this many clientIDs per connection (a provider uses one). */
const CLIENTS_PER_CONNECTION = 4;
const CURSOR_MAX_CHARS = 1024;

/** The presence user a connection may show: its actor, or an anonymous guest. */
export function presenceUserFor(context: CollabContext | undefined, clientId: number): PresenceUser {
  const actor = context?.actor;
  const id = actor ? actor.userId : `anon-${clientId}`;
  return {
    id,
    name: actor ? actor.displayName : "Guest",
    color: colorForUser(id),
    readOnly: context?.readOnly ?? true,
  };
}

/** A cursor as the web client writes it (field + two relative positions), or null. */
export function sanitizeCursor(cursor: unknown): PresenceCursor | null {
  if (!cursor || typeof cursor !== "object") return null;
  const c = cursor as Record<string, unknown>;
  const field = c.field === "label" || c.field === "description" ? c.field : null;
  if (!field) return null;
  const isPos = (p: unknown) => p !== null && typeof p === "object" && !Array.isArray(p);
  if (!isPos(c.anchor) || !isPos(c.head)) return null;
  const kept: PresenceCursor = { field, anchor: c.anchor, head: c.head };
  return JSON.stringify(kept).length <= CURSOR_MAX_CHARS ? kept : null;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createPresenceGuard(limits: Pick<CollabLimits, "awarenessPerSecond">, now: () => number = Date.now) {
  const buckets = new WeakMap<Connection, Bucket>();
  const burst = limits.awarenessPerSecond * 2;
  const allow = (connection: Connection): boolean => {
    const t = now();
    const b = buckets.get(connection) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * limits.awarenessPerSecond);
    b.at = t;
    buckets.set(connection, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
  const mayUse = (document: Document, connection: Connection, clientId: number): boolean => {
    const mine = document.getClients(connection);
    if (mine.has(clientId)) return true;
    if (mine.size >= CLIENTS_PER_CONNECTION) return false;
    if (document.getConnections().some((c) => c !== connection && document.getClients(c).has(clientId))) return false;
    return !document.awareness.getStates().has(clientId); // held by a peer node's client (or not yet removed)
  };
  return {
    /** Rewrites (in place) the states of one inbound awareness update from `connection`. */
    sanitize(
      states: Map<number, Record<string, unknown>>,
      document: Document,
      connection: Connection | undefined,
      context: CollabContext | undefined,
    ): void {
      if (!connection) return; // relayed from a peer node (already sanitized there) or the server's own
      if (!allow(connection)) {
        states.clear();
        return;
      }
      for (const [clientId, state] of [...states]) {
        if (!mayUse(document, connection, clientId)) {
          states.delete(clientId);
          continue;
        }
        if (state == null || Object.keys(state).length === 0) continue; // going offline
        const next: PresenceState = { user: presenceUserFor(context, clientId), cursor: sanitizeCursor(state.cursor) };
        states.set(clientId, next as Record<string, unknown>);
      }
    },
  };
}
