// The start-up warm-up of the co-labeling queries (server/warm-up.ts) runs every query of the load/store/
// projection path against a unit id that does not exist: it must leave no row behind and change no row, and a
// real store and projection still work afterwards.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import * as Y from "yjs";
import { annotationFields } from "../src/doc";
import { projectDocument } from "../src/server/projection";
import { storeDocumentState } from "../src/server/persistence";
import { warmUpCollabQueries, warmUpUnitId } from "../src/server/warm-up";
import { seed } from "./collab-fixture";

jest.setTimeout(120_000);

let db: TestDatabase;
afterEach(async () => {
  await db?.close();
});

async function snapshot() {
  const p = db.prisma;
  return {
    units: await p.unit.findMany({ orderBy: { id: "asc" } }),
    collabDocuments: await p.collabDocument.count(),
    annotations: await p.annotation.count(),
    revisions: await p.annotationRevision.count(),
    users: await p.user.count(),
    sessions: await p.session.count(),
  };
}

it("leaves no rows behind and changes none", async () => {
  db = await createTestDatabase();
  const fx = await seed(db);
  const before = await snapshot();
  expect(before.collabDocuments + before.annotations + before.revisions).toBe(0);
  await warmUpCollabQueries(db.prisma);
  await warmUpCollabQueries(db.prisma); // twice: nothing accumulates either
  expect(await snapshot()).toEqual(before);

  // the real path still works after it
  const doc = new Y.Doc();
  annotationFields(doc).label.insert(0, "round red shapes");
  await storeDocumentState(db.prisma, fx.unitId, Y.encodeStateAsUpdate(doc));
  const result = await projectDocument(db.prisma, { unitId: fx.unitId, doc, editor: fx.alice.actor });
  expect(result.change).toBe("CREATED");
  expect(await db.prisma.annotation.count()).toBe(1);
});

it("uses a unit id no unit has", () => {
  const a = warmUpUnitId(),
    b = warmUpUnitId();
  expect(a).toMatch(/^warm-up:[0-9a-f-]{36}$/);
  expect(a).not.toBe(b);
});
