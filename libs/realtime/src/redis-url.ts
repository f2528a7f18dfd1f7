// Reads the Redis location from the environment: REDIS_URL (unset or empty means "no Redis, single node").
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.REDIS_URL?.trim();
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${url}`);
  return url;
}
