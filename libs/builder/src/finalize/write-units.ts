// Idempotent writes of a unit set's results: each unit is created or updated by its slug (atlas fields only, so human
// labels, annotations and comments survive a rebuild) and its TopActivation rows are replaced (delete + insert)
// in the same transaction as the unit, a chunk of units per transaction. Re-running after a crash or a resume
// rewrites the same rows; it never duplicates them.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@mmatlas/db";

export interface TopRow {
  exampleIndex: number;
  band: "TOP" | "QUANTILE";
  bandIndex: number;
  rank: number;
  maxValue: number;
  values: number[];
}

export interface UnitRecord {
  slug: string;
  kind: "NEURON" | "SAE_FEATURE" | "ATTENTION_HEAD";
  index: number;
  maxActivation: number | null;
  density: number | null;
  histogram: Prisma.InputJsonValue | null;
  autoLabels: Prisma.InputJsonValue | null;
  topAutoLabel: string | null;
  multimodalScore: number | null;
  stats: Prisma.InputJsonValue;
  top: TopRow[];
}

export interface UnitOwner {
  modelId: string;
  hookPointId: string;
  dictionaryId: string | null;
  datasetId: string;
}

const UNITS_PER_TRANSACTION = 64;
const json = (v: Prisma.InputJsonValue | null) => (v === null ? undefined : v);

async function exampleIds(prisma: PrismaClient, datasetId: string, indices: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const unique = [...new Set(indices)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await prisma.example.findMany({ where: { datasetId, index: { in: unique.slice(i, i + 5000) } }, select: { id: true, index: true } });
    for (const r of rows) out.set(r.index, r.id);
  }
  return out;
}

/**
 * Bulk insert in one statement: column arrays through unnest (per-position values as array literals), which
 * is several times faster than createMany's one-parameter-per-field statement on PGlite and PostgreSQL.
 */
async function insertTopRows(tx: Prisma.TransactionClient, rows: Prisma.TopActivationCreateManyInput[]): Promise<void> {
  const literal = (v: unknown) => `{${(v as number[]).map((x) => (Number.isFinite(x) ? String(x) : "0")).join(",")}}`;
  await tx.$executeRawUnsafe(
    `INSERT INTO "TopActivation" ("id", "unitId", "exampleId", "band", "bandIndex", "rank", "maxValue", "values")
     SELECT t.id, t.u, t.e, t.b::"ActivationBand", t.bi, t.r, t.m, t.v::double precision[]
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::double precision[], $8::text[]) AS t(id, u, e, b, bi, r, m, v)`,
    rows.map(() => randomUUID()), rows.map((r) => r.unitId), rows.map((r) => r.exampleId), rows.map((r) => r.band ?? "TOP"),
    rows.map((r) => r.bandIndex ?? 0), rows.map((r) => r.rank), rows.map((r) => r.maxValue), rows.map((r) => literal(r.values)),
  );
}

export async function writeUnits(prisma: PrismaClient, owner: UnitOwner, records: UnitRecord[]): Promise<void> {
  const ids = await exampleIds(prisma, owner.datasetId, records.flatMap((r) => r.top.map((t) => t.exampleIndex)));
  for (let start = 0; start < records.length; start += UNITS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + UNITS_PER_TRANSACTION);
    await prisma.$transaction(async (tx) => {
      const existing = new Map((await tx.unit.findMany({ where: { slug: { in: chunk.map((r) => r.slug) } }, select: { id: true, slug: true } })).map((u) => [u.slug, u.id]));
      const fieldsOf = (r: UnitRecord) => ({
        maxActivation: r.maxActivation, density: r.density, histogram: json(r.histogram), autoLabels: json(r.autoLabels),
        topAutoLabel: r.topAutoLabel, multimodalScore: r.multimodalScore, stats: r.stats,
      });
      const fresh = chunk.filter((r) => !existing.has(r.slug));
      if (fresh.length) {
        await tx.unit.createMany({
          data: fresh.map((r) => ({ slug: r.slug, modelId: owner.modelId, hookPointId: owner.hookPointId, dictionaryId: owner.dictionaryId, kind: r.kind, index: r.index, ...fieldsOf(r) })),
        });
        for (const u of await tx.unit.findMany({ where: { slug: { in: fresh.map((r) => r.slug) } }, select: { id: true, slug: true } })) existing.set(u.slug, u.id);
      }
      // units already stored keep their human labels, annotations and comments; only atlas fields change
      for (const r of chunk) if (!fresh.includes(r)) await tx.unit.update({ where: { slug: r.slug }, data: fieldsOf(r), select: { id: true } });
      const unitIds = chunk.map((r) => existing.get(r.slug)!);
      const rows: Prisma.TopActivationCreateManyInput[] = [];
      chunk.forEach((r, i) => {
        for (const t of r.top) {
          const exampleId = ids.get(t.exampleIndex);
          if (!exampleId) throw new Error(`example ${t.exampleIndex} of dataset ${owner.datasetId} disappeared during the build`);
          rows.push({ unitId: unitIds[i], exampleId, band: t.band, bandIndex: t.bandIndex, rank: t.rank, maxValue: t.maxValue, values: t.values });
        }
      });
      await tx.topActivation.deleteMany({ where: { unitId: { in: unitIds } } });
      if (rows.length) await insertTopRows(tx, rows);
    }, { timeout: 120_000, maxWait: 30_000 });
  }
}
