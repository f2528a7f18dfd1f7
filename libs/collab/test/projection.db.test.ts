// Projection of a unit's Yjs document into its collaborative Annotation row, without a server: created on
// the first save with a label, one row per unit, co-authors edit, only reviewers accept (revision written),
// a non-reviewer's edit of an accepted row goes back to review, text made storable, refused status written
// back into the document, and a row changed elsewhere reconciled into the document on load.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { LABEL_MAX } from "@mmatlas/labeling";
import * as Y from "yjs";
import { annotationFields, readSnapshot, writeSnapshot } from "../src/doc";
import { PROJECTED_VERSION_KEY, projectDocument, reconcileWithAnnotation } from "../src/server/projection";
import { storeDocumentState } from "../src/server/persistence";
import { seed } from "./collab-fixture";

jest.setTimeout(120_000);

let db: TestDatabase;
let fx: Awaited<ReturnType<typeof seed>>;
let doc: Y.Doc;

beforeEach(async () => {
  db = await createTestDatabase();
  fx = await seed(db);
  doc = new Y.Doc();
  await storeDocumentState(db.prisma, fx.unitId, Y.encodeStateAsUpdate(doc));
});
afterEach(async () => {
  await db?.close();
});

const project = (editor = fx.alice.actor, statusSetBy = editor) =>
  projectDocument(db.prisma, { unitId: fx.unitId, doc, editor, statusSetBy });

it("creates nothing until there is a label, then exactly one row that co-authors update", async () => {
  writeSnapshot(doc, { description: "no label yet" });
  expect(await project()).toMatchObject({ annotation: null, change: null });
  expect(await db.prisma.annotation.count()).toBe(0);

  writeSnapshot(doc, {
    label: "  vertical   bars ",
    tags: ["lines", "lines", " bars "],
    confidence: 0.6,
    status: "PROPOSED",
  });
  const first = await project();
  expect(first.change).toBe("CREATED");
  expect(first.annotation).toMatchObject({
    label: "vertical bars",
    tags: ["lines", "bars"],
    confidence: 0.6,
    status: "PROPOSED",
    authorId: fx.alice.actor.userId,
    version: 1,
  });
  expect((await db.prisma.collabDocument.findUniqueOrThrow({ where: { unitId: fx.unitId } })).annotationId).toBe(
    first.annotation!.id,
  );
  expect(annotationFields(doc).meta.get(PROJECTED_VERSION_KEY)).toBe(1);

  // bob (not the author, plain annotator) edits the shared row
  writeSnapshot(doc, { label: "vertical bars and stripes" });
  const second = await project(fx.bob.actor);
  expect(second).toMatchObject({
    change: "UPDATED",
    annotation: { id: first.annotation!.id, label: "vertical bars and stripes", version: 2 },
  });
  // nothing changed → no new version
  expect(await project(fx.bob.actor)).toMatchObject({ change: null, annotation: { version: 2 } });
  // an emptied label keeps the stored one; over-long text is cut to the limit
  writeSnapshot(doc, { label: "", description: "x".repeat(10) });
  expect((await project()).annotation).toMatchObject({ label: "vertical bars and stripes", description: "xxxxxxxxxx" });
  writeSnapshot(doc, { label: "y".repeat(LABEL_MAX + 50) });
  expect((await project()).annotation!.label).toHaveLength(LABEL_MAX);
  expect(await db.prisma.annotation.count({ where: { unitId: fx.unitId } })).toBe(1);
});

it("lets only reviewers accept, records revisions, and sends an accepted row edited by an annotator back to review", async () => {
  writeSnapshot(doc, { label: "dots", status: "PROPOSED" });
  const { annotation } = await project();
  writeSnapshot(doc, { status: "ACCEPTED" });
  const refused = await project(fx.alice.actor);
  expect(refused.statusRefused?.code).toBe("FORBIDDEN");
  expect(readSnapshot(doc).status).toBe("PROPOSED"); // written back into the document
  expect((await db.prisma.annotation.findUniqueOrThrow({ where: { id: annotation!.id } })).status).toBe("PROPOSED");

  writeSnapshot(doc, { status: "ACCEPTED" });
  const accepted = await project(fx.alice.actor, fx.reviewer.actor);
  expect(accepted.annotation).toMatchObject({ status: "ACCEPTED" });
  writeSnapshot(doc, { label: "dotted texture" });
  const edited = await project(fx.bob.actor);
  expect(edited.annotation).toMatchObject({ status: "PROPOSED", label: "dotted texture" });
  expect(readSnapshot(doc).status).toBe("PROPOSED");
  const revisions = await db.prisma.annotationRevision.findMany({
    where: { annotationId: annotation!.id },
    orderBy: { version: "asc" },
  });
  expect(revisions.map((r) => [r.status, r.label, r.editorId])).toEqual([
    ["ACCEPTED", "dots", fx.reviewer.actor.userId], // the accept is the reviewer's
    ["PROPOSED", "dotted texture", fx.bob.actor.userId],
  ]);
  expect(await db.prisma.unit.findUniqueOrThrow({ where: { id: fx.unitId } })).toMatchObject({
    labelState: "LABELED",
    currentLabel: "dotted texture",
  });
});

it("refuses VIEWERs outright", async () => {
  writeSnapshot(doc, { label: "anything" });
  await expect(project(fx.viewer.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
  expect(await db.prisma.annotation.count()).toBe(0);
});

it("reconciles a row changed outside the document (newer version) into it, and only then", async () => {
  writeSnapshot(doc, { label: "waves", status: "PROPOSED" });
  const { annotation } = await project();
  expect(reconcileWithAnnotation(doc, annotation)).toBe(false); // same version: nothing to do
  const reviewed = await db.prisma.annotation.update({
    where: { id: annotation!.id },
    data: { status: "ACCEPTED", label: "sine waves", version: { increment: 1 } },
  });
  expect(reconcileWithAnnotation(doc, reviewed)).toBe(true);
  expect(readSnapshot(doc)).toMatchObject({ label: "sine waves", status: "ACCEPTED" });
  expect(annotationFields(doc).meta.get(PROJECTED_VERSION_KEY)).toBe(reviewed.version);
});

it("never writes the row's cut copy over the document: a projection not yet stored with it only bumps the version", async () => {
  // the document after a crash: its text (over the limits, and with spacing the row normalises), stored
  // without the version of the projection that already reached the row
  const label = `  ${"L".repeat(LABEL_MAX + 40)}  `;
  const description = "d".repeat(5000 + 700);
  writeSnapshot(doc, { label, description, tags: ["a"], status: "PROPOSED" });
  const before = Y.encodeStateAsUpdate(doc);
  const { annotation } = await project();
  expect(annotation!.label).toHaveLength(LABEL_MAX); // the row holds the cut copy
  const reloaded = new Y.Doc();
  Y.applyUpdate(reloaded, before); // the stored state: no PROJECTED_VERSION_KEY yet
  expect(reconcileWithAnnotation(reloaded, annotation)).toBe(true);
  expect(readSnapshot(reloaded)).toMatchObject({ label, description, tags: ["a"], status: "PROPOSED" });
  expect(annotationFields(reloaded).meta.get(PROJECTED_VERSION_KEY)).toBe(annotation!.version);

  // an edit over GraphQL after that (a newer row whose description differs) still reaches the document,
  // and only the changed field is written
  const edited = await db.prisma.annotation.update({
    where: { id: annotation!.id },
    data: { description: "edited over GraphQL", version: { increment: 1 } },
  });
  expect(reconcileWithAnnotation(reloaded, edited)).toBe(true);
  expect(readSnapshot(reloaded)).toMatchObject({ label, description: "edited over GraphQL" });
});
