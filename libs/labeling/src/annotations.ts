// Creating and editing annotations: policy checks (@mmatlas/auth), optimistic versioning, the status
// workflow, revisions for every change touching an accepted annotation, and the unit's label state.
import { AppError } from "@mmatlas/errors";
import { assertCan, can, type Actor } from "@mmatlas/auth";
import type { Annotation, AnnotationStatus, PrismaClient } from "@mmatlas/db";
import { assertTransition } from "./transitions";
import { lockUnit, syncUnitLabelState } from "./unit-label-sync";
import { normalizeConfidence, normalizeDescription, normalizeLabel, normalizeTags } from "./validation";

export interface CreateAnnotationInput {
  unitId: string;
  label: string;
  description?: string | null;
  tags?: string[] | null;
  confidence?: number | null;
  /** DRAFT (default) or PROPOSED */
  status?: AnnotationStatus | null;
}

export interface UpdateAnnotationInput {
  id: string;
  /** the version the client last saw; a mismatch is a CONFLICT */
  version: number;
  label?: string | null;
  description?: string | null;
  tags?: string[] | null;
  confidence?: number | null;
  status?: AnnotationStatus | null;
}

/** Drafts are private to their author; everything else is public. */
export const isVisibleTo = (a: Pick<Annotation, "status" | "authorId">, actor: Actor | null | undefined): boolean =>
  a.status !== "DRAFT" || a.authorId === actor?.userId;

/** Prisma filter for the annotations `actor` may see. */
export const visibleAnnotationsWhere = (actor: Actor | null | undefined) =>
  actor
    ? { OR: [{ status: { not: "DRAFT" as const } }, { authorId: actor.userId }] }
    : { status: { not: "DRAFT" as const } };

/** Loads an annotation the actor may see, else NOT_FOUND (others' drafts do not exist for them). */
export async function getAnnotation(prisma: PrismaClient, actor: Actor | null, id: string): Promise<Annotation> {
  const a = await prisma.annotation.findUnique({ where: { id } });
  if (!a || !isVisibleTo(a, actor)) throw AppError.notFound("Annotation", id);
  return a;
}

export async function createAnnotation(
  prisma: PrismaClient,
  actor: Actor | null,
  input: CreateAnnotationInput,
): Promise<Annotation> {
  assertCan(actor, "annotation.create");
  const status = input.status ?? "DRAFT";
  if (status !== "DRAFT" && status !== "PROPOSED")
    throw AppError.badInput("a new annotation is DRAFT or PROPOSED", "status");
  const data = {
    label: normalizeLabel(input.label),
    description: normalizeDescription(input.description),
    tags: normalizeTags(input.tags),
    confidence: normalizeConfidence(input.confidence),
  };
  if (typeof input.unitId !== "string" || !input.unitId) throw AppError.badInput("unitId is required", "unitId");
  return prisma.$transaction(async (tx) => {
    await lockUnit(tx, input.unitId);
    const created = await tx.annotation.create({
      data: { ...data, status, unitId: input.unitId, authorId: actor.userId },
    });
    await syncUnitLabelState(tx, input.unitId);
    return created;
  });
}

export async function updateAnnotation(
  prisma: PrismaClient,
  actor: Actor | null,
  input: UpdateAnnotationInput,
): Promise<Annotation> {
  assertCan(actor, "read");
  if (!Number.isInteger(input.version) || input.version < 1)
    throw AppError.badInput("version must be a positive integer", "version");
  const content: Partial<Pick<Annotation, "label" | "description" | "tags" | "confidence">> = {};
  if (input.label != null) content.label = normalizeLabel(input.label);
  if (input.description != null) content.description = normalizeDescription(input.description);
  if (input.tags != null) content.tags = normalizeTags(input.tags);
  if (input.confidence !== undefined) content.confidence = normalizeConfidence(input.confidence);

  const existing = await getAnnotation(prisma, actor, input.id);
  return prisma.$transaction(async (tx) => {
    await lockUnit(tx, existing.unitId);
    const current = await tx.annotation.findUnique({ where: { id: input.id } });
    if (!current) throw AppError.notFound("Annotation", input.id);
    if (current.version !== input.version) {
      throw AppError.conflict(
        `annotation was changed by someone else (version ${current.version}, you sent ${input.version})`,
        { currentVersion: current.version },
      );
    }
    const isAuthor = current.authorId === actor.userId;
    const canReview = can(actor, "annotation.review");
    const changesContent = (Object.keys(content) as (keyof typeof content)[]).some(
      (k) => JSON.stringify(content[k]) !== JSON.stringify(current[k]),
    );
    if (changesContent) assertCan(actor, isAuthor ? "annotation.updateOwn" : "annotation.updateAny");

    let status = input.status ?? current.status;
    if (status !== current.status) {
      assertCan(actor, isAuthor ? "annotation.updateOwn" : "annotation.review");
      assertTransition(current.status, status, { isAuthor, canReview });
    } else if (changesContent && status === "ACCEPTED" && !canReview) {
      status = "PROPOSED"; // an accepted annotation edited by a non-reviewer goes back to review
    }
    if (!changesContent && status === current.status) return current;

    const version = current.version + 1;
    const updated = await tx.annotation.update({ where: { id: current.id }, data: { ...content, status, version } });
    if (status === "ACCEPTED" || current.status === "ACCEPTED") {
      await tx.annotationRevision.create({
        data: {
          annotationId: updated.id,
          version,
          editorId: actor.userId,
          label: updated.label,
          description: updated.description,
          tags: updated.tags,
          confidence: updated.confidence,
          status: updated.status,
        },
      });
    }
    await syncUnitLabelState(tx, current.unitId);
    return updated;
  });
}
