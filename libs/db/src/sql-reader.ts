// Hot read paths' own SQL, bypassing Prisma's query engine: a named statement goes straight to the driver under
// the PrismaClient (node-postgres pool: prepared once per connection, its plan reused; PGlite: the same
// instance). The unit page, the API's most frequent read, spends far less time this way than in Prisma's
// per-query work. Statements should select text, integers or JSON text only, so that every driver returns the
// same JavaScript values. A client without a registered driver (a transaction client, a client made
// elsewhere) falls back to Prisma's $queryRawUnsafe, with the same results.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { PrismaClient } from "./client";

/** A statement with a stable name (one prepared statement per name and connection on PostgreSQL). */
export interface NamedStatement {
  name: string;
  text: string;
}

export interface SqlReader {
  rows<T>(statement: NamedStatement, params: unknown[]): Promise<T[]>;
}

export type SqlDriver = { kind: "postgres"; pool: pg.Pool } | { kind: "pglite"; pglite: PGlite };

const readers = new WeakMap<object, SqlReader>();
const drivers = new WeakMap<object, SqlDriver>();

export function createSqlReader(driver: SqlDriver, logQueries?: (sql: string) => void): SqlReader {
  return {
    async rows<T>(statement: NamedStatement, params: unknown[]): Promise<T[]> {
      logQueries?.(statement.text);
      if (driver.kind === "postgres")
        return (await driver.pool.query({ name: statement.name, text: statement.text, values: params })).rows as T[];
      return (await driver.pglite.query<T>(statement.text, params)).rows;
    },
  };
}

/** Ties a reader to the PrismaClient of the same database (done when the client is opened). */
export function registerSqlReader(prisma: PrismaClient, reader: SqlReader, driver?: SqlDriver): void {
  readers.set(prisma, reader);
  if (driver) drivers.set(prisma, driver);
}

/**
 * The driver under `prisma` (node-postgres pool or PGlite instance), for bulk writes that Prisma cannot express
 * (COPY, binary parameters); undefined for a client without a registered driver (a transaction client, a client
 * made elsewhere). Its statements bypass Prisma's query log.
 */
export function sqlDriverOf(prisma: PrismaClient): SqlDriver | undefined {
  return drivers.get(prisma);
}

/** The reader of `prisma`'s database; Prisma's raw queries when none was registered. */
export function sqlReaderOf(prisma: PrismaClient): SqlReader {
  return (
    readers.get(prisma) ?? {
      rows: <T>(statement: NamedStatement, params: unknown[]) => prisma.$queryRawUnsafe<T[]>(statement.text, ...params),
    }
  );
}
