// One parser for a redis:// or rediss:// URL into ioredis connection options (host, port, db, credentials, TLS), used
// by the job queue (BullMQ) and the collaboration fan-out (Hocuspocus' Redis extension), which take options, not URLs.
export interface RedisConnectionOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

export function redisConnectionOptions(url: string): RedisConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new Error(`a Redis URL must start with redis:// or rediss://, got ${url}`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new Error(`the Redis URL's database must be a non-negative integer, got ${u.pathname.slice(1)}`);
  return {
    host: u.hostname || "127.0.0.1",
    port: Number(u.port || 6379),
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
  };
}
