// Hocuspocus (Yjs) server for live co-labeling, transport-agnostic: the API hands it WebSockets from its
// upgrade router. Document name = unit id. onAuthenticate: session or API token (@mmatlas/auth); VIEWERs
// and tokens without ANNOTATE are read-only (the server drops their writes). Storage: the full Yjs state
// in CollabDocument (debounced; immediately when the last client leaves; all documents on close()), then
// projected into the unit's collaborative Annotation row (@mmatlas/labeling) and announced on the PubSub.
// After each store every client gets a "saved" message with the stored state vector. With a PubSub, a
// collaborative row changed over GraphQL (edit, accept/reject) is written back into the open document.
// With `redis`, @hocuspocus/extension-redis fans document and awareness updates out between API nodes.
// Guards (CollabLimits, from COLLAB_* env unless given): message and document sizes (size-guard.ts), label
// and description lengths inside the document (field-limits.ts), and presence rewritten from the
// authenticated identity, with clientIDs bound to their connection and a rate limit (presence-guard.ts).
import type { IncomingMessage } from "node:http";
import { Redis as RedisExtension } from "@hocuspocus/extension-redis";
import { Hocuspocus, isTransactionOrigin, type Document, type Extension } from "@hocuspocus/server";
import { can, type Actor } from "@mmatlas/auth";
import type { PrismaClient } from "@mmatlas/db";
import { annotationChangedEvent, annotationChangedTopic, type AnnotationChangedEvent } from "@mmatlas/labeling";
import { redisConnectionOptions, type PubSub } from "@mmatlas/realtime";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import { type CollabStatus } from "../doc";
import { readSnapshot, writeSnapshot } from "../doc/annotation-doc";
import { assertUnitExists, authenticateCollabToken, type CollabContext } from "./authenticate";
import { collabLimitsFromEnv, type CollabLimits } from "./collab-limits";
import { enforceFieldLimits } from "./field-limits";
import { createPresenceGuard } from "./presence-guard";
import { checkMessageSize, createDocumentSizeGuard } from "./size-guard";
import { loadDocumentState, storeDocumentState } from "./persistence";
import { projectDocument, reconcileWithAnnotation } from "./projection";
import { savedMessage } from "./saved-message";
import { warmUpCollabQueries } from "./warm-up";

export interface CollabServerOptions {
  prisma: PrismaClient;
  /** fan updates out between API nodes through Redis (REDIS_URL) */
  redis?: { url: string; prefix?: string; identifier?: string };
  /** announces projected annotation changes (GraphQL annotationChanged subscribers) */
  pubsub?: PubSub<AnnotationChangedEvent>;
  /** store at most this long after the last change (ms, default 1000) … */
  debounceMs?: number;
  /** … and at least this often while changes keep coming (ms, default 5000) */
  maxDebounceMs?: number;
  allowAnonymousRead?: boolean;
  /** size and rate limits (default: collabLimitsFromEnv()) */
  limits?: Partial<CollabLimits>;
  log?: (message: string, error?: unknown) => void;
}

export interface CollabServer {
  hocuspocus: Hocuspocus<CollabContext>;
  /** serve one accepted WebSocket (from ws's WebSocketServer.handleUpgrade) */
  handleConnection(ws: WebSocket, req: IncomingMessage): void;
  /** stores every loaded document now (and waits for stores already running) */
  storeAll(): Promise<void>;
  /** runs the collaboration queries once (nothing is written), so the first real store does not prepare them (warm-up.ts) */
  warmUp(): Promise<void>;
  /** refuses new connections, disconnects clients, stores every document, releases Redis */
  close(): Promise<void>;
}

/** Per-document bookkeeping: who changed the content and who set the status since the last store. */
interface DocumentTrack {
  lastEditor: Actor | null;
  statusSetBy: Actor | null;
  status: CollabStatus;
}

/** Origin of the server's own writes into documents (status write-backs, reconciliation). */
export const SERVER_ORIGIN = { source: "local" as const };

const REVIEW_ONLY_STATUSES: readonly CollabStatus[] = ["ACCEPTED", "REJECTED"];

export function createCollabServer(opts: CollabServerOptions): CollabServer {
  const { prisma } = opts;
  const log = opts.log ?? ((m, e) => console.error(`[collab] ${m}`, e ?? ""));
  const tracks = new Map<string, DocumentTrack>();
  /** per loaded document: its annotationChanged subscription (rows changed over GraphQL flow into the doc) */
  const rowWatchers = new Map<string, AsyncIterableIterator<AnnotationChangedEvent>>();
  const chains = new Map<string, Promise<void>>();
  let closing = false;
  const limits: CollabLimits = { ...collabLimitsFromEnv(), ...opts.limits };
  const sizes = createDocumentSizeGuard(limits);
  const presence = createPresenceGuard(limits);

  const track = (name: string, doc: Y.Doc): DocumentTrack => {
    let t = tracks.get(name);
    if (!t) tracks.set(name, (t = { lastEditor: null, statusSetBy: null, status: readSnapshot(doc).status }));
    return t;
  };

  /** Stores + projects one document; serialized per document, the state is read when the turn comes. */
  const persist = (name: string, document: Document): Promise<void> => {
    const run = async () => {
      const state = Y.encodeStateAsUpdate(document);
      const vector = Y.encodeStateVector(document);
      const content = readSnapshot(document); // project exactly what is stored, never later edits
      await storeDocumentState(prisma, name, state);
      const t = track(name, document);
      const editor = t.lastEditor;
      if (editor && can(editor, "annotation.create")) {
        try {
          const result = await projectDocument(
            prisma,
            { unitId: name, doc: document, editor, statusSetBy: t.statusSetBy, content },
            SERVER_ORIGIN,
          );
          t.lastEditor = null;
          t.statusSetBy = null;
          t.status = readSnapshot(document).status;
          if (result.change && result.annotation && opts.pubsub) {
            await opts.pubsub.publish(
              annotationChangedTopic(name),
              annotationChangedEvent({
                unitId: name,
                kind: result.change,
                actorId: editor.userId,
                annotation: result.annotation,
              }),
            );
          }
        } catch (e) {
          log(`projection of unit ${name} failed (Yjs state is stored; retried on the next change)`, e);
        }
      }
      if (document.getConnectionsCount() > 0) document.broadcastStateless(savedMessage(vector));
    };
    const next = (chains.get(name) ?? Promise.resolve()).then(run, run);
    chains.set(
      name,
      next.catch(() => {}),
    );
    return next;
  };

  /** Writes the collaborative row into the loaded document when it was changed outside it (GraphQL edits, reviews). */
  const watchRow = (name: string) => {
    if (!opts.pubsub || rowWatchers.has(name)) return;
    const events = opts.pubsub.subscribe(annotationChangedTopic(name));
    rowWatchers.set(name, events);
    void (async () => {
      for await (const event of events) {
        if (event.kind !== "UPDATED" || !event.annotationId) continue;
        const document = hocuspocus.documents.get(name);
        if (!document) break;
        try {
          const link = await prisma.collabDocument.findUnique({
            where: { unitId: name },
            select: { annotationId: true },
          });
          if (link?.annotationId !== event.annotationId) continue;
          const row = await prisma.annotation.findUnique({ where: { id: event.annotationId } });
          reconcileWithAnnotation(document, row, SERVER_ORIGIN); // no-op for the server's own projections
        } catch (e) {
          log(`could not apply a change of annotation ${event.annotationId} to unit ${name}`, e);
        }
      }
    })();
  };
  const unwatchRow = (name: string) => {
    void rowWatchers.get(name)?.return?.();
    rowWatchers.delete(name);
  };

  const hooks: Extension = {
    async onAuthenticate({ token, documentName, connectionConfig }) {
      if (closing) throw new Error("server is shutting down");
      await assertUnitExists(prisma, documentName);
      const context = await authenticateCollabToken(prisma, token, { allowAnonymousRead: opts.allowAnonymousRead });
      connectionConfig.readOnly = context.readOnly;
      return context;
    },
    async onLoadDocument({ document, documentName }) {
      const stored = await loadDocumentState(prisma, documentName, document);
      const link = stored?.annotationId
        ? await prisma.annotation.findUnique({ where: { id: stored.annotationId } })
        : null;
      if (reconcileWithAnnotation(document, link, SERVER_ORIGIN))
        await storeDocumentState(prisma, documentName, Y.encodeStateAsUpdate(document));
      tracks.set(documentName, { lastEditor: null, statusSetBy: null, status: readSnapshot(document).status });
      sizes.loaded(documentName, document);
      // synchronous, right after a client's update is applied: trim what it pushed over the field limits
      document.on("update", (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
        if (isTransactionOrigin(origin) && origin.source === "connection")
          enforceFieldLimits(document, tr, SERVER_ORIGIN);
      });
      watchRow(documentName);
      return document;
    },
    async beforeHandleMessage({ update }) {
      checkMessageSize(update, limits);
    },
    async beforeSync({ document, documentName, connection, type, payload }) {
      if (!connection.readOnly) sizes.check(documentName, document, type, payload);
    },
    async beforeHandleAwareness({ states, document, connection, context }) {
      presence.sanitize(states, document, connection, context as CollabContext | undefined);
    },
    async onChange({ document, documentName, context }) {
      const t = track(documentName, document);
      const actor = (context as CollabContext | undefined)?.actor ?? null;
      const status = readSnapshot(document).status;
      if (!actor) {
        t.status = status;
        return;
      } // the server's own write
      t.lastEditor = actor;
      if (status === t.status) return;
      if (REVIEW_ONLY_STATUSES.includes(status) && !can(actor, "annotation.review")) {
        writeSnapshot(document, { status: t.status }, SERVER_ORIGIN); // refused: only reviewers accept/reject
        return;
      }
      t.status = status;
      t.statusSetBy = actor;
    },
    async onStoreDocument({ document, documentName }) {
      await persist(documentName, document);
    },
    async afterUnloadDocument({ documentName }) {
      tracks.delete(documentName);
      sizes.unloaded(documentName);
      unwatchRow(documentName);
    },
  };

  const extensions: Extension[] = [hooks];
  if (opts.redis) {
    // the extension ships its own ioredis: hand it host/port/options parsed from the URL
    const { host, port, ...options } = redisConnectionOptions(opts.redis.url);
    extensions.push(
      new RedisExtension({
        host,
        port,
        options,
        prefix: opts.redis.prefix ?? "mmatlas:collab",
        ...(opts.redis.identifier ? { identifier: opts.redis.identifier } : {}),
      }),
    );
  }

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: "mmatlas-collab",
    debounce: opts.debounceMs ?? 1000,
    maxDebounce: opts.maxDebounceMs ?? 5000,
    unloadImmediately: true,
    quiet: true,
    extensions,
  });

  const storeAll = async () => {
    hocuspocus.flushPendingStores();
    await Promise.all([...hocuspocus.documents.entries()].map(([name, doc]) => persist(name, doc)));
    // wait for stores started meanwhile (flushed debounces, last-disconnect stores)
    for (let settled = false; !settled;) {
      const pending = [...chains.values()];
      await Promise.all(pending);
      await new Promise((r) => setImmediate(r));
      settled = pending.length === chains.size && [...chains.values()].every((p, i) => p === pending[i]);
    }
  };

  return {
    hocuspocus,
    handleConnection(ws, req) {
      if (closing) {
        ws.close(1012, "server restarting");
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string") headers.set(k, v);
        else if (Array.isArray(v)) headers.set(k, v.join(", "));
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { headers });
      const connection = hocuspocus.handleConnection(
        ws as unknown as Parameters<Hocuspocus["handleConnection"]>[0],
        request,
      );
      ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        // before authentication too: nothing legitimate is larger than an update (the hooks give the exact reason)
        if (bytes.byteLength > limits.maxUpdateBytes + 1024) {
          ws.close(1009, "message too big");
          return;
        }
        try {
          connection.handleMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } catch {
          ws.close(1007, "malformed message"); // undecodable frame: nothing of it is applied
        }
      });
      ws.on("close", (code: number, reason: Buffer) =>
        connection.handleClose({ code, reason: reason.toString() } as CloseEvent),
      );
      ws.on("error", (e) => log("websocket error", e));
    },
    storeAll,
    warmUp: () => warmUpCollabQueries(prisma),
    async close() {
      if (closing) return storeAll();
      closing = true;
      await storeAll();
      hocuspocus.closeConnections();
      await storeAll();
      // let Hocuspocus unload the documents (the Redis extension unsubscribes then) before Redis is released
      for (const deadline = Date.now() + 3000; hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const name of [...rowWatchers.keys()]) unwatchRow(name);
      await hocuspocus.hooks("onDestroy", { instance: hocuspocus });
    },
  };
}
