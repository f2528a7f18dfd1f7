// Idempotent writes of a unit set's results: each unit is created or updated by its slug (atlas fields only, so human
// labels, annotations and comments survive a rebuild) and its TopActivation rows are replaced (delete + insert)
// in the same transaction as the unit, a chunk of units per transaction. Re-running after a crash or a resume
// rewrites the same rows; it never duplicates them.
// Written straight through the driver under Prisma (bulk-session.ts: one upsert statement per chunk, then the
// chunk's rows as one binary COPY), so the server reads each float as 4 bytes instead of parsing decimal text,
// which dominated the old unnest-of-literals statement. The COPY skips the per-row foreign-key triggers where the
// session may: the chunk's units were just upserted by this transaction, and its examples are locked by one
// statement first (lockReferencedRows).
// (libs/builder/bench/writes.bench.ts measures it; a client without a registered driver, such as a transaction
// client, falls back to Prisma raw queries with text literals inside the caller's transaction.)
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient, UnitKind } from "@mmatlas/db";
import { checkpointEmbedded, inBulkTransaction, lockReferencedRows, type BulkSession } from "./bulk-session";
import { BinaryCopyWriter } from "./copy-binary";

export interface TopRow {
  exampleIndex: number;
  band: "TOP" | "QUANTILE";
  bandIndex: number;
  rank: number;
  maxValue: number;
  /** per-position values, stored as real[] (float32); non-finite values are stored as 0 */
  values: ArrayLike<number>;
}

export interface UnitRecord {
  slug: string;
  kind: UnitKind;
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

/** Units per transaction: a crash loses at most this many units' rewrite, never half of one. */
const UNITS_PER_TRANSACTION = 256;
/** Rows per multi-row INSERT on a session without COPY (8 parameters each; a statement takes at most 65,535). */
const ROWS_PER_INSERT = 4000;

/** A TopActivation row ready to write. */
interface TopInsert {
  id: string;
  unitId: string;
  exampleId: string;
  row: TopRow;
}

/**
 * Ids that sort in creation order (time, a random run tag, a counter), so each index on them grows at its right
 * edge instead of touching random pages as random UUIDs do.
 */
function idMaker(): () => string {
  const tag = `c${Date.now().toString(36).padStart(9, "0")}${randomBytes(4).toString("hex")}`;
  let n = 0;
  return () => `${tag}${(n++).toString(36).padStart(7, "0")}`;
}

const TOP_COLUMNS = `"id", "unitId", "exampleId", "band", "bandIndex", "rank", "maxValue", "values"`;

/** Upserts a chunk's units by slug; atlas fields only on update (a null histogram / autoLabels keeps the stored one). */
const UPSERT_UNITS = `
INSERT INTO "Unit" ("id", "slug", "modelId", "hookPointId", "dictionaryId", "kind", "index", "maxActivation", "density",
  "histogram", "autoLabels", "topAutoLabel", "multimodalScore", "stats", "createdAt", "updatedAt")
SELECT u.id, u.slug, $1, $2, $3::text, u.kind::"UnitKind", u.idx, u.max, u.density, u.histogram::jsonb, u.labels::jsonb, u.top,
  u.mm, u.stats::jsonb, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
FROM unnest($4::text[], $5::text[], $6::text[], $7::int[], $8::double precision[], $9::double precision[], $10::text[],
  $11::text[], $12::text[], $13::double precision[], $14::text[]) AS u(id, slug, kind, idx, max, density, histogram, labels, top, mm, stats)
ON CONFLICT ("slug") DO UPDATE SET
  "maxActivation" = EXCLUDED."maxActivation", "density" = EXCLUDED."density",
  "histogram" = COALESCE(EXCLUDED."histogram", "Unit"."histogram"), "autoLabels" = COALESCE(EXCLUDED."autoLabels", "Unit"."autoLabels"),
  "topAutoLabel" = EXCLUDED."topAutoLabel", "multimodalScore" = EXCLUDED."multimodalScore", "stats" = EXCLUDED."stats",
  "updatedAt" = now() AT TIME ZONE 'UTC'
RETURNING "id", "slug", ("xmax" = 0) AS "inserted"`;

const json = (v: Prisma.InputJsonValue | null) => (v === null ? null : JSON.stringify(v));

function upsertParams(owner: UnitOwner, chunk: UnitRecord[], newId: () => string): unknown[] {
  return [
    owner.modelId,
    owner.hookPointId,
    owner.dictionaryId,
    chunk.map(() => newId()),
    chunk.map((r) => r.slug),
    chunk.map((r) => r.kind),
    chunk.map((r) => r.index),
    chunk.map((r) => r.maxActivation),
    chunk.map((r) => r.density),
    chunk.map((r) => json(r.histogram)),
    chunk.map((r) => json(r.autoLabels)),
    chunk.map((r) => r.topAutoLabel),
    chunk.map((r) => r.multimodalScore),
    chunk.map((r) => JSON.stringify(r.stats)),
  ];
}

/** The binary COPY payload of a chunk's TopActivation rows, in TOP_COLUMNS order. */
function topCopyPayload(rows: TopInsert[]): Buffer<ArrayBuffer> {
  const w = new BinaryCopyWriter();
  for (const { id, unitId, exampleId, row } of rows) {
    w.tuple(8)
      .text(id)
      .text(unitId)
      .text(exampleId)
      .text(row.band)
      .int4(row.bandIndex)
      .int4(row.rank)
      .float8(row.maxValue)
      .float4Array(row.values);
  }
  return w.finish();
}

/** The multi-row INSERT of `n` rows, values as `$k::real[]` text literals. */
function multiRowInsert(n: number): string {
  const tuples: string[] = [];
  for (let i = 0, p = 1; i < n; i++, p += 8) {
    tuples.push(
      `($${p},$${p + 1},$${p + 2},$${p + 3}::"ActivationBand",$${p + 4}::int,$${p + 5}::int,$${p + 6}::double precision,$${p + 7}::real[])`,
    );
  }
  return `INSERT INTO "TopActivation" (${TOP_COLUMNS}) VALUES ${tuples.join(",")}`;
}

/** Text INSERTs of up to ROWS_PER_INSERT rows each, for a session without COPY. */
async function insertAsText(s: BulkSession, rows: TopInsert[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const batch = rows.slice(start, start + ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (const { id, unitId, exampleId, row } of batch)
      params.push(id, unitId, exampleId, row.band, row.bandIndex, row.rank, row.maxValue, float4Literal(row.values));
    await s.rows(multiRowInsert(batch.length), params);
  }
}

/** A real[] literal for drivers that only take text; non-finite values as 0, as the binary forms write them. */
function float4Literal(values: ArrayLike<number>): string {
  let s = "{";
  for (let i = 0; i < values.length; i++)
    s += (i ? "," : "") + (Number.isFinite(values[i]) ? String(Math.fround(values[i])) : "0");
  return `${s}}`;
}

/**
 * A chunk's TopActivation rows: one binary COPY, or text INSERTs on a session without COPY. Where the COPY may skip
 * the foreign-key triggers, the chunk's examples are locked first; one deleted since the build read it is an error.
 */
async function insertTop(s: BulkSession, rows: TopInsert[], datasetId: string): Promise<void> {
  if (!s.copy) return insertAsText(s, rows);
  const referencesLocked = s.skipsLockedReferenceChecks;
  if (referencesLocked) {
    const examples = [...new Set(rows.map((r) => r.exampleId))];
    const locked = await lockReferencedRows(s, "Example", examples);
    const gone = rows.find((r) => !locked.has(r.exampleId));
    if (gone) throw exampleGone(gone.row.exampleIndex, datasetId);
  }
  await s.copy(`"TopActivation"`, TOP_COLUMNS, topCopyPayload(rows), { referencesLocked });
}

const exampleGone = (index: number, datasetId: string) =>
  new Error(`example ${index} of dataset ${datasetId} disappeared during the build`);

async function exampleIds(prisma: PrismaClient, datasetId: string, indices: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const unique = [...new Set(indices)];
  if (!unique.length) return out;
  await inBulkTransaction(prisma, async (s) => {
    const rows = await s.rows<{ id: string; index: number }>(
      `SELECT "id", "index" FROM "Example" WHERE "datasetId" = $1 AND "index" = ANY($2::int[])`,
      [datasetId, unique],
    );
    for (const r of rows) out.set(Number(r.index), r.id);
  });
  return out;
}

export async function writeUnits(prisma: PrismaClient, owner: UnitOwner, records: UnitRecord[]): Promise<void> {
  const ids = await exampleIds(
    prisma,
    owner.datasetId,
    records.flatMap((r) => r.top.map((t) => t.exampleIndex)),
  );
  for (const r of records) {
    for (const t of r.top) {
      if (!ids.has(t.exampleIndex)) throw exampleGone(t.exampleIndex, owner.datasetId);
    }
  }
  const newId = idMaker();
  for (let start = 0; start < records.length; start += UNITS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + UNITS_PER_TRANSACTION);
    await inBulkTransaction(prisma, async (s) => {
      const units = await s.rows<{ id: string; slug: string; inserted: boolean }>(
        UPSERT_UNITS,
        upsertParams(owner, chunk, newId),
      );
      const idOf = new Map(units.map((u) => [u.slug, u.id]));
      const replaced = units.filter((u) => !u.inserted).map((u) => u.id);
      if (replaced.length) await s.rows(`DELETE FROM "TopActivation" WHERE "unitId" = ANY($1::text[])`, [replaced]);
      const rows: TopInsert[] = [];
      for (const r of chunk) {
        const unitId = idOf.get(r.slug)!;
        for (const row of r.top) rows.push({ id: newId(), unitId, exampleId: ids.get(row.exampleIndex)!, row });
      }
      if (rows.length) await insertTop(s, rows, owner.datasetId);
    });
  }
  await checkpointEmbedded(prisma);
}
