// Rate-limit settings from the environment. Limits count requests per window; 0 disables a rule.
//   RATE_LIMIT_WINDOW_MS   window length (default 60000)
//   RATE_LIMIT_PER_IP      requests per window per client IP (default 600)
//   RATE_LIMIT_PER_TOKEN   requests per window per bearer credential (API token or session; default 1200)
//   RATE_LIMIT_TRUST_PROXY number of trusted reverse proxies in front of the API (default 0: X-Forwarded-For is
//                          ignored; "true" means 1). The client IP is the right-most X-Forwarded-For entry not
//                          written by one of them (see client-address.ts).
//   RATE_LIMIT_EXEMPT_IPS  comma-separated socket addresses without a per-IP limit (default none; `npm start` sets
//                          "127.0.0.1,::1" for local use). Never matched against an address from X-Forwarded-For.
//                          Behind a same-host proxy with trust off every client has the proxy's loopback address,
//                          so do not exempt loopback there. Credentials are still limited per token.
import type { RateLimitRule } from "./limiter";

export interface RateLimitConfig {
  perIp: RateLimitRule;
  perToken: RateLimitRule;
  /** trusted proxy hops in front of the API (0: none); `true`/`false` are accepted as 1/0 */
  trustProxy: number | boolean;
  /** socket addresses without a per-IP limit */
  exemptIps: string[];
}

export const DEFAULT_RATE_LIMITS = { windowMs: 60_000, perIp: 600, perToken: 1200, exemptIps: [] as string[] } as const;

function nonNegativeInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Trusted proxy hops from RATE_LIMIT_TRUST_PROXY: unset/""/"false" → 0, "true" → 1, "<n>" → n. */
function trustedHopsFromEnv(raw: string | undefined): number {
  const v = raw?.trim().toLowerCase() ?? "";
  if (v === "" || v === "false") return 0;
  if (v === "true") return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 32)
    throw new Error(
      `RATE_LIMIT_TRUST_PROXY must be the number of trusted proxies (0..32) or true/false, got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** The hop count of a config's trustProxy (booleans from older configs: true = 1 proxy). */
export const trustedHops = (config: Pick<RateLimitConfig, "trustProxy">): number =>
  typeof config.trustProxy === "number" ? Math.max(0, Math.floor(config.trustProxy)) : config.trustProxy ? 1 : 0;

export function rateLimitConfigFromEnv(env: Record<string, string | undefined> = process.env): RateLimitConfig {
  const windowMs =
    nonNegativeInt(env, "RATE_LIMIT_WINDOW_MS", DEFAULT_RATE_LIMITS.windowMs) || DEFAULT_RATE_LIMITS.windowMs;
  return {
    perIp: { limit: nonNegativeInt(env, "RATE_LIMIT_PER_IP", DEFAULT_RATE_LIMITS.perIp), windowMs },
    perToken: { limit: nonNegativeInt(env, "RATE_LIMIT_PER_TOKEN", DEFAULT_RATE_LIMITS.perToken), windowMs },
    trustProxy: trustedHopsFromEnv(env.RATE_LIMIT_TRUST_PROXY),
    exemptIps:
      env.RATE_LIMIT_EXEMPT_IPS == null
        ? [...DEFAULT_RATE_LIMITS.exemptIps]
        : env.RATE_LIMIT_EXEMPT_IPS.split(",")
            .map((s) => s.trim())
            .filter(Boolean),
  };
}
