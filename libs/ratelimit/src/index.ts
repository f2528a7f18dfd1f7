// Public API of @mmatlas/ratelimit: fixed-window rate limiters (in-memory, or Redis shared by API nodes),
// env configuration, and per-request limits by client IP and bearer credential.
export { decide, type RateLimiter, type RateLimitRule, type RateLimitDecision } from "./limiter";
export { createMemoryRateLimiter } from "./memory";
export { createRedisRateLimiter, type RedisRateLimiterOptions } from "./redis";
export { rateLimitConfigFromEnv, DEFAULT_RATE_LIMITS, type RateLimitConfig } from "./config";
export { createRequestLimits, clientIp, credentialKey, type RequestLimits, type RequestIdentity, type RequestVerdict } from "./request-limits";
export { createRateLimiterFromEnv } from "./from-env";
