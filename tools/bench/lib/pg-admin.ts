// PostgreSQL administration for benchmarks and the cluster: create a database when missing, URL helpers.
import pg from "pg";

export const DEFAULT_PG_SERVER = "postgresql://postgres@127.0.0.1:5432";

/** postgresql://user@host:port/<name> from a server URL (any database part replaced). */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount) return false;
    await client.query(`create database ${name}`);
    return true;
  } finally {
    await client.end();
  }
}
