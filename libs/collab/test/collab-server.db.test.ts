// The collaboration server end to end in Node: real Hocuspocus server + HocuspocusProvider over ws, a real
// database. Covers convergence, persistence across a restart, projection into the Annotation row (and
// revisions on accept), read-only viewers/tokens whose writes are dropped, refused units/tokens, and the
// "saved" message carrying the stored state vector.
import { updateAnnotation, type AnnotationChangedEvent } from "@mmatlas/labeling";
import { createInMemoryPubSub } from "@mmatlas/realtime";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import * as Y from "yjs";
import { parseSavedMessage } from "../src";
import { annotationFields, applyTextDiff, readSnapshot, writeSnapshot } from "../src/doc";
import { connect, seed, startCollab, synced, waitFor, type Client, type RunningCollab } from "./collab-fixture";

jest.setTimeout(120_000);

let db: TestDatabase;
let fx: Awaited<ReturnType<typeof seed>>;
let server: RunningCollab | null = null;
const clients: Client[] = [];
const open = (url: string, name: string, token: string | null) => {
  const c = connect(url, name, token);
  clients.push(c);
  return c;
};

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

const collabRow = () => db.prisma.collabDocument.findUnique({ where: { unitId: fx.unitId } });

it("two annotators typing at once converge; state and the projected annotation survive a restart", async () => {
  const events = createInMemoryPubSub<AnnotationChangedEvent>();
  const sub = events.subscribe(`annotationChanged:${fx.unitId}`);
  server = await startCollab({ prisma: db.prisma, pubsub: events });
  const a = open(server.url, fx.unitId, fx.alice.token);
  const b = open(server.url, fx.unitId, fx.bob.token);
  await synced(a);
  await synced(b);
  expect(a.provider.authorizedScope).toBe("read-write");

  // concurrent edits before either sees the other's
  applyTextDiff(annotationFields(a.doc).label, "striped");
  applyTextDiff(annotationFields(b.doc).label, "zebra");
  writeSnapshot(a.doc, { description: "fires on stripes", tags: ["texture"], confidence: 0.7, status: "PROPOSED" });
  await waitFor(
    () => readSnapshot(a.doc).label === readSnapshot(b.doc).label && readSnapshot(b.doc).description !== "",
    "convergence",
  );
  const label = readSnapshot(a.doc).label;
  expect(label.length).toBe("striped".length + "zebra".length);
  expect([...label].sort().join("")).toBe([..."stripedzebra"].sort().join(""));

  await waitFor(async () => (await collabRow())?.annotationId != null, "projection");
  await server.collab.storeAll();
  const row = await collabRow();
  const annotation = await db.prisma.annotation.findUniqueOrThrow({ where: { id: row!.annotationId! } });
  expect(annotation).toMatchObject({
    unitId: fx.unitId,
    label,
    description: "fires on stripes",
    tags: ["texture"],
    confidence: 0.7,
    status: "PROPOSED",
  });
  expect(await db.prisma.unit.findUniqueOrThrow({ where: { id: fx.unitId } })).toMatchObject({
    labelState: "LABELED",
    currentLabel: label,
  });
  expect(await sub.next()).toMatchObject({
    value: { unitId: fx.unitId, annotationId: annotation.id, kind: "CREATED" },
  });

  // restart: a late edit, then the server closes (stores everything) and a new one starts on the same DB
  applyTextDiff(annotationFields(b.doc).description, "fires on stripes and bars");
  await waitFor(() => readSnapshot(a.doc).description === "fires on stripes and bars", "late edit reaches a");
  await server.close();
  server = await startCollab({ prisma: db.prisma });
  const c = open(server.url, fx.unitId, fx.bob.token);
  await synced(c);
  expect(readSnapshot(c.doc)).toMatchObject({
    label,
    description: "fires on stripes and bars",
    tags: ["texture"],
    confidence: 0.7,
    status: "PROPOSED",
  });
  const after = await db.prisma.annotation.findUniqueOrThrow({ where: { id: annotation.id } });
  expect(after.description).toBe("fires on stripes and bars");
  expect(await db.prisma.annotation.count({ where: { unitId: fx.unitId } })).toBe(1); // one collaborative annotation
});

it("tells each client when its edits are stored (saved message with the stored state vector)", async () => {
  server = await startCollab({ prisma: db.prisma });
  const a = open(server.url, fx.unitId, fx.alice.token);
  let saved: Map<number, number> | null = null;
  a.provider.on("stateless", ({ payload }: { payload: string }) => {
    saved = parseSavedMessage(payload) ?? saved;
  });
  await synced(a);
  applyTextDiff(annotationFields(a.doc).label, "dog faces");
  const mine = () => Y.getState(a.doc.store, a.doc.clientID);
  await waitFor(() => saved !== null && (saved.get(a.doc.clientID) ?? 0) >= mine(), "saved message covering the edit");
  // what the message claims is stored really is in the database
  const stored = new Y.Doc();
  Y.applyUpdate(stored, new Uint8Array((await collabRow())!.state));
  expect(readSnapshot(stored).label).toBe("dog faces");
});

it("keeps VIEWERs and READ tokens read-only: their writes are dropped by the server", async () => {
  server = await startCollab({ prisma: db.prisma });
  const writer = open(server.url, fx.unitId, fx.alice.token);
  await synced(writer);
  applyTextDiff(annotationFields(writer.doc).label, "wheels");
  const viewer = open(server.url, fx.unitId, fx.viewer.token);
  const readToken = open(server.url, fx.unitId, fx.readToken);
  await synced(viewer);
  await synced(readToken);
  expect(viewer.provider.authorizedScope).toBe("readonly");
  expect(readToken.provider.authorizedScope).toBe("readonly");
  await waitFor(() => readSnapshot(viewer.doc).label === "wheels", "viewer receives content");

  applyTextDiff(annotationFields(viewer.doc).label, "HACKED by viewer");
  applyTextDiff(annotationFields(readToken.doc).description, "HACKED by token");
  // a write from the annotator after the viewers' writes arrives; theirs never do
  applyTextDiff(annotationFields(writer.doc).description, "round things");
  await waitFor(
    () => readSnapshot(readToken.doc).description.includes("round things"),
    "annotator edit reaches the token client",
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(readSnapshot(writer.doc)).toMatchObject({ label: "wheels", description: "round things" });
  await server.collab.storeAll();
  const stored = new Y.Doc();
  Y.applyUpdate(stored, new Uint8Array((await collabRow())!.state));
  expect(readSnapshot(stored)).toMatchObject({ label: "wheels", description: "round things" });
});

it("refuses unknown units and bad tokens; anonymous visitors may watch read-only", async () => {
  server = await startCollab({ prisma: db.prisma });
  const unknown = open(server.url, "no-such-unit", fx.alice.token);
  const badToken = open(server.url, fx.unitId, "mms_not-a-real-session");
  await waitFor(() => unknown.failures.length > 0 && badToken.failures.length > 0, "refusals");
  expect(unknown.provider.isAuthenticated).toBe(false);
  const anon = open(server.url, fx.unitId, null);
  await synced(anon);
  expect(anon.provider.authorizedScope).toBe("readonly");
  expect(await db.prisma.collabDocument.count()).toBe(0);
});

it("only reviewers accept: an annotator's ACCEPTED is reverted, a reviewer's is stored with a revision", async () => {
  server = await startCollab({ prisma: db.prisma });
  const a = open(server.url, fx.unitId, fx.alice.token);
  const r = open(server.url, fx.unitId, fx.reviewer.token);
  await synced(a);
  await synced(r);
  writeSnapshot(a.doc, { label: "eyes", status: "PROPOSED" });
  await waitFor(async () => (await collabRow())?.annotationId != null, "projection");
  writeSnapshot(a.doc, { status: "ACCEPTED" });
  await waitFor(
    () => readSnapshot(a.doc).status === "PROPOSED" && readSnapshot(r.doc).status === "PROPOSED",
    "annotator's accept reverted",
  );

  writeSnapshot(r.doc, { status: "ACCEPTED" });
  await waitFor(() => readSnapshot(a.doc).status === "ACCEPTED", "reviewer's accept reaches the annotator");
  await server.collab.storeAll();
  const id = (await collabRow())!.annotationId!;
  await waitFor(
    async () => (await db.prisma.annotation.findUniqueOrThrow({ where: { id } })).status === "ACCEPTED",
    "row accepted",
  );
  const revisions = await db.prisma.annotationRevision.findMany({ where: { annotationId: id } });
  expect(revisions).toHaveLength(1);
  expect(revisions[0]).toMatchObject({ status: "ACCEPTED", label: "eyes", editorId: fx.reviewer.actor.userId });
});

it("writes a row changed over GraphQL (a reviewer's accept and edit) into the open document", async () => {
  const events = createInMemoryPubSub<AnnotationChangedEvent>();
  server = await startCollab({ prisma: db.prisma, pubsub: events });
  const a = open(server.url, fx.unitId, fx.alice.token);
  await synced(a);
  writeSnapshot(a.doc, { label: "grid", status: "PROPOSED" });
  await waitFor(async () => (await collabRow())?.annotationId != null, "projection");
  const id = (await collabRow())!.annotationId!;
  const row = await db.prisma.annotation.findUniqueOrThrow({ where: { id } });
  // what the updateAnnotation mutation does: the labeling workflow, then the live event
  const reviewed = await updateAnnotation(db.prisma, fx.reviewer.actor, {
    id,
    version: row.version,
    label: "square grid",
    status: "ACCEPTED",
  });
  await events.publish(`annotationChanged:${fx.unitId}`, {
    unitId: fx.unitId,
    annotationId: id,
    kind: "UPDATED",
    actorId: fx.reviewer.actor.userId,
    isDraft: false,
    at: new Date().toISOString(),
  });
  await waitFor(
    () => readSnapshot(a.doc).status === "ACCEPTED" && readSnapshot(a.doc).label === "square grid",
    "row change reaches the client",
  );
  expect(annotationFields(a.doc).meta.get("annotationVersion")).toBe(reviewed.version);
  // and the document does not undo it on its next store
  await server.collab.storeAll();
  expect(await db.prisma.annotation.findUniqueOrThrow({ where: { id } })).toMatchObject({
    status: "ACCEPTED",
    label: "square grid",
    version: reviewed.version,
  });
});
