// Prepares the co-labeling path's database queries at start: in a fresh process Prisma prepares each query shape
// on first use, and the first store (load, store, projection) blocked the event loop ≈ 100–120 ms doing so
// while it ran (issue 19). Here every query of that path runs once with a unit id that no unit has: reads
// find nothing and every write is refused (no such row, or a foreign key to a missing unit), so nothing is
// written; the refusals are expected and swallowed.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@mmatlas/db";
import { warmUpCollaborativeSave } from "@mmatlas/labeling";
import * as Y from "yjs";
import { assertUnitExists, authenticateCollabToken } from "./authenticate";
import { loadDocumentState, storeDocumentState } from "./persistence";

/** A unit id no unit can have (units are created with cuid or slug-like ids). */
export const warmUpUnitId = () => `warm-up:${randomUUID()}`;

export async function warmUpCollabQueries(prisma: PrismaClient): Promise<void> {
  const unitId = warmUpUnitId();
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      () => undefined,
    );
  // connect: the unit check and the token lookup (a token that matches nothing)
  await refused(assertUnitExists(prisma, unitId));
  await refused(authenticateCollabToken(prisma, `warm-up-${randomUUID()}`));
  // load: the stored state and the linked annotation
  const doc = new Y.Doc();
  await refused(loadDocumentState(prisma, unitId, doc));
  await refused(prisma.annotation.findUnique({ where: { id: unitId } }));
  // store (refused: no such unit) and the projection's statements
  await refused(storeDocumentState(prisma, unitId, Y.encodeStateAsUpdate(doc)));
  await refused(prisma.collabDocument.findUnique({ where: { unitId }, select: { annotationId: true } }));
  await warmUpCollaborativeSave(prisma, unitId);
  doc.destroy();
}
