// Resolves an HTTP "Authorization: Bearer <secret>" value (or a bare secret) to an Actor: API tokens
// ("mma_…") and session secrets ("mms_…") are both accepted; anything else is UNAUTHENTICATED.
import { AppError } from "@mmatlas/errors";
import type { PrismaClient } from "@mmatlas/db";
import { authenticateApiToken } from "./api-tokens";
import type { Actor } from "./policy";
import { classifySecret } from "./secrets";
import { authenticateSession } from "./sessions";

/** The secret inside an Authorization header value ("Bearer x" → "x"); a bare secret passes through. */
export function secretFromAuthorizationHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (m) return m[1];
  return /\s/.test(header.trim()) ? null : header.trim();
}

/** Authenticates a bearer secret. Expired, revoked and unknown secrets are refused; lastUsedAt is updated. */
export async function authenticateBearer(
  prisma: PrismaClient,
  secretOrHeader: string,
  opts: { now?: Date } = {},
): Promise<Actor> {
  const secret = secretFromAuthorizationHeader(secretOrHeader);
  switch (secret ? classifySecret(secret) : null) {
    case "apiToken":
      return authenticateApiToken(prisma, secret!, opts);
    case "session":
      return authenticateSession(prisma, secret!, opts);
    default:
      throw AppError.unauthenticated("malformed bearer token");
  }
}
