// Reads of similar units and unit-set maps written by the atlas build (UnitNeighbour, UnitMapPoint): a unit's
// nearest units of one kind (batched per request), and every point of a unit set's 2D map with what colours it.
import DataLoader from "dataloader";
import type { PrismaClient, Unit, UnitKind } from "@mmatlas/db";

/** how two units are compared (the Prisma enum NeighbourKind) */
export type NeighbourKind = "DECODER_COSINE" | "ACTIVATION_CORRELATION";

export interface UnitNeighbourRow {
  kind: NeighbourKind;
  rank: number;
  score: number;
  unit: Unit;
}

/** neighbours stored per unit and kind by the build */
export const MAX_NEIGHBOURS = 10;

/** Neighbours by `${kind}:${unitId}`, by rank, in one query per batch. */
export function neighboursLoader(prisma: PrismaClient): DataLoader<string, UnitNeighbourRow[]> {
  return new DataLoader<string, UnitNeighbourRow[]>(async (keys) => {
    const pairs = keys.map((k) => {
      const i = k.indexOf(":");
      return { kind: k.slice(0, i) as NeighbourKind, unitId: k.slice(i + 1) };
    });
    const rows = await prisma.unitNeighbour.findMany({
      where: {
        OR: [...new Set(pairs.map((p) => p.kind))].map((kind) => ({
          kind,
          unitId: { in: pairs.filter((p) => p.kind === kind).map((p) => p.unitId) },
        })),
      },
      include: { neighbour: true },
      orderBy: [{ unitId: "asc" }, { kind: "asc" }, { rank: "asc" }],
    });
    const groups = new Map<string, UnitNeighbourRow[]>(keys.map((k) => [k, []]));
    for (const r of rows)
      groups.get(`${r.kind}:${r.unitId}`)?.push({ kind: r.kind, rank: r.rank, score: r.score, unit: r.neighbour });
    return keys.map((k) => groups.get(k)!);
  });
}

export interface UnitMapPointRow {
  unitId: string;
  index: number;
  x: number;
  y: number;
  labelState: string;
  /** the current (human) label, else the top auto-label */
  label: string | null;
  topAutoLabel: string | null;
  /** the score the auto-labeller gave the top auto-label */
  autoLabelScore: number | null;
  /** detection AUROC of the unit's best-scored label (label-scoring job), null while none is scored */
  bestLabelScore: number | null;
}

export interface UnitSetMap {
  source: NeighbourKind;
  points: UnitMapPointRow[];
}

export interface UnitSetRef {
  hookPointId: string;
  dictionaryId: string | null;
  kind: UnitKind;
}

const numberOrNull = (v: unknown) => (v == null ? null : Number(v));

/** The stored 2D map of one unit set, by unit index; null when the set has none (heads, not built yet). */
export async function unitSetMap(prisma: PrismaClient, set: UnitSetRef): Promise<UnitSetMap | null> {
  const rows = await prisma.$queryRawUnsafe<(UnitMapPointRow & { source: NeighbourKind })[]>(
    `SELECT p."unitId", u."index", p."x", p."y", p."source"::text AS "source", u."labelState"::text AS "labelState",
       COALESCE(u."currentLabel", u."topAutoLabel") AS "label", u."topAutoLabel",
       (SELECT (e ->> 'score')::double precision FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u."autoLabels") = 'array' THEN u."autoLabels" ELSE '[]'::jsonb END) e
         WHERE e ->> 'label' = u."topAutoLabel" AND jsonb_typeof(e -> 'score') = 'number' LIMIT 1) AS "autoLabelScore",
       u."bestLabelScore"
     FROM "UnitMapPoint" p JOIN "Unit" u ON u."id" = p."unitId"
     WHERE u."hookPointId" = $1 AND u."dictionaryId" IS NOT DISTINCT FROM $2 AND u."kind" = $3::"UnitKind"
     ORDER BY u."index"`,
    set.hookPointId,
    set.dictionaryId,
    set.kind,
  );
  if (rows.length === 0) return null;
  return {
    source: rows[0].source,
    points: rows.map(({ source: _source, ...p }) => ({
      ...p,
      index: Number(p.index),
      x: Number(p.x),
      y: Number(p.y),
      autoLabelScore: numberOrNull(p.autoLabelScore),
      bestLabelScore: numberOrNull(p.bestLabelScore),
    })),
  };
}
