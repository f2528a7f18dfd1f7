// For tests and tools: the Redis to use (REDIS_URL or the machine's 127.0.0.1:6379) and whether it answers PING.
import Redis from "ioredis";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export function redisUrlOrDefault(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
}

export async function isRedisReachable(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * The Redis URL for a test suite, or null (with a warning) when Redis is unreachable outside CI; in CI an
 * unreachable Redis is an error, so the suite fails instead of silently skipping.
 */
export async function redisForTests(suite: string): Promise<string | null> {
  const url = redisUrlOrDefault();
  if (await isRedisReachable(url)) return url;
  if (process.env.CI) throw new Error(`${suite}: Redis at ${url} is unreachable (CI is set, so this is a failure)`);
  console.warn(`WARNING ${suite}: Redis at ${url} is unreachable; skipping the Redis tests`);
  return null;
}
