// The unit's collaborative annotation: the one Annotation row a unit's shared Yjs document is projected
// into (CollabDocument.annotationId). Everyone who may annotate co-authors it, so content edits need only
// "annotation.create" and any annotator may move it DRAFT ↔ PROPOSED (and REJECTED → DRAFT); accepting or
// rejecting still needs a reviewer. Content from the live document is made storable (trimmed, cut to the
// limits, control characters dropped) instead of failing the save; an empty label keeps the stored one.
import { AppError } from "@mmatlas/errors";
import { assertCan, can, type Actor } from "@mmatlas/auth";
import type { Annotation, AnnotationStatus, PrismaClient } from "@mmatlas/db";
import { transitionProblem } from "./transitions";
import { computeLabelState } from "./label-state";
import { lockUnit, syncUnitLabelState } from "./unit-label-sync";
import { DESCRIPTION_MAX, LABEL_MAX, normalizeConfidence, TAGS_MAX, TAG_MAX } from "./validation";

export interface CollaborativeContent {
  label: string;
  description: string;
  tags: string[];
  confidence: number | null;
  status: AnnotationStatus;
}

export interface SaveCollaborativeInput {
  unitId: string;
  content: CollaborativeContent;
  /** who last changed the content (content revisions name them) */
  editor: Actor;
  /** who set the document's status, when it differs from the stored one (defaults to `editor`) */
  statusSetBy?: Actor | null;
}

export interface SaveCollaborativeResult {
  /** the projected row; null while the document has no label yet (nothing to project) */
  annotation: Annotation | null;
  change: "CREATED" | "UPDATED" | null;
  /** why the document's status was not applied (the row keeps its status; callers write it back) */
  statusRefused: AppError | null;
}

// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Makes live-document text storable: NFC, control characters removed, trimmed, cut to `max`. */
export function storableText(value: string, max: number, singleLine: boolean): string {
  let v = value.normalize("NFC").replace(CONTROL_ALL, "");
  if (singleLine) v = v.replace(/\s+/g, " ");
  return v.trim().slice(0, max).trim();
}

/** Storable content of a live document: limits applied, tags de-duplicated, confidence in [0, 1] or null. */
export function storableContent(c: CollaborativeContent): Omit<CollaborativeContent, "status"> {
  const tags = [...new Set(c.tags.map((t) => storableText(t, TAG_MAX, true)).filter(Boolean))].slice(0, TAGS_MAX);
  let confidence: number | null;
  try {
    confidence = normalizeConfidence(c.confidence);
  } catch {
    confidence = null;
  }
  return {
    label: storableText(c.label, LABEL_MAX, true),
    description: storableText(c.description, DESCRIPTION_MAX, false),
    tags,
    confidence,
  };
}

/** Status rules of a co-authored annotation: everyone is an author; reviewers may also accept/reject. */
export function collaborativeStatusProblem(
  from: AnnotationStatus,
  to: AnnotationStatus,
  actor: Actor,
): AppError | null {
  return transitionProblem(from, to, { isAuthor: true, canReview: can(actor, "annotation.review") });
}

/**
 * Projects a unit's live document into its collaborative Annotation row (creating it, and linking it from
 * CollabDocument, on the first save with a label). Writes an AnnotationRevision whenever the row is or
 * becomes ACCEPTED, bumps `version`, and re-derives the unit's label state. The CollabDocument row must
 * exist (store the Yjs state first).
 */
export async function saveCollaborativeAnnotation(
  prisma: PrismaClient,
  input: SaveCollaborativeInput,
): Promise<SaveCollaborativeResult> {
  const { unitId, editor } = input;
  assertCan(editor, "annotation.create");
  const content = storableContent(input.content);
  return prisma.$transaction(async (tx) => {
    await lockUnit(tx, unitId);
    const link = await tx.collabDocument.findUnique({ where: { unitId }, select: { annotationId: true } });
    if (!link) throw AppError.notFound("CollabDocument", unitId);
    const current = link.annotationId ? await tx.annotation.findUnique({ where: { id: link.annotationId } }) : null;

    if (!current) {
      if (!content.label) return { annotation: null, change: null, statusRefused: null };
      const wanted = input.content.status;
      const status: AnnotationStatus = wanted === "PROPOSED" ? "PROPOSED" : "DRAFT";
      const statusRefused =
        wanted === status
          ? null
          : (collaborativeStatusProblem("DRAFT", wanted, input.statusSetBy ?? editor) ??
            AppError.badInput(`a new annotation is DRAFT or PROPOSED`, "status"));
      const created = await tx.annotation.create({ data: { ...content, status, unitId, authorId: editor.userId } });
      await tx.collabDocument.update({ where: { unitId }, data: { annotationId: created.id } });
      await syncUnitLabelState(tx, unitId);
      return { annotation: created, change: "CREATED" as const, statusRefused };
    }

    const next = { ...content, label: content.label || current.label };
    const changesContent =
      next.label !== current.label ||
      next.description !== current.description ||
      JSON.stringify(next.tags) !== JSON.stringify(current.tags) ||
      next.confidence !== current.confidence;
    let status = current.status;
    let statusRefused: AppError | null = null;
    if (input.content.status !== current.status) {
      statusRefused = collaborativeStatusProblem(current.status, input.content.status, input.statusSetBy ?? editor);
      if (!statusRefused) status = input.content.status;
    }
    // an accepted annotation edited by a non-reviewer goes back to review
    if (changesContent && status === "ACCEPTED" && !can(editor, "annotation.review")) {
      status = "PROPOSED";
      if (input.content.status === "ACCEPTED" && !statusRefused)
        statusRefused = AppError.forbidden("only a reviewer can keep an edited annotation ACCEPTED");
    }
    if (!changesContent && status === current.status) return { annotation: current, change: null, statusRefused };

    const version = current.version + 1;
    const updated = await tx.annotation.update({ where: { id: current.id }, data: { ...next, status, version } });
    if (status === "ACCEPTED" || current.status === "ACCEPTED") {
      // a status change is credited to whoever set the status (the reviewer on accept), content to the editor
      const revisionBy = status !== current.status ? (input.statusSetBy ?? editor) : editor;
      await tx.annotationRevision.create({
        data: {
          annotationId: updated.id,
          version,
          editorId: revisionBy.userId,
          label: updated.label,
          description: updated.description,
          tags: updated.tags,
          confidence: updated.confidence,
          status: updated.status,
        },
      });
    }
    await syncUnitLabelState(tx, unitId);
    return { annotation: updated, change: "UPDATED" as const, statusRefused };
  });
}

/**
 * Runs the statements of saveCollaborativeAnnotation once with `missingUnitId`, an id no unit has, so that Prisma
 * prepares them before the first real save (in a fresh process that preparation blocked the event loop ≈ 100 ms
 * during the first co-labeling store). Reads find nothing and every write is refused (no such row, or a foreign
 * key to a unit or user that does not exist), so nothing is written; those expected refusals are swallowed.
 */
export async function warmUpCollaborativeSave(prisma: PrismaClient, missingUnitId: string): Promise<void> {
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      () => undefined,
    );
  const content = storableContent({ label: "", description: "", tags: [], confidence: null, status: "DRAFT" });
  const state = computeLabelState([]);
  // the transaction and its row lock (NOT_FOUND: the save stops there)
  await refused(
    saveCollaborativeAnnotation(prisma, {
      unitId: missingUnitId,
      content: { ...content, status: "DRAFT" },
      editor: WARM_UP_EDITOR,
    }),
  );
  // the statements after the lock, with the shapes the save uses
  await refused(prisma.collabDocument.findUnique({ where: { unitId: missingUnitId }, select: { annotationId: true } }));
  await refused(prisma.annotation.findUnique({ where: { id: missingUnitId } }));
  await refused(
    prisma.annotation.create({ data: { ...content, status: "DRAFT", unitId: missingUnitId, authorId: missingUnitId } }),
  );
  await refused(
    prisma.collabDocument.update({ where: { unitId: missingUnitId }, data: { annotationId: missingUnitId } }),
  );
  await refused(
    prisma.annotation.findMany({
      where: { unitId: missingUnitId, status: { in: ["PROPOSED", "ACCEPTED"] } },
      select: { label: true, status: true, updatedAt: true },
    }),
  );
  await refused(prisma.unit.update({ where: { id: missingUnitId }, data: state }));
  await refused(
    prisma.annotation.update({ where: { id: missingUnitId }, data: { ...content, status: "DRAFT", version: 1 } }),
  );
  await refused(
    prisma.annotationRevision.create({
      data: {
        annotationId: missingUnitId,
        version: 1,
        editorId: missingUnitId,
        label: "",
        description: "",
        tags: [],
        confidence: null,
        status: "DRAFT",
      },
    }),
  );
}

/** A member who may annotate, for the warm-up only (it never reaches a write). */
const WARM_UP_EDITOR: Actor = {
  userId: "warm-up",
  email: "warm-up@invalid",
  displayName: "warm-up",
  role: "ANNOTATOR",
  via: "session",
};
