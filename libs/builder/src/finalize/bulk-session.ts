// One transaction on the driver under Prisma for the atlas's bulk writes: parameterized statements plus binary
// COPY payloads (copy-binary.ts). PGlite reads a payload from '/dev/blob', PostgreSQL from STDIN (pg-copy-streams,
// the COPY streams of node-postgres). A client without a registered driver (a transaction client) gets a session
// without COPY, inside the caller's transaction; the writers then fall back to text INSERTs.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import { sqlDriverOf, type Prisma, type PrismaClient } from "@mmatlas/db";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** What one transaction can do, whatever the driver. */
export interface BulkSession {
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
  /** `COPY table (columns) FROM … WITH (FORMAT binary)` of a finished payload; null without a driver */
  copy: ((table: string, columns: string, payload: Buffer<ArrayBuffer>) => Promise<void>) | null;
}

const copyStatement = (table: string, columns: string, source: string) =>
  `COPY ${table} (${columns}) FROM ${source} WITH (FORMAT binary)`;

/** PGlite: the transaction holds PGlite's lock; Prisma's own queries wait for it. */
function pgliteSession(tx: PGliteTransaction): BulkSession {
  return {
    rows: async <T>(sql: string, params: unknown[]) => (await tx.query<T>(sql, params)).rows,
    copy: async (table, columns, payload) => {
      await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([payload]) });
    },
  };
}

/** PostgreSQL: statements and `COPY … FROM STDIN` on the transaction's pooled connection. */
function postgresSession(client: pg.PoolClient): BulkSession {
  return {
    rows: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
    copy: async (table, columns, payload) => {
      await pipeline(Readable.from([payload]), client.query(copyFrom(copyStatement(table, columns, "STDIN"))));
    },
  };
}

/** Runs `fn` in one transaction, on the driver under `prisma` when it has one. */
export async function inBulkTransaction(prisma: PrismaClient, fn: (s: BulkSession) => Promise<void>): Promise<void> {
  const driver = sqlDriverOf(prisma);
  if (driver?.kind === "pglite") {
    await (driver.pglite as PGlite).transaction((tx) => fn(pgliteSession(tx)));
    return;
  }
  if (driver?.kind === "postgres") {
    const client = await driver.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      await fn(postgresSession(client));
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw e;
    } finally {
      client.release(broken); // a connection that cannot even roll back is closed, not reused
    }
    return;
  }
  const session = (tx: Prisma.TransactionClient): BulkSession => ({
    rows: <T>(sql: string, params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params),
    copy: null,
  });
  // a transaction client (Prisma leaves out $connect there) is already inside the caller's transaction
  if (typeof (prisma as { $connect?: unknown }).$connect !== "function")
    await fn(session(prisma as unknown as Prisma.TransactionClient));
  else await prisma.$transaction((tx) => fn(session(tx)), { timeout: 300_000, maxWait: 30_000 });
}

/** PGlite 0.4.3 hangs (XLogFlush waiting forever at commit) once its WAL reaches the size that should trigger a
 * checkpoint (≈ 33 segments, max_wal_size 1GB): an explicit checkpoint after each large write keeps the WAL small. */
export async function checkpointEmbedded(prisma: PrismaClient): Promise<void> {
  const driver = sqlDriverOf(prisma);
  if (driver?.kind === "pglite") await driver.pglite.exec("CHECKPOINT");
}
