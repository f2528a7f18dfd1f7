// Threaded comments on a unit, optionally about one of its annotations and optionally replying to another
// comment of the same unit. Comments on an annotation the actor may not see (others' drafts) cannot be replied to.
import { AppError } from "@mmatlas/errors";
import { assertCan, type Actor } from "@mmatlas/auth";
import type { Comment, PrismaClient } from "@mmatlas/db";
import { isVisibleTo } from "./annotations";
import { normalizeCommentBody } from "./validation";

export interface AddCommentInput {
  unitId: string;
  body: string;
  annotationId?: string | null;
  parentId?: string | null;
}

export async function addComment(prisma: PrismaClient, actor: Actor | null, input: AddCommentInput): Promise<Comment> {
  assertCan(actor, "comment");
  const body = normalizeCommentBody(input.body);
  const unit = await prisma.unit.findUnique({ where: { id: input.unitId }, select: { id: true } });
  if (!unit) throw AppError.notFound("Unit", input.unitId);
  let annotationId = input.annotationId ?? null;
  if (annotationId) {
    const a = await prisma.annotation.findUnique({ where: { id: annotationId } });
    if (!a || !isVisibleTo(a, actor)) throw AppError.notFound("Annotation", annotationId);
    if (a.unitId !== unit.id) throw AppError.badInput("the annotation belongs to another unit", "annotationId");
  }
  if (input.parentId) {
    const parent = await prisma.comment.findUnique({ where: { id: input.parentId }, include: { annotation: true } });
    // a comment on someone else's draft does not exist for this actor: no replies into hidden threads
    if (!parent || (parent.annotation && !isVisibleTo(parent.annotation, actor)))
      throw AppError.notFound("Comment", input.parentId);
    if (parent.unitId !== unit.id) throw AppError.badInput("the parent comment belongs to another unit", "parentId");
    annotationId ??= parent.annotationId; // a reply stays in its thread's annotation
  }
  return prisma.comment.create({
    data: { unitId: unit.id, body, annotationId, parentId: input.parentId ?? null, authorId: actor.userId },
  });
}
