// Annotation listing for scripts: filters (model, hook, unit kind, status, author, label text, updated
// since) over the annotations the actor may see, Relay pages ordered by (updatedAt, id) with keyset
// cursors, so a script can resume from its last cursor and only see rows changed after it.
import { AppError } from "@mmatlas/errors";
import type { Actor } from "@mmatlas/auth";
import { decodeCursor, pageSize, toConnection, withModelId, type Connection } from "@mmatlas/catalog";
import type { Annotation, AnnotationStatus, Prisma, PrismaClient, UnitKind } from "@mmatlas/db";
import { visibleAnnotationsWhere } from "./annotations";

export interface AnnotationFilter {
  /** model id or name (listAnnotations / countAnnotations resolve it; annotationWhere takes an id) */
  modelId?: string | null;
  hookPointId?: string | null;
  /** TransformerLens hook name, e.g. vision.blocks.1.mlp.hook_post */
  hookName?: string | null;
  unitId?: string | null;
  unitKind?: UnitKind | null;
  status?: AnnotationStatus | null;
  authorId?: string | null;
  /** case-insensitive substring of the label */
  labelContains?: string | null;
  /** only annotations changed at or after this time */
  updatedSince?: Date | null;
}

export const LABEL_CONTAINS_MAX = 200;

/** `text` as a literal inside a LIKE pattern (PostgreSQL's default escape character is the backslash). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const KEY = ["string", "string"] as const;

/** The Prisma filter for `filter` within what `actor` may see (validated). */
export function annotationWhere(filter: AnnotationFilter, actor: Actor | null): Prisma.AnnotationWhereInput {
  const and: Prisma.AnnotationWhereInput[] = [visibleAnnotationsWhere(actor)];
  const unit: Prisma.UnitWhereInput = {};
  if (filter.modelId) unit.modelId = filter.modelId;
  if (filter.hookPointId) unit.hookPointId = filter.hookPointId;
  if (filter.hookName) unit.hookPoint = { name: filter.hookName };
  if (filter.unitKind) unit.kind = filter.unitKind;
  if (Object.keys(unit).length) and.push({ unit });
  if (filter.unitId) and.push({ unitId: filter.unitId });
  if (filter.status) and.push({ status: filter.status });
  if (filter.authorId) and.push({ authorId: filter.authorId });
  if (filter.labelContains != null) {
    const q = filter.labelContains.trim();
    if (q.length > LABEL_CONTAINS_MAX)
      throw AppError.badInput(`labelContains must have at most ${LABEL_CONTAINS_MAX} characters`, "labelContains");
    // Prisma's `contains` is ILIKE '%q%' without escaping: "%" and "_" in q would match anything
    if (q) and.push({ label: { contains: escapeLike(q), mode: "insensitive" } });
  }
  if (filter.updatedSince != null) {
    if (!(filter.updatedSince instanceof Date) || Number.isNaN(filter.updatedSince.getTime()))
      throw AppError.badInput("updatedSince must be a date", "updatedSince");
    and.push({ updatedAt: { gte: filter.updatedSince } });
  }
  return { AND: and };
}

function afterKey(after: string): Prisma.AnnotationWhereInput {
  const [at, id] = decodeCursor(after, KEY) as [string, string];
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw AppError.badInput("after is not a valid cursor", "after");
  return { OR: [{ updatedAt: { gt: date } }, { updatedAt: date, id: { gt: id } }] };
}

export async function listAnnotations(
  prisma: PrismaClient,
  actor: Actor | null,
  args: { filter?: AnnotationFilter | null; first?: number | null; after?: string | null },
): Promise<Connection<Annotation>> {
  const size = pageSize(args.first);
  const where = annotationWhere(await withModelId(prisma, args.filter ?? {}), actor);
  const rows = await prisma.annotation.findMany({
    where: args.after ? { AND: [where, afterKey(args.after)] } : where,
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: size + 1,
  });
  return toConnection(rows, size, (a) => [a.updatedAt.toISOString(), a.id], args.after);
}

export const countAnnotations = async (
  prisma: PrismaClient,
  actor: Actor | null,
  filter: AnnotationFilter | null | undefined,
) => prisma.annotation.count({ where: annotationWhere(await withModelId(prisma, filter ?? {}), actor) });
