// Yjs state in the database: one CollabDocument row per unit holding the full encoded state.
import type { PrismaClient } from "@mmatlas/db";
import * as Y from "yjs";

/** Applies the stored state of `unitId` to `doc`; returns the row's metadata, or null when nothing is stored. */
export async function loadDocumentState(
  prisma: PrismaClient,
  unitId: string,
  doc: Y.Doc,
): Promise<{ annotationId: string | null; updatedAt: Date } | null> {
  const row = await prisma.collabDocument.findUnique({ where: { unitId } });
  if (!row) return null;
  Y.applyUpdate(doc, new Uint8Array(row.state));
  return { annotationId: row.annotationId, updatedAt: row.updatedAt };
}

/** Upserts the encoded state (a full update, from Y.encodeStateAsUpdate). */
export async function storeDocumentState(prisma: PrismaClient, unitId: string, state: Uint8Array): Promise<void> {
  const bytes = new Uint8Array(state) as Uint8Array<ArrayBuffer>;
  await prisma.collabDocument.upsert({ where: { unitId }, create: { unitId, state: bytes }, update: { state: bytes } });
}
