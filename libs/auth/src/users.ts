// User accounts: registration (first user ever becomes ADMIN, later ones ANNOTATOR), public views that never
// include the password hash, and role changes by admins (the last admin cannot be demoted).
import { AppError } from "@mmatlas/errors";
import { Prisma, type PrismaClient, type Role, type User } from "@mmatlas/db";
import { hashPassword, validatePassword } from "./password";
import { assertCan, ROLES, type Actor } from "./policy";
import { normalizeDisplayName, normalizeEmail } from "./validation";

export type PublicUser = Omit<User, "passwordHash">;

export const toPublicUser = ({ passwordHash: _hash, ...rest }: User): PublicUser => rest;

export interface RegisterInput {
  email: string;
  password: string;
  displayName?: string;
}

/** Serializes "am I the first user?" decisions across connections (PostgreSQL and PGlite alike). */
const FIRST_USER_LOCK = 0x6d6d6175; // "mmau"

/** Creates an account. Throws BAD_USER_INPUT for invalid input and CONFLICT when the email is taken. */
export async function registerUser(prisma: PrismaClient, input: RegisterInput): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  validatePassword(input.password);
  const displayName = normalizeDisplayName(input.displayName ?? email.split("@")[0]);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK}::bigint)`;
      const role: Role = (await tx.user.count()) === 0 ? "ADMIN" : "ANNOTATOR";
      return tx.user.create({ data: { email, displayName, passwordHash, role } });
    });
    return toPublicUser(user);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw AppError.conflict("an account with this email already exists", { field: "email" });
    }
    throw e;
  }
}

/** Changes a user's role; admins only. Refuses to demote the last ADMIN (CONFLICT). */
export async function setUserRole(
  prisma: PrismaClient,
  actor: Actor | null,
  userId: string,
  role: Role,
): Promise<PublicUser> {
  assertCan(actor, "user.setRole");
  if (!ROLES.includes(role)) throw AppError.badInput(`unknown role ${JSON.stringify(role)}`, "role");
  const user = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK}::bigint)`;
    const target = await tx.user.findUnique({ where: { id: userId } });
    if (!target) throw AppError.notFound("User", userId);
    if (target.role === "ADMIN" && role !== "ADMIN" && (await tx.user.count({ where: { role: "ADMIN" } })) === 1) {
      throw AppError.conflict("cannot demote the last admin");
    }
    return tx.user.update({ where: { id: userId }, data: { role } });
  });
  return toPublicUser(user);
}

/** The user an actor stands for (fresh from the database). */
export async function getUser(prisma: PrismaClient, userId: string): Promise<PublicUser> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw AppError.notFound("User", userId);
  return toPublicUser(user);
}
