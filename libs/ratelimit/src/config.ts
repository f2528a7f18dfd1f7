// Rate-limit settings from the environment. Limits count requests per window; 0 disables a rule.
//   RATE_LIMIT_WINDOW_MS   window length (default 60000)
//   RATE_LIMIT_PER_IP      requests per window per client IP (default 600)
//   RATE_LIMIT_PER_TOKEN   requests per window per bearer credential (API token or session; default 1200)
//   RATE_LIMIT_TRUST_PROXY "1": take the client IP from the first X-Forwarded-For entry
//   RATE_LIMIT_EXEMPT_IPS  comma-separated client IPs without a per-IP limit (default "127.0.0.1,::1": the web
//                          server's own SSR requests and local tools; credentials are still limited per token)
import type { RateLimitRule } from "./limiter";

export interface RateLimitConfig {
  perIp: RateLimitRule;
  perToken: RateLimitRule;
  trustProxy: boolean;
  exemptIps: string[];
}

export const DEFAULT_RATE_LIMITS = { windowMs: 60_000, perIp: 600, perToken: 1200, exemptIps: ["127.0.0.1", "::1"] } as const;

function nonNegativeInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

export function rateLimitConfigFromEnv(env: Record<string, string | undefined> = process.env): RateLimitConfig {
  const windowMs = nonNegativeInt(env, "RATE_LIMIT_WINDOW_MS", DEFAULT_RATE_LIMITS.windowMs) || DEFAULT_RATE_LIMITS.windowMs;
  return {
    perIp: { limit: nonNegativeInt(env, "RATE_LIMIT_PER_IP", DEFAULT_RATE_LIMITS.perIp), windowMs },
    perToken: { limit: nonNegativeInt(env, "RATE_LIMIT_PER_TOKEN", DEFAULT_RATE_LIMITS.perToken), windowMs },
    trustProxy: env.RATE_LIMIT_TRUST_PROXY === "1" || env.RATE_LIMIT_TRUST_PROXY === "true",
    exemptIps: env.RATE_LIMIT_EXEMPT_IPS == null ? [...DEFAULT_RATE_LIMITS.exemptIps] : env.RATE_LIMIT_EXEMPT_IPS.split(",").map((s) => s.trim()).filter(Boolean),
  };
}
