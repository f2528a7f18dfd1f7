// Bearer secrets: API tokens "mma_<prefix>_<secret>" and session secrets "mms_<secret>". Only the SHA-256
// of a secret is stored; the 8-character prefix of an API token is stored in clear so owners can tell tokens apart.
import { createHash, randomBytes } from "node:crypto";

export const API_TOKEN_PREFIX = "mma_";
export const SESSION_PREFIX = "mms_";

export interface IssuedApiToken {
  secret: string;
  prefix: string;
  hash: string;
}
export interface IssuedSession {
  secret: string;
  hash: string;
}

/** SHA-256 (hex) of a secret: what the database stores. Secrets carry 256 random bits, so no salt is needed. */
export const hashSecret = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** A new API token: "mma_" + 8 hex chars (shown to the owner) + "_" + 43 base64url chars (32 random bytes). */
export function issueApiToken(): IssuedApiToken {
  const prefix = randomBytes(4).toString("hex");
  const secret = `${API_TOKEN_PREFIX}${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, hash: hashSecret(secret) };
}

/** A new session secret: "mms_" + 43 base64url chars (32 random bytes). */
export function issueSessionSecret(): IssuedSession {
  const secret = `${SESSION_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret) };
}

export type SecretKind = "apiToken" | "session";

/** Which kind of secret a string is by its shape, or null when it is neither. */
export function classifySecret(secret: string): SecretKind | null {
  if (/^mma_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/.test(secret)) return "apiToken";
  if (/^mms_[A-Za-z0-9_-]{43}$/.test(secret)) return "session";
  return null;
}
