// Voting on annotations: one vote per user per annotation (+1 or -1). Voting the same value again removes
// the vote (toggle); the other value replaces it. Annotation.voteScore is kept equal to the sum of votes.
import { AppError } from "@mmatlas/errors";
import { assertCan, type Actor } from "@mmatlas/auth";
import type { Annotation, PrismaClient } from "@mmatlas/db";
import { getAnnotation } from "./annotations";

export interface VoteResult {
  annotation: Annotation;
  /** the actor's vote after this call: 1, -1, or 0 when it was toggled off */
  myVote: number;
}

/** What a vote of `value` does given the actor's existing vote (pure; used by castVote). */
export function nextVote(existing: number | null, value: number): number {
  return existing === value ? 0 : value;
}

export async function castVote(
  prisma: PrismaClient,
  actor: Actor | null,
  annotationId: string,
  value: number,
): Promise<VoteResult> {
  assertCan(actor, "vote");
  if (value !== 1 && value !== -1) throw AppError.badInput("value must be 1 or -1", "value");
  const target = await getAnnotation(prisma, actor, annotationId);
  if (target.status === "DRAFT") throw AppError.badInput("drafts cannot be voted on", "annotationId");
  if (target.authorId === actor.userId)
    throw AppError.badInput("you cannot vote on your own annotation", "annotationId");
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Annotation" WHERE id = ${annotationId} FOR UPDATE`;
    const key = { annotationId_userId: { annotationId, userId: actor.userId } };
    const existing = await tx.vote.findUnique({ where: key });
    const myVote = nextVote(existing?.value ?? null, value);
    if (myVote === 0) await tx.vote.delete({ where: key });
    else
      await tx.vote.upsert({
        where: key,
        create: { annotationId, userId: actor.userId, value: myVote },
        update: { value: myVote },
      });
    const sum = await tx.vote.aggregate({ where: { annotationId }, _sum: { value: true } });
    const annotation = await tx.annotation.update({
      where: { id: annotationId },
      data: { voteScore: sum._sum.value ?? 0 },
    });
    return { annotation, myVote };
  });
}
