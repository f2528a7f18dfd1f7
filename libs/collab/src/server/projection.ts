// Projects a unit's live document into its collaborative Annotation row (via @mmatlas/labeling), and the
// reverse for loading: a row changed elsewhere (GraphQL review, edits) is written into the document.
// The document is the source of truth; the row is a lossy copy (trimmed, cut to the limits, an empty label
// keeps the old one). So a row that is newer than the document's recorded version only writes the fields
// that differ from the row the document itself would project to (storableContent): an edit made outside
// the document. A field the row merely holds as the storable copy of the document's own text (e.g. the
// version bump of a projection the crash kept from being stored with the document) never overwrites it.
import type { Actor } from "@mmatlas/auth";
import type { Annotation, PrismaClient } from "@mmatlas/db";
import { saveCollaborativeAnnotation, storableContent, type SaveCollaborativeResult } from "@mmatlas/labeling";
import type * as Y from "yjs";
import { annotationFields } from "../doc";
import { readSnapshot, writeSnapshot, type AnnotationSnapshot } from "../doc/annotation-doc";

export interface ProjectionInput {
  unitId: string;
  doc: Y.Doc;
  editor: Actor;
  statusSetBy?: Actor | null;
  /** the content to project (default: the document's now); persist passes the content of the state it stored */
  content?: AnnotationSnapshot;
}

/** Meta key holding the Annotation.version the document was last projected into (or reconciled from). */
export const PROJECTED_VERSION_KEY = "annotationVersion";

/**
 * Saves the document's content into the Annotation row. Afterwards the document records the row's version,
 * and a status the row did not take (refused transition) is written back, so every client sees the truth.
 */
export async function projectDocument(
  prisma: PrismaClient,
  input: ProjectionInput,
  origin?: unknown,
): Promise<SaveCollaborativeResult> {
  const result = await saveCollaborativeAnnotation(prisma, {
    unitId: input.unitId,
    content: input.content ?? readSnapshot(input.doc),
    editor: input.editor,
    statusSetBy: input.statusSetBy,
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
  label: a.label,
  description: a.description,
  tags: a.tags,
  confidence: a.confidence,
  status: a.status,
});

/** The row's fields that were changed outside the document: those that differ from what the document projects to. */
export function changedOutsideDocument(
  current: AnnotationSnapshot,
  annotation: Annotation,
): Partial<AnnotationSnapshot> {
  const own = storableContent(current);
  const row = snapshotFromAnnotation(annotation);
  const changes: Partial<AnnotationSnapshot> = {};
  if (own.label !== "" && row.label !== own.label) changes.label = row.label; // "": the row kept its old label
  if (row.description !== own.description) changes.description = row.description;
  if (JSON.stringify(row.tags) !== JSON.stringify(own.tags)) changes.tags = row.tags;
  if (row.confidence !== own.confidence) changes.confidence = row.confidence;
  if (row.status !== current.status) changes.status = row.status;
  return changes;
}

/** Writes the row's outside changes into the document when the row is newer than its recorded version. */
export function reconcileWithAnnotation(doc: Y.Doc, annotation: Annotation | null, origin?: unknown): boolean {
  const meta = annotationFields(doc).meta;
  const projected = meta.get(PROJECTED_VERSION_KEY);
  if (!annotation || (typeof projected === "number" && annotation.version <= projected)) return false;
  const changes = changedOutsideDocument(readSnapshot(doc), annotation);
  doc.transact(() => {
    writeSnapshot(doc, changes);
    meta.set(PROJECTED_VERSION_KEY, annotation.version);
  }, origin);
  return true;
}
