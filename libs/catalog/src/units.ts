// Unit reads: filtered Relay pages in a stable order (hook point, index, id) with keyset cursors (label search
// through label-search.ts), unit lookup by id or slug, and counts for a filter.
import { AppError } from "@mmatlas/errors";
import {
  jsonFloat,
  sqlReaderOf,
  utcDate,
  type NamedStatement,
  type Prisma,
  type PrismaClient,
  type Unit,
} from "@mmatlas/db";
import { decodeCursor } from "./cursor";
import type { UnitFilter, UnitSort } from "./unit-filter";

export type { UnitFilter, UnitSort };
import { countSearchUnits, searchUnitIds, type ListingKey } from "./label-search";
import { pageSize, toConnection, type Connection } from "./pagination";
import { withModelId } from "./resolve-ref";

export const SEARCH_MAX = 200;
const UNIT_KEY = ["string", "number", "string"] as const;
const unitKey = (u: Unit) => [u.hookPointId, u.index, u.id];

/** The search text of a filter: trimmed, null when empty; BAD_USER_INPUT above SEARCH_MAX characters. */
function searchText(filter: UnitFilter): string | null {
  if (filter.search == null) return null;
  const q = filter.search.trim();
  if (q.length > SEARCH_MAX) throw AppError.badInput(`search must have at most ${SEARCH_MAX} characters`, "search");
  return q || null;
}

/** The Prisma where clause for the structural part of a filter (everything but `search`, see label-search.ts). */
export function unitWhere(filter: UnitFilter = {}): Prisma.UnitWhereInput {
  const and: Prisma.UnitWhereInput[] = [];
  if (filter.modelId) and.push({ modelId: filter.modelId });
  if (filter.hookPointId) and.push({ hookPointId: filter.hookPointId });
  if (filter.hookName) and.push({ hookPoint: { name: filter.hookName } });
  if (filter.dictionaryId) and.push({ dictionaryId: filter.dictionaryId });
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.labelState) and.push({ labelState: filter.labelState });
  for (const [f, op] of [
    ["minBestScore", "gte"],
    ["maxBestScore", "lte"],
  ] as const) {
    const v = filter[f];
    if (v == null) continue;
    if (!Number.isFinite(v) || v < 0 || v > 1) throw AppError.badInput(`${f} must be a number in [0, 1]`, f);
    and.push({ bestLabelScore: { [op]: v } });
  }
  return and.length ? { AND: and } : {};
}

/** Rows strictly after the cursor key in (hookPointId, index, id) order. */
function afterKey(after: string): Prisma.UnitWhereInput {
  const [h, i, id] = decodeCursor(after, UNIT_KEY) as [string, number, string];
  return {
    OR: [
      { hookPointId: { gt: h } },
      { hookPointId: h, index: { gt: i } },
      { hookPointId: h, index: i, id: { gt: id } },
    ],
  };
}

export async function listUnits(
  prisma: PrismaClient,
  args: { filter?: UnitFilter | null; first?: number | null; after?: string | null; sort?: UnitSort | null },
): Promise<Connection<Unit>> {
  const size = pageSize(args.first);
  const filter = await withModelId(prisma, args.filter ?? {});
  unitWhere(filter); // checks the score bounds on every path
  const q = searchText(filter);
  if (args.sort && args.sort !== "CATALOG") return listUnitsByScore(prisma, filter, q, args.sort, size, args.after);
  if (q) {
    const after = args.after ? (decodeCursor(args.after, UNIT_KEY) as ListingKey) : null;
    const ids = await searchUnitIds(prisma, q, filter, after, size + 1);
    return toConnection(await unitsByIds(prisma, ids), size, unitKey, args.after);
  }
  const where = unitWhere(filter);
  const rows = await prisma.unit.findMany({
    where: args.after ? { AND: [where, afterKey(args.after)] } : where,
    orderBy: [{ hookPointId: "asc" }, { index: "asc" }, { id: "asc" }],
    take: size + 1,
  });
  return toConnection(rows, size, unitKey, args.after);
}

const SCORE_KEY = ["number", "string"] as const;

/** Scored units by best label score (then id), keyset-paginated; label search does not combine with this order. */
async function listUnitsByScore(
  prisma: PrismaClient,
  filter: UnitFilter,
  q: string | null,
  sort: Exclude<UnitSort, "CATALOG">,
  size: number,
  after: string | null | undefined,
): Promise<Connection<Unit>> {
  if (q) throw AppError.badInput("sorting by best score cannot be combined with search", "sort");
  const dir = sort === "BEST_SCORE_DESC" ? "desc" : "asc";
  const and: Prisma.UnitWhereInput[] = [unitWhere(filter), { bestLabelScore: { not: null } }];
  if (after) {
    const [score, id] = decodeCursor(after, SCORE_KEY) as [number, string];
    and.push({
      OR: [
        { bestLabelScore: dir === "desc" ? { lt: score } : { gt: score } },
        { bestLabelScore: score, id: { gt: id } },
      ],
    });
  }
  const rows = await prisma.unit.findMany({
    where: { AND: and },
    orderBy: [{ bestLabelScore: dir }, { id: "asc" }],
    take: size + 1,
  });
  return toConnection(rows, size, (u) => [u.bestLabelScore ?? 0, u.id], after);
}

export async function countUnits(prisma: PrismaClient, filter: UnitFilter | null | undefined): Promise<number> {
  const f = await withModelId(prisma, filter ?? {});
  const where = unitWhere(f);
  const q = searchText(f);
  return q ? countSearchUnits(prisma, q, f) : prisma.unit.count({ where });
}

/** Units by id, in the order of `ids` (one named statement). */
async function unitsByIds(prisma: PrismaClient, ids: string[]): Promise<Unit[]> {
  if (!ids.length) return [];
  const rows = await sqlReaderOf(prisma).rows<{ unit: string }>(UNITS_BY_IDS, [ids]);
  const byId = new Map(
    rows.map((r) => {
      const u = unitFromJson(r.unit);
      return [u.id, u] as const;
    }),
  );
  return ids.map((id) => byId.get(id)).filter((u): u is Unit => u !== undefined);
}

const UNITS_BY_IDS: NamedStatement = {
  name: "catalog.unitsByIds",
  text: `select row_to_json(u)::text as "unit" from "Unit" u where u.id = any($1::text[])`,
};

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
  createdAt: string;
  updatedAt: string;
  maxActivation: number | string | null;
  density: number | string | null;
  multimodalScore: number | string | null;
};

/** A Unit row from row_to_json text, with the types Prisma gives it. */
function unitFromJson(json: string): Unit {
  const r = JSON.parse(json) as UnitJson;
  return {
    ...r,
    createdAt: utcDate(r.createdAt),
    updatedAt: utcDate(r.updatedAt),
    maxActivation: jsonFloat(r.maxActivation),
    density: jsonFloat(r.density),
    multimodalScore: jsonFloat(r.multimodalScore),
  };
}
