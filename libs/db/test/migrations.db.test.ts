// Migrations: applied through the WASM schema engine, recorded with Prisma's checksums, idempotent;
// test databases are migrated and empty; data in an on-disk database survives reopening.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase, repoRoot } from "../src";
import { migrationStatus, readMigrationsList } from "../src/migrations";
import { createTestDatabase } from "../src/testing";
import { createEmptyDatabase, type EmptyDatabase } from "./helpers";

jest.setTimeout(120_000);

const localMigrations = async () => (await readMigrationsList()).migrationDirectories.map((d) => d.path);
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("migrateDatabase", () => {
  let empty: EmptyDatabase;
  beforeAll(async () => {
    empty = await createEmptyDatabase();
  });
  afterAll(async () => {
    await empty.drop();
  });

  it("applies every migration once, then nothing (idempotent), and status agrees", async () => {
    const local = await localMigrations();
    expect(local.length).toBeGreaterThan(0);
    expect((await migrationStatus(empty.location)).pending).toEqual(local);

    expect(await migrateDatabase(empty.location)).toEqual(local);
    expect(await migrateDatabase(empty.location)).toEqual([]);

    const status = await migrationStatus(empty.location);
    expect(status).toMatchObject({ local, pending: [], edited: [], failed: [], upToDate: true });
  });

  it("records Prisma checksums (SHA-256 of migration.sql) in _prisma_migrations", async () => {
    const db = await openDatabase(empty.location);
    try {
      const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
        SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(await localMigrations());
      for (const r of rows) {
        expect(r.checksum).toBe(
          sha256(path.join(repoRoot(), "prisma", "migrations", r.migration_name, "migration.sql")),
        );
        expect(r.finished_at).toBeInstanceOf(Date);
      }
    } finally {
      await db.close();
    }
  });

  it("keeps data across close and reopen", async () => {
    const first = await openDatabase(empty.location);
    await first.prisma.dataset.create({ data: { name: "persisted", modality: "IMAGE" } });
    await first.close();
    const second = await openDatabase(empty.location);
    try {
      expect(await second.prisma.dataset.findUnique({ where: { name: "persisted" } })).toMatchObject({
        modality: "IMAGE",
        size: 0,
      });
    } finally {
      await second.close();
    }
  });
});

describe("createTestDatabase", () => {
  it("gives a migrated, empty database that is unique per call", async () => {
    const [a, b] = [await createTestDatabase(), await createTestDatabase()];
    try {
      const applied = await a.prisma.$queryRaw<
        { migration_name: string }[]
      >`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      expect(applied.map((r) => r.migration_name).sort()).toEqual(await localMigrations());
      expect(await a.prisma.user.count()).toBe(0);

      await a.prisma.user.create({ data: { email: "only-in-a@example.org", displayName: "A", passwordHash: "h" } });
      expect(await a.prisma.user.count()).toBe(1);
      expect(await b.prisma.user.count()).toBe(0);
      if (process.env.TEST_DATABASE_URL) {
        expect(a.url).toMatch(/\/mmatlas_test_[0-9a-f]{12}$/);
        expect(a.url).not.toBe(b.url);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("drops the PostgreSQL database on close (TEST_DATABASE_URL runs only)", async () => {
    if (!process.env.TEST_DATABASE_URL) return; // PGlite test databases live in memory and vanish with close()
    const db = await createTestDatabase();
    const name = new URL(db.url!).pathname.slice(1);
    await db.close();
    await db.close(); // idempotent
    const check = await openDatabase({ url: process.env.TEST_DATABASE_URL });
    try {
      const rows = await check.prisma.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM pg_database WHERE datname = ${name}`;
      expect(Number(rows[0].n)).toBe(0);
    } finally {
      await check.close();
    }
  });
});
