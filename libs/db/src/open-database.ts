// Opens a PrismaClient on the configured database (PostgreSQL or embedded PGlite), optionally reporting
// every SQL statement it sends so tests and benchmarks can count queries.
import { openAdapter, resolveTarget, type DatabaseLocation, type DatabaseTarget, type OpenAdapter } from "./adapter";
import { PrismaClient } from "./client";
import { createSqlReader, registerSqlReader } from "./sql-reader";

export interface OpenDatabaseOptions extends DatabaseLocation {
  /** called with the SQL text of every statement Prisma sends */
  logQueries?: (sql: string) => void;
}

export interface Database {
  prisma: PrismaClient;
  /** e.g. "pglite /repo/.data/pglite" or "postgres 127.0.0.1:5432/mmatlas" (no credentials) */
  label: string;
  /** disconnects Prisma and releases the database (closes PGlite / ends the pool); safe to call twice */
  close(): Promise<void>;
}

/** Builds a PrismaClient over an open adapter and ties their lifetimes together. */
export function clientOver(
  adapter: OpenAdapter,
  logQueries?: (sql: string) => void,
  extraClose?: () => Promise<void>,
): Database {
  const prisma = logQueries
    ? new PrismaClient({ adapter: adapter.factory, log: [{ emit: "event", level: "query" }] })
    : new PrismaClient({ adapter: adapter.factory });
  if (logQueries) (prisma as unknown as PrismaClient<"query">).$on("query", (e) => logQueries(e.query));
  const driver = adapter.pool
    ? { kind: "postgres" as const, pool: adapter.pool }
    : adapter.pglite
      ? { kind: "pglite" as const, pglite: adapter.pglite }
      : null;
  if (driver) registerSqlReader(prisma as PrismaClient, createSqlReader(driver, logQueries), driver);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await prisma.$disconnect();
      await adapter.close();
      await extraClose?.();
    })());
  return { prisma: prisma as PrismaClient, label: adapter.label, close };
}

/**
 * Opens the database: `url` (else $DATABASE_URL) when it points at PostgreSQL, otherwise PGlite in
 * `pgliteDir` (else $PGLITE_DIR, else <repo>/.data/pglite; "memory://" = in-memory). Does not migrate.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const target: DatabaseTarget = resolveTarget(opts);
  return clientOver(await openAdapter(target), opts.logQueries);
}
