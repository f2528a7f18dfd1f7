// Idempotent writes of a unit set's neighbours and map points: the set's stored units are read back by index (they
// were just upserted by slug, so their ids survive rebuilds), their old rows deleted and the new ones inserted in
// one transaction.
import type { PrismaClient } from "@mmatlas/db";
import { STORED_NEIGHBOURS, type UnitSetNeighbours } from "./neighbours";
import type { UnitOwner } from "./write-units";

const ROWS_PER_CREATE = 5000;
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
  const neighbours: {
    unitId: string;
    kind: "DECODER_COSINE" | "ACTIVATION_CORRELATION";
    rank: number;
    neighbourId: string;
    score: number;
  }[] = [];
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
  const points: { unitId: string; x: number; y: number; source: "DECODER_COSINE" | "ACTIVATION_CORRELATION" }[] = [];
  if (result.map) {
    const { x, y } = result.map.layout;
    for (let u = 0; u < x.length; u++) {
      const unitId = idOf.get(u);
      if (unitId && Number.isFinite(x[u])) points.push({ unitId, x: r6(x[u]), y: r6(y[u]), source: result.map.source });
    }
  }
  const ops = [
    prisma.unitNeighbour.deleteMany({ where: { unitId: { in: ids } } }),
    prisma.unitMapPoint.deleteMany({ where: { unitId: { in: ids } } }),
  ];
  for (let s = 0; s < neighbours.length; s += ROWS_PER_CREATE)
    ops.push(prisma.unitNeighbour.createMany({ data: neighbours.slice(s, s + ROWS_PER_CREATE) }));
  for (let s = 0; s < points.length; s += ROWS_PER_CREATE)
    ops.push(prisma.unitMapPoint.createMany({ data: points.slice(s, s + ROWS_PER_CREATE) }));
  await prisma.$transaction(ops);
  return { neighbours: neighbours.length, points: points.length };
}
