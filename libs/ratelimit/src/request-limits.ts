// Per-request limiting: every request counts against its client IP (unless it is an exempt socket address) and,
// when it carries a bearer credential, against that credential (keyed by its SHA-256, never the secret). The
// stricter verdict wins.
import { createHash } from "node:crypto";
import { trustedHops, type RateLimitConfig } from "./config";
import { clientAddress } from "./client-address";
import type { RateLimitDecision, RateLimiter } from "./limiter";

export interface RequestIdentity {
  ip: string;
  /** true when `ip` came from X-Forwarded-For: such an address is never exempt */
  forwarded?: boolean;
  /** the bearer secret or any stable credential id; null for anonymous requests */
  credential: string | null;
}

export interface RequestVerdict extends RateLimitDecision {
  /** which rule refused (or the tightest one that allowed) */
  scope: "ip" | "token";
}

export const credentialKey = (credential: string) =>
  createHash("sha256").update(credential).digest("base64url").slice(0, 32);

export function createRequestLimits(limiter: RateLimiter, config: RateLimitConfig) {
  return {
    config,
    async check(id: RequestIdentity): Promise<RequestVerdict> {
      const checks: Promise<RequestVerdict>[] = [];
      if (id.forwarded || !config.exemptIps.includes(id.ip))
        checks.push(limiter.consume(`ip:${id.ip}`, config.perIp).then((d) => ({ ...d, scope: "ip" as const })));
      if (id.credential)
        checks.push(
          limiter
            .consume(`tok:${credentialKey(id.credential)}`, config.perToken)
            .then((d) => ({ ...d, scope: "token" as const })),
        );
      const verdicts = await Promise.all(checks);
      const refused = verdicts.filter((v) => !v.allowed).sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds);
      return (
        refused[0] ??
        verdicts.sort((a, b) => a.remaining - b.remaining)[0] ?? {
          allowed: true,
          limit: 0,
          remaining: Number.POSITIVE_INFINITY,
          retryAfterSeconds: 0,
          scope: "ip",
        }
      );
    },
  };
}

export type RequestLimits = ReturnType<typeof createRequestLimits>;

/** The client IP of a request under `config` (see clientAddress): the socket address, or the right-most untrusted X-Forwarded-For hop. */
export function clientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: number | boolean,
): string {
  return clientAddress(remoteAddress, forwardedFor, trustedHops({ trustProxy })).ip;
}
