// Public API of @mmatlas/ratelimit: fixed-window rate limiters (in-memory, or Redis shared by API nodes),
// env configuration, per-request limits by client IP and bearer credential, and per-account login throttling.
export { decide, type RateLimiter, type RateLimitRule, type RateLimitDecision } from "./limiter";
export { createMemoryRateLimiter } from "./memory";
export { createRedisRateLimiter, type RedisRateLimiterOptions } from "./redis";
export { rateLimitConfigFromEnv, trustedHops, DEFAULT_RATE_LIMITS, type RateLimitConfig } from "./config";
export { clientAddress, forwardedForEntries, type ClientAddress } from "./client-address";
export { createRequestLimits, clientIp, credentialKey, type RequestLimits, type RequestIdentity, type RequestVerdict } from "./request-limits";
export { createRateLimiterFromEnv } from "./from-env";
export { createLoginThrottle, loginThrottleRuleFromEnv, DEFAULT_LOGIN_THROTTLE, type LoginThrottle, type LoginAttempt } from "./login-throttle";
