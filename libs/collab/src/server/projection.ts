// Projects a unit's live document into its collaborative Annotation row (via @mmatlas/labeling), and the
// reverse for loading: a row changed elsewhere (GraphQL review, edits) is written into the document.
import type { Actor } from "@mmatlas/auth";
import type { Annotation, PrismaClient } from "@mmatlas/db";
import { saveCollaborativeAnnotation, type SaveCollaborativeResult } from "@mmatlas/labeling";
import type * as Y from "yjs";
import { annotationFields, readSnapshot, writeSnapshot } from "../doc";

export interface ProjectionInput {
  unitId: string;
  doc: Y.Doc;
  editor: Actor;
  statusSetBy?: Actor | null;
}

/** Meta key holding the Annotation.version the document was last projected into (or reconciled from). */
export const PROJECTED_VERSION_KEY = "annotationVersion";

/**
 * Saves the document's content into the Annotation row. Afterwards the document records the row's version,
 * and a status the row did not take (refused transition) is written back, so every client sees the truth.
 */
export async function projectDocument(prisma: PrismaClient, input: ProjectionInput, origin?: unknown): Promise<SaveCollaborativeResult> {
  const result = await saveCollaborativeAnnotation(prisma, {
    unitId: input.unitId, content: readSnapshot(input.doc), editor: input.editor, statusSetBy: input.statusSetBy,
  });
  const stored = result.annotation;
  const meta = annotationFields(input.doc).meta;
  input.doc.transact(() => {
    if (stored && readSnapshot(input.doc).status !== stored.status) writeSnapshot(input.doc, { status: stored.status });
    else if (!stored && result.statusRefused) writeSnapshot(input.doc, { status: "DRAFT" });
    if (stored && meta.get(PROJECTED_VERSION_KEY) !== stored.version) meta.set(PROJECTED_VERSION_KEY, stored.version);
  }, origin);
  return result;
}

/** The row's content as document values. */
export const snapshotFromAnnotation = (a: Annotation) => ({
  label: a.label, description: a.description, tags: a.tags, confidence: a.confidence, status: a.status,
});

/** Writes the row into the document when it changed outside the document (its version is newer). */
export function reconcileWithAnnotation(doc: Y.Doc, annotation: Annotation | null, origin?: unknown): boolean {
  const meta = annotationFields(doc).meta;
  const projected = meta.get(PROJECTED_VERSION_KEY);
  if (!annotation || (typeof projected === "number" && annotation.version <= projected)) return false;
  doc.transact(() => {
    writeSnapshot(doc, snapshotFromAnnotation(annotation));
    meta.set(PROJECTED_VERSION_KEY, annotation.version);
  }, origin);
  return true;
}
