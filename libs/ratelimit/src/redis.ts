// Redis fixed-window rate limiter (shared by every API node): one atomic Lua script increments the
// window's counter (a negative cost gives requests back, never below 0), sets its expiry on first use and
// returns the count and the time left.
import Redis from "ioredis";
import { decide, UNLIMITED, type RateLimiter, type RateLimitRule } from "./limiter";

const SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count < 0 then count = redis.call('INCRBY', KEYS[1], -count) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {count, ttl}`;

export interface RedisRateLimiterOptions {
  /** a redis:// URL (a dedicated connection is opened and closed by close()) or an existing client (left open) */
  redis: string | Redis;
  /** key prefix; "mmatlas:rl:" by default */
  prefix?: string;
}

export function createRedisRateLimiter(opts: RedisRateLimiterOptions): RateLimiter {
  const owned = typeof opts.redis === "string";
  const client =
    typeof opts.redis === "string"
      ? new Redis(opts.redis, { maxRetriesPerRequest: 2, lazyConnect: false })
      : opts.redis;
  const prefix = opts.prefix ?? "mmatlas:rl:";
  return {
    async consume(key: string, rule: RateLimitRule, cost = 1) {
      if (rule.limit <= 0) return UNLIMITED(rule);
      const [count, ttl] = (await client.eval(SCRIPT, 1, `${prefix}${rule.windowMs}:${key}`, cost, rule.windowMs)) as [
        number,
        number,
      ];
      return decide(Number(count), rule, Number(ttl));
    },
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}
