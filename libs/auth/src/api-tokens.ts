// API tokens for programmatic access: created by their owner with scopes no higher than what the creator
// may do, listed without secrets, revoked by their owner (or an admin), and turned back into an Actor.
import { AppError } from "@mmatlas/errors";
import type { ApiToken, PrismaClient, TokenScope } from "@mmatlas/db";
import { assertCan, can, effectiveLevel, scopeLevel, TOKEN_SCOPES, type Actor } from "./policy";
import { classifySecret, hashSecret, issueApiToken } from "./secrets";
import { isStale } from "./sessions";
import { normalizeDisplayName } from "./validation";

/** What owners see of a token: never the secret nor its hash. */
export type ApiTokenInfo = Omit<ApiToken, "tokenHash">;
export const toApiTokenInfo = ({ tokenHash: _hash, ...rest }: ApiToken): ApiTokenInfo => rest;

export interface CreateApiTokenInput { name: string; scopes: TokenScope[]; expiresAt?: Date | null }
export interface CreatedApiToken { secret: string; token: ApiTokenInfo }

/**
 * Issues a token for the actor's own user. Scopes must be known, non-empty and within the actor's effective
 * level (its role, and the scopes of the token it is using, if any): a token can never widen access.
 */
export async function createApiToken(prisma: PrismaClient, actor: Actor | null, input: CreateApiTokenInput, opts: { now?: Date } = {}): Promise<CreatedApiToken> {
  assertCan(actor, "read");
  const name = normalizeDisplayName(input.name, "name");
  const scopes = [...new Set(input.scopes ?? [])];
  if (scopes.length === 0) throw AppError.badInput("a token needs at least one scope", "scopes");
  for (const s of scopes) if (!TOKEN_SCOPES.includes(s)) throw AppError.badInput(`unknown scope ${JSON.stringify(s)}`, "scopes");
  const allowed = effectiveLevel(actor);
  const tooHigh = scopes.filter((s) => scopeLevel(s) > allowed);
  if (tooHigh.length) throw AppError.forbidden(`scopes ${tooHigh.join(", ")} exceed what ${actor.email} may do`, { scopes: tooHigh });
  const now = opts.now ?? new Date();
  if (input.expiresAt != null && !(input.expiresAt instanceof Date && input.expiresAt > now)) {
    throw AppError.badInput("expiresAt must be a date in the future", "expiresAt");
  }
  const { secret, prefix, hash } = issueApiToken();
  const token = await prisma.apiToken.create({
    data: { userId: actor.userId, name, prefix, tokenHash: hash, scopes: [...scopes].sort((a, b) => scopeLevel(a) - scopeLevel(b)), expiresAt: input.expiresAt ?? null },
  });
  return { secret, token: toApiTokenInfo(token) };
}

/** Tokens of `userId` (default: the actor's own), newest first, revoked ones included. Others' need admin. */
export async function listApiTokens(prisma: PrismaClient, actor: Actor | null, userId?: string): Promise<ApiTokenInfo[]> {
  assertCan(actor, "read");
  const owner = userId ?? actor.userId;
  if (owner !== actor.userId) assertCan(actor, "token.manageAny");
  const tokens = await prisma.apiToken.findMany({ where: { userId: owner }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return tokens.map(toApiTokenInfo);
}

/** Revokes a token (idempotent). Only its owner may, or an admin; NOT_FOUND when the id is unknown. */
export async function revokeApiToken(prisma: PrismaClient, actor: Actor | null, tokenId: string): Promise<ApiTokenInfo> {
  assertCan(actor, "read");
  const token = await prisma.apiToken.findUnique({ where: { id: tokenId } });
  if (!token) throw AppError.notFound("ApiToken", tokenId);
  if (token.userId !== actor.userId && !can(actor, "token.manageAny")) throw AppError.forbidden("only the owner or an admin can revoke this token");
  if (token.revokedAt) return toApiTokenInfo(token);
  return toApiTokenInfo(await prisma.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } }));
}

/** The Actor behind an API token secret; unknown, revoked and expired tokens are refused (UNAUTHENTICATED). */
export async function authenticateApiToken(prisma: PrismaClient, secret: string, opts: { now?: Date } = {}): Promise<Actor> {
  if (typeof secret !== "string" || classifySecret(secret) !== "apiToken") throw AppError.unauthenticated("invalid API token");
  const token = await prisma.apiToken.findUnique({ where: { tokenHash: hashSecret(secret) }, include: { user: true } });
  const now = opts.now ?? new Date();
  if (!token) throw AppError.unauthenticated("invalid API token");
  if (token.revokedAt) throw AppError.unauthenticated("API token has been revoked");
  if (token.expiresAt && token.expiresAt <= now) throw AppError.unauthenticated("API token has expired");
  if (isStale(token.lastUsedAt, now)) await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  const { user } = token;
  return { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, via: "token", tokenId: token.id, scopes: token.scopes };
}
