// Per-account login throttling: at most `maxFailures` failed sign-ins per account (normalised email, unknown
// ones included, so throttling does not reveal which accounts exist) per window, counted by the same limiter
// backend as the request limits (Redis when REDIS_URL is set, shared by API nodes; in-memory otherwise).
// Every attempt is counted before the password is checked (parallel guesses cannot slip through one window)
// and a successful sign-in gives its count back.
//   LOGIN_MAX_FAILURES     failed sign-ins per account per window (default 10; 0 disables throttling)
//   LOGIN_FAILURE_WINDOW_MS window length (default 900000 = 15 min)
import { createHash } from "node:crypto";
import type { RateLimiter, RateLimitRule } from "./limiter";

export const DEFAULT_LOGIN_THROTTLE = { maxFailures: 10, windowMs: 15 * 60_000 } as const;

export interface LoginAttempt {
  allowed: boolean;
  /** whole seconds until the account may try again (0 when allowed) */
  retryAfterSeconds: number;
}

export interface LoginThrottle {
  /** counts an attempt for `account`; refused when the account has used up its failures in this window */
  attempt(account: string): Promise<LoginAttempt>;
  /** the attempt succeeded: it does not count as a failure */
  succeeded(account: string): Promise<void>;
}

function intFromEnv(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(env[name])}`);
  return n;
}

export function loginThrottleRuleFromEnv(env: Record<string, string | undefined> = process.env): RateLimitRule {
  return {
    limit: intFromEnv(env, "LOGIN_MAX_FAILURES", DEFAULT_LOGIN_THROTTLE.maxFailures),
    windowMs:
      intFromEnv(env, "LOGIN_FAILURE_WINDOW_MS", DEFAULT_LOGIN_THROTTLE.windowMs) || DEFAULT_LOGIN_THROTTLE.windowMs,
  };
}

const accountKey = (account: string) =>
  `login:${createHash("sha256").update(account.trim().toLowerCase()).digest("base64url").slice(0, 32)}`;

export function createLoginThrottle(
  limiter: RateLimiter,
  rule: RateLimitRule = loginThrottleRuleFromEnv(),
): LoginThrottle {
  return {
    async attempt(account) {
      const d = await limiter.consume(accountKey(account), rule);
      return { allowed: d.allowed, retryAfterSeconds: d.retryAfterSeconds };
    },
    async succeeded(account) {
      if (rule.limit > 0) await limiter.consume(accountKey(account), rule, -1);
    },
  };
}
