// Fresh, migrated, empty databases for tests: in-memory PGlite cloned from a migrated template (built once
// per process), or, when TEST_DATABASE_URL is set, a new PostgreSQL database mmatlas_test_<random> that
// is migrated on creation and dropped on close().
import { randomBytes } from "node:crypto";
import pg from "pg";
import { MEMORY, openAdapter } from "./adapter";
import { applyMigrations, readMigrationsList } from "./migrations";
import { clientOver, type Database } from "./open-database";

export interface TestDatabase extends Database {
  /** the PostgreSQL URL of the test database (absent for PGlite) */
  url?: string;
}

export interface TestDatabaseOptions {
  /** called with the SQL text of every statement Prisma sends */
  logQueries?: (sql: string) => void;
}

let pgliteTemplate: Promise<Blob> | undefined;

/** A migrated in-memory PGlite dumped to a tarball once per process; each test database loads a copy. */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const db = await openAdapter({ kind: "pglite", dir: MEMORY });
    try {
      await applyMigrations(db.factory, await readMigrationsList());
      return await db.pglite!.dumpDataDir("none");
    } finally {
      await db.close();
    }
  })();
  pgliteTemplate.catch(() => { pgliteTemplate = undefined; });
  return pgliteTemplate;
}

async function createPgliteTestDatabase(opts: TestDatabaseOptions): Promise<TestDatabase> {
  const adapter = await openAdapter({ kind: "pglite", dir: MEMORY }, { loadDataDir: await migratedPgliteTemplate() });
  return clientOver({ ...adapter, label: "pglite memory:// (test)" }, opts.logQueries);
}

const withDatabase = (url: string, database: string) => { const u = new URL(url); u.pathname = `/${database}`; return u.toString(); };

async function createPostgresTestDatabase(adminUrl: string, opts: TestDatabaseOptions): Promise<TestDatabase> {
  const database = `mmatlas_test_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await admin(`CREATE DATABASE "${database}"`);
  const url = withDatabase(adminUrl, database);
  const drop = () => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  try {
    const migrator = await openAdapter({ kind: "postgres", url }, { forMigrations: true });
    try { await applyMigrations(migrator.factory, await readMigrationsList()); } finally { await migrator.close(); }
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
