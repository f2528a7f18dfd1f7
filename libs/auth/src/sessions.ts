// Browser sessions: login with email + password returns a one-time-shown secret ("mms_…"); the database keeps
// only its SHA-256. authenticateSession turns a secret back into an Actor; logout revokes it. Failed sign-ins
// are throttled per account when a LoginThrottle is given.
import { AppError } from "@mmatlas/errors";
import type { PrismaClient, User } from "@mmatlas/db";
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword } from "./password";
import type { Actor } from "./policy";
import { classifySecret, hashSecret, issueSessionSecret } from "./secrets";
import { toPublicUser, type PublicUser } from "./users";
import { normalizeEmail } from "./validation";

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** lastUsedAt is written at most this often per session/token, so reads do not turn into writes. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface LoginInput {
  email: string;
  password: string;
}

/** Per-account attempt counting (e.g. @mmatlas/ratelimit's createLoginThrottle); keyed by normalised email. */
export interface LoginThrottle {
  attempt(account: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  succeeded(account: string): Promise<void>;
}
export interface LoginResult {
  secret: string;
  sessionId: string;
  expiresAt: Date;
  user: PublicUser;
}

const INVALID_LOGIN = () => AppError.unauthenticated("invalid email or password");
let dummyHash: Promise<string> | undefined;

/**
 * Checks the password and opens a session. Unknown email and wrong password fail alike (UNAUTHENTICATED). With a
 * throttle, an account (known or not) that used up its failed attempts is refused with RATE_LIMITED before
 * the password is checked; a successful sign-in does not count.
 */
export async function login(
  prisma: PrismaClient,
  input: LoginInput,
  opts: { ttlMs?: number; now?: Date; throttle?: LoginThrottle } = {},
): Promise<LoginResult> {
  let email: string;
  try {
    email = normalizeEmail(input.email);
  } catch {
    throw INVALID_LOGIN();
  }
  if (opts.throttle) {
    const attempt = await opts.throttle.attempt(email);
    if (!attempt.allowed)
      throw AppError.rateLimited(
        `too many failed sign-ins for this account; retry in ${attempt.retryAfterSeconds} s`,
        attempt.retryAfterSeconds,
      );
  }
  const result = await checkPasswordAndOpenSession(prisma, email, input, opts);
  await opts.throttle?.succeeded(email);
  return result;
}

async function checkPasswordAndOpenSession(
  prisma: PrismaClient,
  email: string,
  input: LoginInput,
  opts: { ttlMs?: number; now?: Date },
): Promise<LoginResult> {
  const password = typeof input.password === "string" ? input.password : "";
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    // spend the same time as a real check, so response times do not reveal which emails exist
    await verifyPassword(password, await (dummyHash ??= hashPassword("not-a-real-password")));
    throw INVALID_LOGIN();
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw INVALID_LOGIN();
  if (needsRehash(user.passwordHash, DEFAULT_SCRYPT_PARAMS)) {
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  }
  const now = opts.now ?? new Date();
  const { secret, hash } = issueSessionSecret();
  const session = await prisma.session.create({
    data: { userId: user.id, tokenHash: hash, expiresAt: new Date(now.getTime() + (opts.ttlMs ?? SESSION_TTL_MS)) },
  });
  return { secret, sessionId: session.id, expiresAt: session.expiresAt, user: toPublicUser(user) };
}

/** Revokes the session a secret belongs to; returns false when it was unknown or already revoked. */
export async function logout(prisma: PrismaClient, secret: string): Promise<boolean> {
  if (classifySecret(secret) !== "session") return false;
  const { count } = await prisma.session.updateMany({
    where: { tokenHash: hashSecret(secret), revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

export const actorFromSession = (user: User, sessionId: string): Actor => ({
  userId: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
  via: "session",
  sessionId,
});

export const isStale = (lastUsedAt: Date | null, now: Date) =>
  !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;

/** The Actor behind a session secret. Unknown, revoked and expired sessions are refused (UNAUTHENTICATED). */
export async function authenticateSession(
  prisma: PrismaClient,
  secret: string,
  opts: { now?: Date } = {},
): Promise<Actor> {
  if (typeof secret !== "string" || classifySecret(secret) !== "session")
    throw AppError.unauthenticated("invalid session");
  const session = await prisma.session.findUnique({
    where: { tokenHash: hashSecret(secret) },
    include: { user: true },
  });
  const now = opts.now ?? new Date();
  if (!session) throw AppError.unauthenticated("invalid session");
  if (session.revokedAt) throw AppError.unauthenticated("session has been signed out");
  if (session.expiresAt <= now) throw AppError.unauthenticated("session has expired");
  if (isStale(session.lastUsedAt, now))
    await prisma.session.update({ where: { id: session.id }, data: { lastUsedAt: now } });
  return actorFromSession(session.user, session.id);
}
