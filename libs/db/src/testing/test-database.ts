// Fresh, migrated, empty databases for tests: in-memory PGlite cloned from a migrated template (cached in
// <repo>/.data/test-cache), or, when TEST_DATABASE_URL is set, a new PostgreSQL database mmatlas_test_<random> that
// is migrated on creation and dropped on close().
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { MEMORY, openAdapter } from "../adapter";
import { applyMigrations, readMigrationsList } from "../migrations";
import { clientOver, type Database } from "../open-database";
import { repoRoot } from "../repo-root";

export interface TestDatabase extends Database {
  /** the PostgreSQL URL of the test database (absent for PGlite) */
  url?: string;
}

export interface TestDatabaseOptions {
  /** called with the SQL text of every statement Prisma sends */
  logQueries?: (sql: string) => void;
}

let pgliteTemplate: Promise<Blob> | undefined;

/** Cache file for the template, keyed by the migrations' content and the PGlite version. */
function templateCachePath(list: MigrationList): string {
  const pgliteDist = path.dirname(require.resolve("@electric-sql/pglite")); // package.json is not exported
  const { version } = JSON.parse(readFileSync(path.join(pgliteDist, "..", "package.json"), "utf8")) as {
    version: string;
  };
  const key = createHash("sha256").update(version);
  for (const d of list.migrationDirectories) key.update(`\0${d.path}\0${d.migrationFile.content.value}`);
  return path.join(repoRoot(), ".data", "test-cache", `pglite-template-${key.digest("hex").slice(0, 16)}.tar`);
}

/**
 * A migrated in-memory PGlite dumped to a tarball; each test database loads a copy. Built once per process
 * and cached on disk (<repo>/.data/test-cache) so other test files and runs skip initdb + migrations.
 */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const list = await readMigrationsList();
    const cacheFile = templateCachePath(list);
    if (existsSync(cacheFile)) return new Blob([readFileSync(cacheFile)]);
    const db = await openAdapter({ kind: "pglite", dir: MEMORY });
    try {
      await applyMigrations(db.factory, list);
      const tarball = await db.pglite!.dumpDataDir("none");
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      writeFileSync(tmp, Buffer.from(await tarball.arrayBuffer()));
      renameSync(tmp, cacheFile); // atomic: concurrent writers produce equivalent files
      for (const old of readdirSync(path.dirname(cacheFile))) {
        // templates of older migration sets
        if (/^pglite-template-[0-9a-f]{16}\.tar$/.test(old) && old !== path.basename(cacheFile))
          rmSync(path.join(path.dirname(cacheFile), old), { force: true });
      }
      return tarball;
    } finally {
      await db.close();
    }
  })();
  pgliteTemplate.catch(() => {
    pgliteTemplate = undefined;
  });
  return pgliteTemplate;
}

async function createPgliteTestDatabase(opts: TestDatabaseOptions): Promise<TestDatabase> {
  const adapter = await openAdapter({ kind: "pglite", dir: MEMORY }, { loadDataDir: await migratedPgliteTemplate() });
  return clientOver({ ...adapter, label: "pglite memory:// (test)" }, opts.logQueries);
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

async function createPostgresTestDatabase(adminUrl: string, opts: TestDatabaseOptions): Promise<TestDatabase> {
  const database = `mmatlas_test_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${database}"`);
  const url = withDatabase(adminUrl, database);
  const drop = () => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  try {
    const migrator = await openAdapter({ kind: "postgres", url }, { forMigrations: true });
    try {
      await applyMigrations(migrator.factory, await readMigrationsList());
    } finally {
      await migrator.close();
    }
    const adapter = await openAdapter({ kind: "postgres", url });
    return { ...clientOver(adapter, opts.logQueries, drop), url };
  } catch (e) {
    await drop().catch(() => {});
    throw e;
  }
}

/** A new migrated, empty database, unique per call. Close it when done (drops it on PostgreSQL). */
export async function createTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  return adminUrl ? createPostgresTestDatabase(adminUrl, opts) : createPgliteTestDatabase(opts);
}
