// Who is on a collaboration connection: the token the provider sends is a session secret or an API token
// (@mmatlas/auth). Those who may annotate get read-write; VIEWERs, READ-only tokens and (when allowed)
// anonymous visitors get a read-only connection whose writes the server drops.
import { authenticateBearer, can, type Actor } from "@mmatlas/auth";
import { AppError } from "@mmatlas/errors";
import type { PrismaClient } from "@mmatlas/db";

export interface CollabContext {
  actor: Actor | null;
  readOnly: boolean;
}

export interface CollabAuthOptions {
  /** let visitors without a token watch read-only (default true; the atlas is public) */
  allowAnonymousRead?: boolean;
}

/** Resolves a provider token; throws UNAUTHENTICATED for bad tokens (and for none, unless anonymous reads are allowed). */
export async function authenticateCollabToken(
  prisma: PrismaClient,
  token: string | null | undefined,
  opts: CollabAuthOptions = {},
): Promise<CollabContext> {
  const secret = (token ?? "").trim();
  if (!secret) {
    if (opts.allowAnonymousRead ?? true) return { actor: null, readOnly: true };
    throw AppError.unauthenticated("sign in to open this document");
  }
  const actor = await authenticateBearer(prisma, secret);
  if (!can(actor, "read")) throw AppError.forbidden("this token cannot read");
  return { actor, readOnly: !can(actor, "annotation.create") };
}

/** NOT_FOUND unless a unit with this id exists (document names are unit ids). */
export async function assertUnitExists(prisma: PrismaClient, unitId: string): Promise<void> {
  const unit = await prisma.unit.findUnique({ where: { id: unitId }, select: { id: true } });
  if (!unit) throw AppError.notFound("Unit", unitId);
}
