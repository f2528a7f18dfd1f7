// Unit reads: filtered Relay pages in a stable order (hook point, index, id) with keyset cursors, unit
// lookup by id or slug, and counts for a filter.
import { AppError } from "@mmatlas/errors";
import { jsonFloat, sqlReaderOf, utcDate, type LabelState, type NamedStatement, type Prisma, type PrismaClient, type Unit, type UnitKind } from "@mmatlas/db";
import { decodeCursor } from "./cursor";
import { pageSize, toConnection, type Connection } from "./pagination";

export interface UnitFilter {
  modelId?: string | null;
  hookPointId?: string | null;
  /** TransformerLens hook name, e.g. vision.blocks.1.mlp.hook_post */
  hookName?: string | null;
  dictionaryId?: string | null;
  kind?: UnitKind | null;
  labelState?: LabelState | null;
  /** case-insensitive substring of the current label, the top auto-label or a proposed/accepted annotation label */
  search?: string | null;
}

export const SEARCH_MAX = 200;
const UNIT_KEY = ["string", "number", "string"] as const;
const unitKey = (u: Unit) => [u.hookPointId, u.index, u.id];

/** The Prisma where clause for a filter (validated). */
export function unitWhere(filter: UnitFilter = {}): Prisma.UnitWhereInput {
  const and: Prisma.UnitWhereInput[] = [];
  if (filter.modelId) and.push({ modelId: filter.modelId });
  if (filter.hookPointId) and.push({ hookPointId: filter.hookPointId });
  if (filter.hookName) and.push({ hookPoint: { name: filter.hookName } });
  if (filter.dictionaryId) and.push({ dictionaryId: filter.dictionaryId });
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.labelState) and.push({ labelState: filter.labelState });
  if (filter.search != null) {
    const q = filter.search.trim();
    if (q.length > SEARCH_MAX) throw AppError.badInput(`search must have at most ${SEARCH_MAX} characters`, "search");
    if (q) {
      const contains = { contains: q, mode: "insensitive" as const };
      and.push({
        OR: [
          { currentLabel: contains },
          { topAutoLabel: contains },
          { annotations: { some: { label: contains, status: { in: ["PROPOSED", "ACCEPTED"] } } } },
        ],
      });
    }
  }
  return and.length ? { AND: and } : {};
}

/** Above this many matching annotated units, search keeps the EXISTS form instead of an id list. */
export const ANNOTATION_MATCH_LIMIT = 5000;

/**
 * The where clause for a filter, with the annotation-label arm of `search` resolved to a list of unit ids
 * first (a trigram index lookup). PostgreSQL can then answer the search with one BitmapOr over the trigram
 * indexes (label_search_indexes migration) instead of filtering every unit through an EXISTS sub-plan,
 * which cannot be OR-ed with index scans (7–10 s at 1M units; see docs/benchmarks.md).
 */
export async function resolvedUnitWhere(prisma: PrismaClient, filter: UnitFilter = {}): Promise<Prisma.UnitWhereInput> {
  const q = typeof filter.search === "string" ? filter.search.trim() : "";
  if (!q || q.length > SEARCH_MAX) return unitWhere(filter);
  const contains = { contains: q, mode: "insensitive" as const };
  const annotated = await prisma.annotation.findMany({
    where: { label: contains, status: { in: ["PROPOSED", "ACCEPTED"] } },
    select: { unitId: true }, distinct: ["unitId"], take: ANNOTATION_MATCH_LIMIT + 1,
  });
  if (annotated.length > ANNOTATION_MATCH_LIMIT) return unitWhere(filter);
  const rest = unitWhere({ ...filter, search: null });
  const search: Prisma.UnitWhereInput = {
    OR: [{ currentLabel: contains }, { topAutoLabel: contains }, ...(annotated.length ? [{ id: { in: annotated.map((a) => a.unitId) } }] : [])],
  };
  return { AND: [...(rest.AND ? (rest.AND as Prisma.UnitWhereInput[]) : []), search] };
}

/** Rows strictly after the cursor key in (hookPointId, index, id) order. */
function afterKey(after: string): Prisma.UnitWhereInput {
  const [h, i, id] = decodeCursor(after, UNIT_KEY) as [string, number, string];
  return { OR: [{ hookPointId: { gt: h } }, { hookPointId: h, index: { gt: i } }, { hookPointId: h, index: i, id: { gt: id } }] };
}

export async function listUnits(prisma: PrismaClient, args: { filter?: UnitFilter | null; first?: number | null; after?: string | null }): Promise<Connection<Unit>> {
  const size = pageSize(args.first);
  const where = await resolvedUnitWhere(prisma, args.filter ?? {});
  const rows = await prisma.unit.findMany({
    where: args.after ? { AND: [where, afterKey(args.after)] } : where,
    orderBy: [{ hookPointId: "asc" }, { index: "asc" }, { id: "asc" }],
    take: size + 1,
  });
  return toConnection(rows, size, unitKey, args.after);
}

export const countUnits = async (prisma: PrismaClient, filter: UnitFilter | null | undefined) => prisma.unit.count({ where: await resolvedUnitWhere(prisma, filter ?? {}) });

/** A unit by id or slug; NOT_FOUND otherwise. */
export async function getUnit(prisma: PrismaClient, idOrSlug: string): Promise<Unit> {
  if (typeof idOrSlug !== "string" || !idOrSlug) throw AppError.badInput("id is required", "id");
  const [row] = await sqlReaderOf(prisma).rows<{ unit: string }>(UNIT_BY_ID_OR_SLUG, [idOrSlug]);
  if (!row) throw AppError.notFound("Unit", idOrSlug);
  return unitFromJson(row.unit);
}

/** One named statement (the unit page's first read); the row as JSON text, read back by unitFromJson. */
const UNIT_BY_ID_OR_SLUG: NamedStatement = {
  name: "catalog.unitByIdOrSlug",
  text: `select row_to_json(u)::text as "unit" from "Unit" u where u.id = $1 or u.slug = $1 limit 1`,
};

type UnitJson = Omit<Unit, "createdAt" | "updatedAt" | "maxActivation" | "density" | "multimodalScore"> & {
  createdAt: string; updatedAt: string; maxActivation: number | string | null; density: number | string | null; multimodalScore: number | string | null;
};

/** A Unit row from row_to_json text, with the types Prisma gives it. */
function unitFromJson(json: string): Unit {
  const r = JSON.parse(json) as UnitJson;
  return {
    ...r, createdAt: utcDate(r.createdAt), updatedAt: utcDate(r.updatedAt),
    maxActivation: jsonFloat(r.maxActivation), density: jsonFloat(r.density), multimodalScore: jsonFloat(r.multimodalScore),
  };
}
