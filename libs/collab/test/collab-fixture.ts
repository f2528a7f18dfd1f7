// Test fixture for the collaboration server: a real database with users of every role and two units, a
// node:http server that hands /collab WebSockets to createCollabServer, and Node HocuspocusProviders.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { createApiToken, login, registerUser, setUserRole, authenticateSession, type Actor } from "@mmatlas/auth";
import type { TestDatabase } from "@mmatlas/db/testing";
import WebSocket, { WebSocketServer } from "ws";
import * as Y from "yjs";
import { createCollabServer, type CollabServer, type CollabServerOptions } from "../src";
import { createBareModel } from "@mmatlas/db/testing";

export interface Person {
  actor: Actor;
  token: string;
}

export async function seed(db: TestDatabase) {
  const person = async (email: string): Promise<Person> => {
    await registerUser(db.prisma, { email, password: "long-enough-pw", displayName: email.split("@")[0] });
    const { secret } = await login(db.prisma, { email, password: "long-enough-pw" });
    return { actor: await authenticateSession(db.prisma, secret), token: secret };
  };
  const admin = await person("admin@example.org"); // first user: ADMIN
  const alice = await person("alice@example.org");
  const bob = await person("bob@example.org");
  const viewer = await person("viewer@example.org");
  const reviewer = await person("rev@example.org");
  await setUserRole(db.prisma, admin.actor, viewer.actor.userId, "VIEWER");
  await setUserRole(db.prisma, admin.actor, reviewer.actor.userId, "REVIEWER");
  const readToken = (await createApiToken(db.prisma, alice.actor, { name: "read only", scopes: ["READ"] })).secret;
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: {
      modelId: model.id,
      name: "vision.blocks.0.hook_resid_post",
      tower: "VISION",
      layer: 0,
      kind: "RESID",
      width: 8,
      tensor: "t",
    },
  });
  const mk = (index: number) =>
    db.prisma.unit.create({
      data: { slug: `m/h/${index}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index },
    });
  const unitId = (await mk(0)).id;
  const otherUnitId = (await mk(1)).id;
  return {
    admin,
    alice,
    bob,
    viewer: { ...viewer, actor: { ...viewer.actor, role: "VIEWER" as const } },
    reviewer: { ...reviewer, actor: { ...reviewer.actor, role: "REVIEWER" as const } },
    readToken,
    unitId,
    otherUnitId,
  };
}

export interface RunningCollab {
  collab: CollabServer;
  url: string;
  close(): Promise<void>;
}

/** A collab server on a free port; close() stores everything (like the API's close) and stops listening. */
export async function startCollab(opts: CollabServerOptions): Promise<RunningCollab> {
  const collab = createCollabServer({ debounceMs: 100, maxDebounceMs: 500, ...opts });
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  server.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => collab.handleConnection(ws, req)),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    collab,
    url: `ws://127.0.0.1:${port}/collab`,
    async close() {
      await collab.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}

export interface Client {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  failures: string[];
  destroy(): void;
}

export function connect(url: string, name: string, token: string | null): Client {
  const doc = new Y.Doc();
  // one connection attempt: no test here relies on reconnecting, and an endless retry loop against a stopped
  // server (the restart test) outlives destroy() and keeps Jest from exiting
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
  const failures: string[] = [];
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token: token ?? "",
    onAuthenticationFailed: ({ reason }) => {
      failures.push(reason);
    },
  });
  provider.attach();
  return {
    doc,
    provider,
    socket,
    failures,
    destroy: () => {
      quietClose(socket);
      provider.destroy();
      socket.destroy();
    },
  };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const synced = (c: Client, what = "sync") =>
  waitFor(() => c.provider.isSynced && c.provider.isAuthenticated, what);

/** ws emits "error" (next tick) when a socket still connecting is closed, after the provider dropped its listeners. */
export function quietClose(socket: HocuspocusProviderWebsocket): void {
  (socket.webSocket as unknown as { on?: (event: string, f: () => void) => void } | null)?.on?.("error", () => {});
}
