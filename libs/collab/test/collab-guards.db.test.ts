// The collaboration server's guards end to end (real Hocuspocus server + providers over ws, a real database):
// field limits enforced inside the document without cutting text already there, presence rewritten from the
// authenticated identity (no spoofed names, no CSS-URL colours, no clientID takeover), awareness size and
// rate limits, and document / update size limits that refuse oversized writes so nothing of them is stored.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import WebSocket from "ws";
import * as Y from "yjs";
import { annotationFields, FIELD_MAX, readSnapshot, type PresenceState } from "../src/doc";
import {
  connect,
  quietClose,
  seed,
  startCollab,
  synced,
  waitFor,
  type Client,
  type RunningCollab,
} from "./collab-fixture";

jest.setTimeout(120_000);

let db: TestDatabase;
let fx: Awaited<ReturnType<typeof seed>>;
let server: RunningCollab | null = null;
const clients: Client[] = [];
const open = (url: string, name: string, token: string | null, doc?: Y.Doc) => {
  if (!doc) {
    const c = connect(url, name, token);
    clients.push(c);
    return c;
  }
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token: token ?? "" });
  provider.attach();
  const c: Client = {
    doc,
    provider,
    socket,
    failures: [],
    destroy: () => {
      quietClose(socket);
      provider.destroy();
      socket.destroy();
    },
  };
  clients.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  db = await createTestDatabase();
  fx = await seed(db);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
  await db?.close();
});

const storedDoc = async () => {
  const row = await db.prisma.collabDocument.findUnique({ where: { unitId: fx.unitId } });
  const d = new Y.Doc();
  if (row) Y.applyUpdate(d, new Uint8Array(row.state));
  return { doc: d, bytes: row?.state.length ?? 0 };
};
const stateOf = (viewer: Client, clientId: number) =>
  viewer.provider.awareness!.getStates().get(clientId) as PresenceState | undefined;

it("trims only what an update pushes over a field limit: text already in the document stays", async () => {
  server = await startCollab({ prisma: db.prisma });
  const a = open(server.url, fx.unitId, fx.alice.token);
  const b = open(server.url, fx.unitId, fx.bob.token);
  await synced(a);
  await synced(b);
  const label = annotationFields(a.doc).label;
  label.insert(0, "A".repeat(150));
  await waitFor(() => readSnapshot(b.doc).label.length === 150, "first text reaches b");
  label.insert(0, "B".repeat(100)); // one update, 50 characters too many, before the saved text
  const want = "B".repeat(50) + "A".repeat(150);
  await waitFor(
    () => readSnapshot(a.doc).label === want && readSnapshot(b.doc).label === want,
    "the excess insertion trimmed everywhere",
  );
  annotationFields(b.doc).description.insert(0, "d".repeat(FIELD_MAX.description + 10));
  await waitFor(() => readSnapshot(a.doc).description.length === FIELD_MAX.description, "description trimmed");
  await server.collab.storeAll();
  const stored = readSnapshot((await storedDoc()).doc);
  expect(stored.label).toBe(want);
  expect(stored.description).toHaveLength(FIELD_MAX.description);
});

it("sets presence from the authenticated identity: no spoofed names or URL colours, no clientID takeover", async () => {
  server = await startCollab({ prisma: db.prisma });
  const alice = open(server.url, fx.unitId, fx.alice.token);
  const viewer = open(server.url, fx.unitId, fx.viewer.token);
  const anon = open(server.url, fx.unitId, null);
  await synced(alice);
  await synced(viewer);
  await synced(anon);
  alice.provider.setAwarenessField("user", {
    id: "x",
    name: "admin (spoofed)",
    color: "url(http://evil.example/a.png)",
  });
  alice.provider.setAwarenessField("junk", { role: "ADMIN" });
  anon.provider.setAwarenessField("user", {
    id: fx.admin.actor.userId,
    name: "admin (spoofed)",
    color: "#fff;background:url(http://evil.example/)",
  });
  await waitFor(
    () => stateOf(viewer, alice.doc.clientID)?.user != null && stateOf(viewer, anon.doc.clientID)?.user != null,
    "presence reaches the viewer",
  );
  const a = stateOf(viewer, alice.doc.clientID)!;
  expect(a.user).toMatchObject({ id: fx.alice.actor.userId, name: "alice", readOnly: false });
  expect(a.user!.color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(a).not.toHaveProperty("junk");
  expect(stateOf(viewer, anon.doc.clientID)!.user).toMatchObject({
    id: `anon-${anon.doc.clientID}`,
    name: "Guest",
    readOnly: true,
  });
  expect(JSON.stringify([...viewer.provider.awareness!.getStates().values()])).not.toMatch(/spoofed|url\(/);

  // an attacker reusing alice's clientID: dropped while she is here, and nothing of it stays after it leaves
  const thief = new Y.Doc();
  thief.clientID = alice.doc.clientID;
  const t = open(server.url, fx.unitId, null, thief);
  await synced(t);
  t.provider.setAwarenessField("user", { id: "x", name: "stolen" });
  await sleep(400);
  t.destroy();
  await sleep(300);
  expect(stateOf(viewer, alice.doc.clientID)?.user).toMatchObject({ name: "alice" });
  alice.provider.setAwarenessField("cursor", null);
  await sleep(200);
  expect(stateOf(viewer, alice.doc.clientID)?.user).toMatchObject({ name: "alice" });
});

it("limits awareness size and rate: a flood reaches no viewer, and the server keeps serving", async () => {
  server = await startCollab({ prisma: db.prisma });
  const viewer = open(server.url, fx.unitId, fx.viewer.token);
  const flooder = open(server.url, fx.unitId, fx.bob.token);
  await synced(viewer);
  await synced(flooder);
  let received = 0;
  let updates = 0;
  viewer.socket.on("message", ({ data }: { data: ArrayBuffer | Buffer }) => {
    received += (data as Buffer).byteLength ?? 0;
  });
  viewer.provider.awareness!.on("update", ({ added, updated }: { added: number[]; updated: number[] }) => {
    if ([...added, ...updated].includes(flooder.doc.clientID)) updates++;
  });
  // rate: 300 cursor moves at once → at most the burst (2 × 20) plus what a second refills
  for (let i = 0; i < 300; i++)
    flooder.provider.setAwarenessField("cursor", { field: "label", anchor: { i }, head: { i } });
  await sleep(1000);
  expect(received).toBeGreaterThan(0); // the counter sees the flooder's accepted updates
  expect(updates).toBeGreaterThan(0);
  expect(updates).toBeLessThanOrEqual(40 + 25);
  // size: 900 KB of awareness is refused (connection closed), nothing of it is delivered
  for (let i = 0; i < 5; i++) flooder.provider.setAwarenessField("junk", "x".repeat(900_000) + i);
  await sleep(1000);
  expect(received).toBeLessThan(200_000);
  // the flooder's provider retries; let that attempt settle before it is destroyed
  await waitFor(() => String(flooder.socket.status) !== "connecting", "flooder settled");
  clients.splice(clients.indexOf(flooder), 1);
  flooder.socket.shouldConnect = false;
  flooder.destroy();
  const late = open(server.url, fx.unitId, fx.alice.token);
  await synced(late);
  annotationFields(late.doc).label.insert(0, "still works");
  await waitFor(() => readSnapshot(viewer.doc).label === "still works", "other clients keep working");
});

it("refuses oversized updates and documents: nothing of them is stored, other clients keep working", async () => {
  server = await startCollab({ prisma: db.prisma, limits: { maxDocumentBytes: 40_000, maxUpdateBytes: 20_000 } });
  const alice = open(server.url, fx.unitId, fx.alice.token);
  const attacker = open(server.url, fx.unitId, fx.bob.token);
  await synced(alice);
  await synced(attacker);
  annotationFields(alice.doc).label.insert(0, "kept");
  await waitFor(() => readSnapshot(attacker.doc).label === "kept", "alice's edit");
  // one update over COLLAB_MAX_UPDATE_BYTES
  attacker.doc.getMap("junk").set("big", "x".repeat(30_000));
  await sleep(500);
  await server.collab.storeAll();
  expect((await storedDoc()).doc.getMap("junk").size).toBe(0);
  expect(readSnapshot((await storedDoc()).doc).label).toBe("kept");

  // many updates under the update limit, until the document would pass COLLAB_MAX_DOCUMENT_BYTES
  const attacker2 = open(server.url, fx.unitId, fx.bob.token);
  await synced(attacker2);
  for (let i = 0; i < 6; i++) {
    attacker2.doc.getMap("junk2").set(`k${i}`, "y".repeat(15_000));
    await sleep(100);
  }
  await sleep(500);
  annotationFields(alice.doc).label.insert(4, " too");
  await waitFor(async () => readSnapshot((await storedDoc()).doc).label === "kept too", "alice's later edit is stored");
  const { doc, bytes } = await storedDoc();
  expect(bytes).toBeLessThanOrEqual(40_000);
  expect(doc.getMap("junk2").size).toBeLessThan(6);
});
