// Chooses and opens the database behind Prisma's driver adapter: PostgreSQL through @prisma/adapter-pg
// when a postgres URL is given (or DATABASE_URL is set), otherwise embedded PGlite on disk or in memory.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defaultPgliteDir } from "./repo-root";

/** Where a database lives. */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

export interface DatabaseLocation {
  /** postgres URL; defaults to $DATABASE_URL. A URL whose host is "pglite" means embedded PGlite. */
  url?: string;
  /** PGlite folder; defaults to $PGLITE_DIR or <repo>/.data/pglite. "memory://" = in-memory. */
  pgliteDir?: string;
}

export const MEMORY = "memory://";

const isPostgresUrl = (url: string | undefined): url is string => {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`@mmatlas/db: invalid database URL "${url.replace(/\/\/[^@/]*@/, "//***@")}"`);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new Error(`@mmatlas/db: unsupported database URL protocol "${parsed.protocol}"`);
  return parsed.hostname !== "pglite";
};

/** Precedence: explicit url, explicit pgliteDir, $DATABASE_URL, then $PGLITE_DIR / <repo>/.data/pglite. */
export function resolveTarget(opts: DatabaseLocation = {}): DatabaseTarget {
  if (isPostgresUrl(opts.url)) return { kind: "postgres", url: opts.url };
  if (opts.pgliteDir) return { kind: "pglite", dir: opts.pgliteDir === MEMORY ? MEMORY : path.resolve(opts.pgliteDir) };
  if (opts.url === undefined && isPostgresUrl(process.env.DATABASE_URL))
    return { kind: "postgres", url: process.env.DATABASE_URL };
  const dir = defaultPgliteDir();
  return { kind: "pglite", dir: dir === MEMORY ? MEMORY : path.resolve(dir) };
}

/** Human-readable name of a target, without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") return `pglite ${target.dir}`;
  const u = new URL(target.url);
  return `postgres ${u.host}${u.pathname}`;
}

export interface OpenAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  label: string;
  /** the PGlite instance when the target is embedded */
  pglite?: PGlite;
  /** the node-postgres pool when the target is PostgreSQL */
  pool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * adapter-pg cannot decode Postgres' internal "char" type (OID 18), which the schema engine's introspection
 * reads: report such columns as text. Scoped to the pool used for migrations (a Client subclass).
 */
class CharAsTextClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    const fix = (r: pg.QueryResult | undefined) => {
      for (const f of r?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
      return r;
    };
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (e: Error | null, r: pg.QueryResult) => last(e, e ? r : fix(r));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const res = (super.query as (...a: unknown[]) => unknown)(...args) as Promise<pg.QueryResult> | undefined;
    return res && typeof res.then === "function" ? res.then(fix) : res;
  }
}

type ScriptAdapter = { executeScript(script: string): Promise<void> };

/**
 * adapter-pg 7.10 runs a migration script as the pieces between its semicolons, which cuts SQL function bodies
 * (`$$ … ; … $$`, migration label_word_search) apart: send each script whole, as one simple query, which
 * PostgreSQL runs as one implicit transaction (a failing migration leaves nothing half-applied).
 */
function runScriptsWhole<A extends ScriptAdapter>(adapter: A): A {
  const inner = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await inner.client.query(script);
    } catch (e) {
      inner.onError(e);
    }
  };
  return adapter;
}

/** PrismaPg whose connections (and shadow databases) run migration scripts whole (see runScriptsWhole). */
class WholeScriptPrismaPg extends PrismaPg {
  override async connect() {
    return runScriptsWhole(await super.connect());
  }
  override async connectToShadowDb() {
    return runScriptsWhole(await super.connectToShadowDb());
  }
}

/**
 * node-postgres pool size and idle timeout: PG_POOL_MAX (10) connections, kept PG_POOL_IDLE_MS (300000; 0 = never
 * closed) when idle. node-postgres' default closes a connection after 10 s idle; after a burst, the next one then
 * waits for a new PostgreSQL backend whose caches and prepared statements are cold (≈100 ms stalls in bench:api).
 */
export function poolSettings(env: NodeJS.ProcessEnv = process.env): pg.PoolConfig {
  const int = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`@mmatlas/db: ${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
  return { max: Math.max(1, int("PG_POOL_MAX", 10)), idleTimeoutMillis: int("PG_POOL_IDLE_MS", 300_000) };
}

/** Opens a driver adapter factory for a target. `forMigrations` adds the introspection fix for PostgreSQL. */
export async function openAdapter(
  target: DatabaseTarget,
  opts: { forMigrations?: boolean; loadDataDir?: Blob } = {},
): Promise<OpenAdapter> {
  const label = describeTarget(target);
  if (target.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      ...poolSettings(),
      ...(opts.forMigrations ? { Client: CharAsTextClient } : {}),
    });
    // An idle pooled connection that the server ends (restart, pg_terminate_backend, DROP DATABASE … FORCE) makes
    // the pool emit "error"; unhandled, that would crash the process. The pool drops that client and reconnects.
    pool.on("error", (e) =>
      console.warn(`PostgreSQL connection lost (idle pooled client; the pool reconnects): ${e.message}`),
    );
    const factory = new WholeScriptPrismaPg(pool);
    return { factory, label, pool, close: () => pool.end() };
  }
  if (target.dir !== MEMORY) mkdirSync(target.dir, { recursive: true }); // PGlite does not create parent folders
  // pg_trgm: migration 20261122_label_search_indexes creates the extension (its indexes were replaced by word search)
  const extensions = { pg_trgm };
  const pglite =
    target.dir === MEMORY
      ? new PGlite(opts.loadDataDir ? { loadDataDir: opts.loadDataDir, extensions } : { extensions })
      : new PGlite(target.dir, { extensions });
  await pglite.waitReady;
  const factory = new PrismaPGlite(pglite);
  // the adapter's shadow database (migration diffs) is a fresh PGlite: it needs the same extensions
  factory.connectToShadowDb = () => new PrismaPGlite(new PGlite({ dataDir: "memory://shadow", extensions })).connect();
  return {
    factory,
    label,
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}
