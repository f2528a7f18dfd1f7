// Public API of @mmatlas/ratelimit: fixed-window rate limiters (in-memory, or Redis shared by API nodes),
// env configuration, per-request limits by client IP and bearer credential, and per-account login throttling.
export { type RateLimiter, type RateLimitRule, type RateLimitDecision } from "./limiter";
export { createMemoryRateLimiter } from "./memory";
export { rateLimitConfigFromEnv, trustedHops, type RateLimitConfig } from "./config";
export { clientAddress, type ClientAddress } from "./client-address";
export { createRequestLimits, type RequestLimits, type RequestVerdict } from "./request-limits";
export { createRateLimiterFromEnv } from "./from-env";
export { createLoginThrottle, type LoginThrottle, type LoginAttempt } from "./login-throttle";
