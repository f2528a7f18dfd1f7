// Picks the backend: Redis when REDIS_URL is set (limits shared by every API node), in-memory otherwise.
import type { RateLimiter } from "./limiter";
import { createMemoryRateLimiter } from "./memory";
import { createRedisRateLimiter } from "./redis";

export function createRateLimiterFromEnv(env: Record<string, string | undefined> = process.env): {
  limiter: RateLimiter;
  backend: "redis" | "memory";
} {
  const url = env.REDIS_URL?.trim();
  return url
    ? { limiter: createRedisRateLimiter({ redis: url }), backend: "redis" }
    : { limiter: createMemoryRateLimiter(), backend: "memory" };
}
