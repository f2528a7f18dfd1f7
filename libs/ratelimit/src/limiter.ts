// The rate limiter contract: `consume(key)` counts one request against a fixed window of `windowMs` and
// says whether it is allowed and, if not, how long until it is. Backends: in-memory and Redis.
export interface RateLimitDecision {
  allowed: boolean;
  /** the window's limit */
  limit: number;
  /** requests left in the current window (0 when refused) */
  remaining: number;
  /** whole seconds until the window resets (≥ 1 when refused) */
  retryAfterSeconds: number;
}

export interface RateLimitRule {
  /** requests allowed per window; 0 or less disables the rule */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** counts `cost` (default 1) requests for `key` under `rule`; a negative cost gives requests back (count ≥ 0) */
  consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** The decision for a window that now holds `count` requests and ends in `resetInMs`. Pure. */
export function decide(count: number, rule: RateLimitRule, resetInMs: number): RateLimitDecision {
  const allowed = count <= rule.limit;
  return {
    allowed,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - count),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(resetInMs / 1000)),
  };
}

export const UNLIMITED = (rule: RateLimitRule): RateLimitDecision => ({
  allowed: true,
  limit: rule.limit,
  remaining: Number.POSITIVE_INFINITY,
  retryAfterSeconds: 0,
});
