// One transaction on the driver under Prisma for the atlas's bulk writes: parameterized statements plus binary
// COPY payloads (copy-binary.ts). PGlite reads a payload from '/dev/blob', PostgreSQL from STDIN (pg-copy-streams,
// the COPY streams of node-postgres). A client without a registered driver (a transaction client) gets a session
// without COPY, inside the caller's transaction; the writers then fall back to text INSERTs.
// Foreign keys: PostgreSQL checks each COPYed row's references with a per-row trigger (a lookup and a row lock of
// the referenced Unit / Example), which was about half of a build's write time on PGlite. A writer that has locked
// every referenced row itself, in one statement (lockReferencedRows), may COPY with those triggers off
// (`session_replication_role = replica` for that one statement): the rows it references exist and cannot be
// deleted before the transaction ends, which is what the triggers would have ensured. Only where the session's role
// is a superuser (PGlite's default user; PostgreSQL's postgres); other sessions keep the triggers.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import { sqlDriverOf, type Prisma, type PrismaClient } from "@mmatlas/db";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export interface CopyOptions {
  /** this transaction has locked every row the payload references (lockReferencedRows): the per-row foreign-key
   * triggers are skipped where the session may (see the header) */
  referencesLocked?: boolean;
}

/** What one transaction can do, whatever the driver. */
export interface BulkSession {
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
  /** `COPY table (columns) FROM … WITH (FORMAT binary)` of a finished payload; null without a driver */
  copy: ((table: string, columns: string, payload: Buffer<ArrayBuffer>, options?: CopyOptions) => Promise<void>) | null;
  /** whether `copy` with `referencesLocked` runs without the foreign-key triggers */
  skipsLockedReferenceChecks: boolean;
}

const copyStatement = (table: string, columns: string, source: string) =>
  `COPY ${table} (${columns}) FROM ${source} WITH (FORMAT binary)`;
const TRIGGERS_OFF = "SET LOCAL session_replication_role = replica";
const TRIGGERS_ON = "SET LOCAL session_replication_role = origin";

/** Runs one COPY, with the triggers off around it when asked and allowed (a failed COPY aborts the transaction,
 * whose rollback restores the setting). */
async function copyWith(
  run: (sql: string) => Promise<unknown>,
  copy: () => Promise<void>,
  skipTriggers: boolean,
): Promise<void> {
  if (skipTriggers) await run(TRIGGERS_OFF);
  await copy();
  if (skipTriggers) await run(TRIGGERS_ON);
}

/** PGlite: the transaction holds PGlite's lock; Prisma's own queries wait for it. */
function pgliteSession(tx: PGliteTransaction, superuser: boolean): BulkSession {
  return {
    rows: async <T>(sql: string, params: unknown[]) => (await tx.query<T>(sql, params)).rows,
    copy: (table, columns, payload, options) =>
      copyWith(
        (sql) => tx.query(sql),
        async () => {
          await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([payload]) });
        },
        superuser && options?.referencesLocked === true,
      ),
    skipsLockedReferenceChecks: superuser,
  };
}

/** PostgreSQL: statements and `COPY … FROM STDIN` on the transaction's pooled connection. */
function postgresSession(client: pg.PoolClient, superuser: boolean): BulkSession {
  return {
    rows: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
    copy: (table, columns, payload, options) =>
      copyWith(
        (sql) => client.query(sql),
        () => pipeline(Readable.from([payload]), client.query(copyFrom(copyStatement(table, columns, "STDIN")))),
        superuser && options?.referencesLocked === true,
      ),
    skipsLockedReferenceChecks: superuser,
  };
}

/** Whether the connection's role is a superuser (only a superuser may set session_replication_role before
 * PostgreSQL 15's per-parameter grants, which are not looked for). */
export async function isSuperuser(client: {
  query<R extends { su: string }>(sql: string): Promise<{ rows: R[] }>;
}): Promise<boolean> {
  const r = await client.query<{ su: string }>(`SELECT current_setting('is_superuser') AS su`);
  return r.rows[0]?.su === "on";
}

/**
 * Locks the rows of `table` with these ids against deletion and key changes until the transaction ends (what a
 * foreign-key check does per row, here once for all) and returns the ids that exist.
 */
export async function lockReferencedRows(
  s: BulkSession,
  table: "Example" | "Unit",
  ids: readonly string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await s.rows<{ id: string }>(
    `SELECT "id" FROM "${table}" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR KEY SHARE`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Runs `fn` in one transaction, on the driver under `prisma` when it has one. */
export async function inBulkTransaction(prisma: PrismaClient, fn: (s: BulkSession) => Promise<void>): Promise<void> {
  const driver = sqlDriverOf(prisma);
  if (driver?.kind === "pglite") {
    await (driver.pglite as PGlite).transaction(async (tx) => fn(pgliteSession(tx, await isSuperuser(tx))));
    return;
  }
  if (driver?.kind === "postgres") {
    const client = await driver.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      await fn(postgresSession(client, await isSuperuser(client)));
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
    skipsLockedReferenceChecks: false,
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
