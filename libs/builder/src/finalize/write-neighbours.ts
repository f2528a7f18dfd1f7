// Idempotent writes of a unit set's neighbours and map points: the set's stored units are read back by index (they
// were just upserted by slug, so their ids survive rebuilds), their old rows deleted and the new ones inserted in
// one transaction, as binary COPYs on the driver (bulk-session.ts; ≈ 61k units × 10 neighbours × 2 kinds at ViT-B/32
// size), or one unnest INSERT per table on a session without COPY. The COPYs skip the per-row foreign-key triggers
// where the session may, after one statement has locked the set's units (bulk-session.ts, lockReferencedRows).
import type { PrismaClient } from "@mmatlas/db";
import { inBulkTransaction, lockReferencedRows, type BulkSession, type CopyOptions } from "./bulk-session";
import { BinaryCopyWriter } from "./copy-binary";
import { STORED_NEIGHBOURS, type UnitSetNeighbours } from "./neighbours";
import type { UnitOwner } from "./write-units";

type NeighbourKind = "DECODER_COSINE" | "ACTIVATION_CORRELATION";
interface NeighbourRow {
  unitId: string;
  kind: NeighbourKind;
  rank: number;
  neighbourId: string;
  score: number;
}
interface MapPointRow {
  unitId: string;
  x: number;
  y: number;
  source: NeighbourKind;
}

const NEIGHBOUR_COLUMNS = `"unitId", "kind", "rank", "neighbourId", "score"`;
const POINT_COLUMNS = `"unitId", "x", "y", "source"`;

async function insertNeighbours(s: BulkSession, rows: NeighbourRow[], options: CopyOptions): Promise<void> {
  if (!rows.length) return;
  if (s.copy) {
    const w = new BinaryCopyWriter();
    for (const r of rows) w.tuple(5).text(r.unitId).text(r.kind).int4(r.rank).text(r.neighbourId).float8(r.score);
    await s.copy(`"UnitNeighbour"`, NEIGHBOUR_COLUMNS, w.finish(), options);
    return;
  }
  await s.rows(
    `INSERT INTO "UnitNeighbour" (${NEIGHBOUR_COLUMNS}) SELECT * FROM unnest($1::text[], $2::"NeighbourKind"[], $3::int[], $4::text[], $5::double precision[])`,
    [
      rows.map((r) => r.unitId),
      rows.map((r) => r.kind),
      rows.map((r) => r.rank),
      rows.map((r) => r.neighbourId),
      rows.map((r) => r.score),
    ],
  );
}

async function insertMapPoints(s: BulkSession, rows: MapPointRow[], options: CopyOptions): Promise<void> {
  if (!rows.length) return;
  if (s.copy) {
    const w = new BinaryCopyWriter();
    for (const r of rows) w.tuple(4).text(r.unitId).float8(r.x).float8(r.y).text(r.source);
    await s.copy(`"UnitMapPoint"`, POINT_COLUMNS, w.finish(), options);
    return;
  }
  await s.rows(
    `INSERT INTO "UnitMapPoint" (${POINT_COLUMNS}) SELECT * FROM unnest($1::text[], $2::double precision[], $3::double precision[], $4::"NeighbourKind"[])`,
    [rows.map((r) => r.unitId), rows.map((r) => r.x), rows.map((r) => r.y), rows.map((r) => r.source)],
  );
}
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export async function writeNeighbours(
  prisma: PrismaClient,
  owner: UnitOwner,
  kind: "NEURON" | "SAE_FEATURE",
  result: UnitSetNeighbours,
): Promise<{ neighbours: number; points: number }> {
  const units = await prisma.unit.findMany({
    where: { hookPointId: owner.hookPointId, dictionaryId: owner.dictionaryId, kind },
    select: { id: true, index: true },
  });
  const idOf = new Map(units.map((u) => [u.index, u.id]));
  const ids = units.map((u) => u.id);
  const neighbours: NeighbourRow[] = [];
  for (const { kind: nk, lists } of result.lists) {
    for (let u = 0; u < lists.n; u++) {
      const unitId = idOf.get(u);
      if (!unitId) continue;
      for (let r = 0; r < Math.min(STORED_NEIGHBOURS, lists.counts[u]); r++) {
        const neighbourId = idOf.get(lists.indices[u * lists.k + r]);
        if (neighbourId)
          neighbours.push({ unitId, kind: nk, rank: r, neighbourId, score: r6(lists.scores[u * lists.k + r]) });
      }
    }
  }
  const points: MapPointRow[] = [];
  if (result.map) {
    const { x, y } = result.map.layout;
    for (let u = 0; u < x.length; u++) {
      const unitId = idOf.get(u);
      if (unitId && Number.isFinite(x[u])) points.push({ unitId, x: r6(x[u]), y: r6(y[u]), source: result.map.source });
    }
  }
  await inBulkTransaction(prisma, async (s) => {
    // every row below references only these units (the set's, read above): locked once, they cannot go away before
    // the commit, so the COPYs may skip their per-row checks
    const referencesLocked = s.copy !== null && s.skipsLockedReferenceChecks;
    if (referencesLocked) {
      const locked = await lockReferencedRows(s, "Unit", ids);
      if (locked.size !== ids.length)
        throw new Error(
          `${ids.length - locked.size} units of hook point ${owner.hookPointId} were deleted during the build`,
        );
    }
    await s.rows(`DELETE FROM "UnitNeighbour" WHERE "unitId" = ANY($1::text[])`, [ids]);
    await s.rows(`DELETE FROM "UnitMapPoint" WHERE "unitId" = ANY($1::text[])`, [ids]);
    await insertNeighbours(s, neighbours, { referencesLocked });
    await insertMapPoints(s, points, { referencesLocked });
  });
  return { neighbours: neighbours.length, points: points.length };
}
