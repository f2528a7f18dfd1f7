// API tokens for programmatic access: created by their owner with scopes no higher than what the creator
// may do, listed without secrets, revoked by their owner (or an admin), and turned back into an Actor.
// Lineage: a token minted with another token records it as parent; the child's expiry is capped at the
// parent's and revoking a token revokes its descendants. Listing and revoking need a session or an
// ADMIN-scoped token (a READ token must not see or revoke its owner's stronger tokens).
import { AppError } from "@mmatlas/errors";
import type { ApiToken, PrismaClient, TokenScope } from "@mmatlas/db";
import { assertCan, can, effectiveLevel, scopeLevel, TOKEN_SCOPES, type Actor } from "./policy";
import { classifySecret, hashSecret, issueApiToken } from "./secrets";
import { isStale } from "./sessions";
import { normalizeDisplayName } from "./validation";

/** What owners see of a token: never the secret nor its hash. */
export type ApiTokenInfo = Omit<ApiToken, "tokenHash">;
export const toApiTokenInfo = ({ tokenHash: _hash, ...rest }: ApiToken): ApiTokenInfo => rest;

export interface CreateApiTokenInput {
  name: string;
  scopes: TokenScope[];
  expiresAt?: Date | null;
}
export interface CreatedApiToken {
  secret: string;
  token: ApiTokenInfo;
}

/** Token management (listing, revoking) needs a session or an ADMIN-scoped token. */
function assertCanManageTokens(actor: Actor | null): asserts actor is Actor {
  assertCan(actor, "read");
  if (actor.via === "token" && !(actor.scopes ?? []).includes("ADMIN")) {
    throw AppError.forbidden("forbidden: managing API tokens needs a signed-in session or an ADMIN-scoped token", {
      required: "ADMIN",
    });
  }
}

/** The live token an actor authenticated with (its parent-to-be); UNAUTHENTICATED when revoked or expired since. */
async function parentTokenOf(prisma: PrismaClient, actor: Actor, now: Date): Promise<ApiToken | null> {
  if (actor.via !== "token") return null;
  const parent = actor.tokenId ? await prisma.apiToken.findUnique({ where: { id: actor.tokenId } }) : null;
  if (!parent || parent.userId !== actor.userId) throw AppError.unauthenticated("invalid API token");
  if (parent.revokedAt) throw AppError.unauthenticated("API token has been revoked");
  if (parent.expiresAt && parent.expiresAt <= now) throw AppError.unauthenticated("API token has expired");
  return parent;
}

/** The earlier of a requested expiry and the parent's (null = never). */
const cappedExpiry = (requested: Date | null, parent: ApiToken | null): Date | null =>
  !parent?.expiresAt ? requested : !requested || requested > parent.expiresAt ? parent.expiresAt : requested;

/**
 * Issues a token for the actor's own user. Scopes must be known, non-empty and within the actor's effective
 * level (its role, and the scopes of the token it is using, if any): a token can never widen access. A token
 * minted with a token is its child: it expires no later than the parent and is revoked with it.
 */
export async function createApiToken(
  prisma: PrismaClient,
  actor: Actor | null,
  input: CreateApiTokenInput,
  opts: { now?: Date } = {},
): Promise<CreatedApiToken> {
  assertCan(actor, "read");
  const name = normalizeDisplayName(input.name, "name");
  const scopes = [...new Set(input.scopes ?? [])];
  if (scopes.length === 0) throw AppError.badInput("a token needs at least one scope", "scopes");
  for (const s of scopes)
    if (!TOKEN_SCOPES.includes(s)) throw AppError.badInput(`unknown scope ${JSON.stringify(s)}`, "scopes");
  const allowed = effectiveLevel(actor);
  const tooHigh = scopes.filter((s) => scopeLevel(s) > allowed);
  if (tooHigh.length)
    throw AppError.forbidden(`scopes ${tooHigh.join(", ")} exceed what ${actor.email} may do`, { scopes: tooHigh });
  const now = opts.now ?? new Date();
  if (input.expiresAt != null && !(input.expiresAt instanceof Date && input.expiresAt > now)) {
    throw AppError.badInput("expiresAt must be a date in the future", "expiresAt");
  }
  const parent = await parentTokenOf(prisma, actor, now);
  const { secret, prefix, hash } = issueApiToken();
  const token = await prisma.apiToken.create({
    data: {
      userId: actor.userId,
      name,
      prefix,
      tokenHash: hash,
      scopes: [...scopes].sort((a, b) => scopeLevel(a) - scopeLevel(b)),
      expiresAt: cappedExpiry(input.expiresAt ?? null, parent),
      parentId: parent?.id ?? null,
    },
  });
  if (parent) {
    // the parent may have been revoked while the child was written: the child goes with it
    const fresh = await prisma.apiToken.findUnique({ where: { id: parent.id }, select: { revokedAt: true } });
    if (!fresh || fresh.revokedAt) {
      await revokeLineage(prisma, token.id, fresh?.revokedAt ?? new Date());
      throw AppError.unauthenticated("API token has been revoked");
    }
  }
  return { secret, token: toApiTokenInfo(token) };
}

/** Tokens of `userId` (default: the actor's own), newest first, revoked ones included. Others' need admin. */
export async function listApiTokens(
  prisma: PrismaClient,
  actor: Actor | null,
  userId?: string,
): Promise<ApiTokenInfo[]> {
  assertCanManageTokens(actor);
  const owner = userId ?? actor.userId;
  if (owner !== actor.userId) assertCan(actor, "token.manageAny");
  const tokens = await prisma.apiToken.findMany({
    where: { userId: owner },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return tokens.map(toApiTokenInfo);
}

/** Revokes a token and every token minted from it, at any depth (tokens already revoked keep their time). */
async function revokeLineage(prisma: PrismaClient, rootId: string, at: Date): Promise<void> {
  let frontier = [rootId];
  const seen = new Set(frontier);
  while (frontier.length) {
    await prisma.apiToken.updateMany({ where: { id: { in: frontier }, revokedAt: null }, data: { revokedAt: at } });
    const children = await prisma.apiToken.findMany({ where: { parentId: { in: frontier } }, select: { id: true } });
    frontier = children.map((c) => c.id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
}

/**
 * Revokes a token and its descendants (idempotent). Only its owner may, or an admin, each with a session or an
 * ADMIN-scoped token; NOT_FOUND when the id is unknown.
 */
export async function revokeApiToken(
  prisma: PrismaClient,
  actor: Actor | null,
  tokenId: string,
): Promise<ApiTokenInfo> {
  assertCanManageTokens(actor);
  const token = await prisma.apiToken.findUnique({ where: { id: tokenId } });
  if (!token) throw AppError.notFound("ApiToken", tokenId);
  if (token.userId !== actor.userId && !can(actor, "token.manageAny"))
    throw AppError.forbidden("only the owner or an admin can revoke this token");
  // descendants are revoked even when this token already was (e.g. a child minted while it was being revoked)
  await revokeLineage(prisma, token.id, token.revokedAt ?? new Date());
  return toApiTokenInfo(await prisma.apiToken.findUniqueOrThrow({ where: { id: tokenId } }));
}

/** The Actor behind an API token secret; unknown, revoked and expired tokens are refused (UNAUTHENTICATED). */
export async function authenticateApiToken(
  prisma: PrismaClient,
  secret: string,
  opts: { now?: Date } = {},
): Promise<Actor> {
  if (typeof secret !== "string" || classifySecret(secret) !== "apiToken")
    throw AppError.unauthenticated("invalid API token");
  const token = await prisma.apiToken.findUnique({ where: { tokenHash: hashSecret(secret) }, include: { user: true } });
  const now = opts.now ?? new Date();
  if (!token) throw AppError.unauthenticated("invalid API token");
  if (token.revokedAt) throw AppError.unauthenticated("API token has been revoked");
  if (token.expiresAt && token.expiresAt <= now) throw AppError.unauthenticated("API token has expired");
  if (isStale(token.lastUsedAt, now))
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  const { user } = token;
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    via: "token",
    tokenId: token.id,
    scopes: token.scopes,
  };
}
