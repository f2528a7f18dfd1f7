// Per-request DataLoaders for the labeling data a page of units needs (annotations by unit, authors, the
// viewer's votes, comments, revisions): one SQL query per kind per batch, whatever the page size.
import DataLoader from "dataloader";
import type { Actor } from "@mmatlas/auth";
import { toPublicUser, type PublicUser } from "@mmatlas/auth";
import type { Annotation, AnnotationRevision, Comment, LabelScore, PrismaClient } from "@mmatlas/db";
import { visibleAnnotationsWhere } from "./annotations";
import { labelScoresOfUnits } from "./label-scores";
import { commentsOfUnits, visibleAnnotationsOfUnits } from "./unit-rows-query";

const STATUS_ORDER = { ACCEPTED: 0, PROPOSED: 1, DRAFT: 2, REJECTED: 3 } as const;

/** Accepted first, then by score, then oldest first. */
export const annotationDisplayOrder = (a: Annotation, b: Annotation) =>
  STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
  b.voteScore - a.voteScore ||
  a.createdAt.getTime() - b.createdAt.getTime() ||
  (a.id < b.id ? -1 : 1);

function groupBy<T, K extends string>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

export interface LabelingLoaders {
  annotation: DataLoader<string, Annotation | null>;
  annotationsByUnit: DataLoader<string, Annotation[]>;
  user: DataLoader<string, PublicUser | null>;
  /** the viewer's vote on an annotation: 1, -1 or 0 */
  myVote: DataLoader<string, number>;
  commentsByUnit: DataLoader<string, Comment[]>;
  commentsByAnnotation: DataLoader<string, Comment[]>;
  revisionsByAnnotation: DataLoader<string, AnnotationRevision[]>;
  /** explanation scores of each unit's labels (label-scores.ts) */
  labelScoresByUnit: DataLoader<string, LabelScore[]>;
}

export function createLabelingLoaders(prisma: PrismaClient, viewer: Actor | null): LabelingLoaders {
  const visible = visibleAnnotationsWhere(viewer);
  return {
    annotation: new DataLoader(async (ids) => {
      const rows = await prisma.annotation.findMany({ where: { id: { in: [...ids] }, ...visible } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    annotationsByUnit: new DataLoader(async (unitIds) => {
      const rows = await visibleAnnotationsOfUnits(prisma, unitIds, viewer?.userId ?? null);
      return groupBy(unitIds, rows, (r) => r.unitId).map((g) => g.sort(annotationDisplayOrder));
    }),
    user: new DataLoader(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, toPublicUser(r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    myVote: new DataLoader(async (annotationIds) => {
      if (!viewer) return annotationIds.map(() => 0);
      const rows = await prisma.vote.findMany({
        where: { userId: viewer.userId, annotationId: { in: [...annotationIds] } },
      });
      const byId = new Map(rows.map((r) => [r.annotationId, r.value]));
      return annotationIds.map((id) => byId.get(id) ?? 0);
    }),
    labelScoresByUnit: new DataLoader((unitIds) => labelScoresOfUnits(prisma, unitIds)),
    commentsByUnit: new DataLoader(async (unitIds) => {
      const rows = await commentsOfUnits(prisma, unitIds, viewer?.userId ?? null);
      return groupBy(unitIds, rows, (r) => r.unitId);
    }),
    commentsByAnnotation: new DataLoader(async (annotationIds) => {
      const rows = await prisma.comment.findMany({
        where: { annotationId: { in: [...annotationIds] } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return groupBy(annotationIds, rows, (r) => r.annotationId!);
    }),
    revisionsByAnnotation: new DataLoader(async (annotationIds) => {
      const rows = await prisma.annotationRevision.findMany({
        where: { annotationId: { in: [...annotationIds] } },
        orderBy: { version: "asc" },
      });
      return groupBy(annotationIds, rows, (r) => r.annotationId);
    }),
  };
}
