// The bulk session's foreign-key shortcut (finalize/bulk-session.ts), on a fresh database (PGlite, or PostgreSQL
// under TEST_DATABASE_URL): a COPY told that its references are locked really runs without the per-row foreign-key
// triggers, for that statement only (the unit search triggers of later statements still fire), and a COPY not told
// so is still checked; lockReferencedRows returns the ids that exist and, on PostgreSQL, keeps another connection
// from deleting them until the commit; a non-superuser PostgreSQL role is recognised as one that may not skip.
import { type PrismaClient } from "@mmatlas/db";
import { createBareHookPoint, createBareModel, createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import pg from "pg";
import { inBulkTransaction, isSuperuser, lockReferencedRows, type BulkSession } from "../src/finalize/bulk-session";
import { BinaryCopyWriter } from "../src/finalize/copy-binary";

jest.setTimeout(120_000);

let db: TestDatabase;
let prisma: PrismaClient;
let unitId: string;
let exampleIds: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.prisma;
  const model = await createBareModel(prisma);
  const hook = await createBareHookPoint(prisma, model.id, 4);
  const unit = await prisma.unit.create({
    data: { slug: "bulk-session-test/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
  });
  unitId = unit.id;
  const dataset = await prisma.dataset.create({ data: { name: "bulk-session-test", modality: "IMAGE", size: 3 } });
  await prisma.example.createMany({
    data: [0, 1, 2].map((index) => ({ datasetId: dataset.id, index, modality: "IMAGE" as const })),
  });
  exampleIds = (await prisma.example.findMany({ where: { datasetId: dataset.id }, orderBy: { index: "asc" } })).map(
    (e) => e.id,
  );
});
afterAll(() => db?.close());

const COLUMNS = `"id", "unitId", "exampleId", "band", "bandIndex", "rank", "maxValue", "values"`;

/** one TopActivation row per example id, as the builder writes them */
function topRows(ids: string[], tag: string): Buffer<ArrayBuffer> {
  const w = new BinaryCopyWriter();
  ids.forEach((exampleId, rank) =>
    w
      .tuple(8)
      .text(`${tag}-${rank}`)
      .text(unitId)
      .text(exampleId)
      .text("TOP")
      .int4(0)
      .int4(rank)
      .float8(1)
      .float4Array([1, 2]),
  );
  return w.finish();
}

class RollBack extends Error {}

/** runs `fn` in a bulk transaction that is always rolled back; returns what `fn` returned */
async function rolledBack<T>(fn: (s: BulkSession) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await expect(
    inBulkTransaction(prisma, async (s) => {
      out = await fn(s);
      throw new RollBack();
    }),
  ).rejects.toBeInstanceOf(RollBack);
  return out as T;
}

test("a COPY whose references are locked skips the per-row foreign-key checks, for that statement only", async () => {
  const dangling = ["no-such-example"];
  const seen = await rolledBack(async (s) => {
    expect(s.copy).not.toBeNull();
    expect(s.skipsLockedReferenceChecks).toBe(true); // PGlite, and the tests' PostgreSQL role, are superusers
    await s.copy!(`"TopActivation"`, COLUMNS, topRows(dangling, "skip"), { referencesLocked: true });
    const stored = await s.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM "TopActivation" WHERE "exampleId" = 'no-such-example'`,
      [],
    );
    const role = await s.rows<{ session_replication_role: string }>(`SHOW session_replication_role`, []);
    // a later statement in the same transaction has its triggers again: a new unit gets its search terms
    const unit = await s.rows<{ id: string }>(
      `INSERT INTO "Unit" ("id", "slug", "modelId", "hookPointId", "kind", "index", "topAutoLabel", "updatedAt")
       SELECT 'bulk-new-unit', 'bulk-session-test/1', "modelId", "hookPointId", 'NEURON', 1, 'striped cats', now()
       FROM "Unit" WHERE "id" = $1 RETURNING "id"`,
      [unitId],
    );
    const terms = await s.rows<{ term: string }>(`SELECT "term" FROM "UnitSearchTerm" WHERE "unitId" = $1`, [
      unit[0].id,
    ]);
    return { stored: stored[0].n, role: role[0].session_replication_role, terms: terms.map((t) => t.term).sort() };
  });
  // the row went in although its example does not exist: no trigger checked it (the transaction was rolled back)
  expect(seen).toEqual({ stored: 1, role: "origin", terms: ["cats", "striped cats"] });
  expect(await prisma.topActivation.count({ where: { exampleId: "no-such-example" } })).toBe(0);
});

test("a COPY not told that its references are locked is still checked", async () => {
  await expect(
    inBulkTransaction(prisma, (s) => s.copy!(`"TopActivation"`, COLUMNS, topRows(["no-such-example"], "checked"))),
  ).rejects.toThrow(/foreign key/i);
  // and a locked, existing reference goes in and stays
  await inBulkTransaction(prisma, async (s) => {
    const locked = await lockReferencedRows(s, "Example", exampleIds);
    expect(locked).toEqual(new Set(exampleIds));
    await s.copy!(`"TopActivation"`, COLUMNS, topRows(exampleIds, "kept"), { referencesLocked: true });
  });
  expect(await prisma.topActivation.count({ where: { id: { startsWith: "kept-" } } })).toBe(3);
});

test("lockReferencedRows returns only the ids that exist", async () => {
  const locked = await rolledBack((s) => lockReferencedRows(s, "Example", [exampleIds[1], "gone", exampleIds[0]]));
  expect(locked).toEqual(new Set([exampleIds[0], exampleIds[1]]));
  expect(await rolledBack((s) => lockReferencedRows(s, "Unit", []))).toEqual(new Set());
});

const onPostgres = process.env.TEST_DATABASE_URL ? test : test.skip;

onPostgres("on PostgreSQL, a locked example cannot be deleted by another connection before the commit", async () => {
  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  try {
    await other.query(`SET lock_timeout = '300ms'`);
    await rolledBack(async (s) => {
      await lockReferencedRows(s, "Example", [exampleIds[2]]);
      await expect(other.query(`DELETE FROM "Example" WHERE "id" = $1`, [exampleIds[2]])).rejects.toMatchObject({
        code: "55P03", // lock_not_available
      });
    });
    expect(await prisma.example.count({ where: { id: exampleIds[2] } })).toBe(1);
  } finally {
    await other.end();
  }
});

onPostgres(
  "on PostgreSQL, a role that is not a superuser is recognised as one that may not skip the checks",
  async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect(await isSuperuser(client)).toBe(true);
      await client.query(
        `DO $$ BEGIN CREATE ROLE mmatlas_test_plain_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
      );
      await client.query(`SET ROLE mmatlas_test_plain_role`);
      expect(await isSuperuser(client)).toBe(false);
      await client.query(`RESET ROLE`);
      expect(await isSuperuser(client)).toBe(true);
    } finally {
      await client.query(`RESET ROLE`).catch(() => undefined);
      await client.query(`DROP ROLE IF EXISTS mmatlas_test_plain_role`).catch(() => undefined);
      await client.end();
    }
  },
);
