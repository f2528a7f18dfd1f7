// The annotations and comments of many units, each in one named statement (the unit page reads both on every
// view): rows come back as JSON text and are turned into the same values Prisma returns. The visibility rule
// is annotations.ts's (drafts, and the comments on them, only for their author), in SQL.
import {
  jsonFloat,
  sqlReaderOf,
  utcDate,
  type Annotation,
  type Comment,
  type NamedStatement,
  type PrismaClient,
} from "@mmatlas/db";

const ANNOTATIONS: NamedStatement = {
  name: "labeling.annotationsByUnit",
  text: `select row_to_json(a)::text as "row" from "Annotation" a
    where a."unitId" = any($1::text[]) and (a.status <> 'DRAFT' or a."authorId" = $2)`,
};

// a comment on an annotation is visible with the annotation (others' drafts hide their threads)
const COMMENTS: NamedStatement = {
  name: "labeling.visibleCommentsByUnit",
  text: `select row_to_json(c)::text as "row" from "Comment" c
    left join "Annotation" a on a.id = c."annotationId"
    where c."unitId" = any($1::text[]) and (c."annotationId" is null or a.status <> 'DRAFT' or a."authorId" = $2)
    order by c."createdAt", c.id`,
};

type Dated<T> = Omit<T, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };

/** Annotation row_to_json text → Annotation (as Prisma returns it). */
function annotationFromJson(json: string): Annotation {
  const r = JSON.parse(json) as Dated<Annotation> & { confidence: number | string | null };
  return {
    ...r,
    confidence: jsonFloat(r.confidence),
    createdAt: utcDate(r.createdAt),
    updatedAt: utcDate(r.updatedAt),
  };
}

/** Comment row_to_json text → Comment (as Prisma returns it). */
function commentFromJson(json: string): Comment {
  const r = JSON.parse(json) as Dated<Comment>;
  return { ...r, createdAt: utcDate(r.createdAt), updatedAt: utcDate(r.updatedAt) };
}

/** Annotations of these units that `viewerId` may see (any order). */
export async function visibleAnnotationsOfUnits(
  prisma: PrismaClient,
  unitIds: readonly string[],
  viewerId: string | null,
): Promise<Annotation[]> {
  const rows = await sqlReaderOf(prisma).rows<{ row: string }>(ANNOTATIONS, [[...unitIds], viewerId]);
  return rows.map((r) => annotationFromJson(r.row));
}

/** Comments on these units that `viewerId` may see (not those on others' drafts), oldest first. */
export async function commentsOfUnits(
  prisma: PrismaClient,
  unitIds: readonly string[],
  viewerId: string | null,
): Promise<Comment[]> {
  const rows = await sqlReaderOf(prisma).rows<{ row: string }>(COMMENTS, [[...unitIds], viewerId]);
  return rows.map((r) => commentFromJson(r.row));
}
