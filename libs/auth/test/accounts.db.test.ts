// Accounts and sessions against a real database: registration rules, login/logout, session checks, roles.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { authenticateBearer, authenticateSession, login, logout, registerUser, setUserRole, type Actor } from "../src";
import { hashSecret } from "../src/secrets";
import { verifyPassword } from "../src/password";

jest.setTimeout(120_000);

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db?.close();
});

const register = (email: string, password = "long-enough-pw", displayName?: string) =>
  registerUser(db.prisma, { email, password, displayName });
const sessionOf = async (email: string, password = "long-enough-pw"): Promise<Actor> =>
  authenticateSession(db.prisma, (await login(db.prisma, { email, password })).secret);

it("makes the first user ADMIN and later ones ANNOTATOR, normalizing emails and names", async () => {
  const first = await register("  Ada@Example.ORG ", "long-enough-pw", "  Ada   Lovelace ");
  const second = await register("grace@example.org");
  expect(first).toMatchObject({ email: "ada@example.org", displayName: "Ada Lovelace", role: "ADMIN" });
  expect(second).toMatchObject({ email: "grace@example.org", displayName: "grace", role: "ANNOTATOR" });
  expect(first).not.toHaveProperty("passwordHash");
  const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: first.id } });
  expect(stored.passwordHash).not.toContain("long-enough-pw");
  expect(await verifyPassword("long-enough-pw", stored.passwordHash)).toBe(true);
});

it("gives ADMIN to exactly one of several simultaneous first registrations", async () => {
  const users = await Promise.all(["a", "b", "c"].map((n) => register(`${n}@example.org`)));
  expect(users.filter((u) => u.role === "ADMIN")).toHaveLength(1);
});

it("refuses invalid input (BAD_USER_INPUT) and taken emails (CONFLICT, case-insensitive)", async () => {
  await expect(register("not-an-email")).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { field: "email" } });
  await expect(register("x@example.org", "short")).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "password" },
  });
  await expect(register("x@example.org", "long-enough-pw", "   ")).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "displayName" },
  });
  await register("taken@example.org");
  await expect(register("TAKEN@example.org")).rejects.toMatchObject({ code: "CONFLICT" });
  expect(await db.prisma.user.count()).toBe(1);
});

it("logs in with the right password only, storing just the session hash", async () => {
  const user = await register("lin@example.org");
  const result = await login(db.prisma, { email: "LIN@example.org", password: "long-enough-pw" });
  expect(result.user.id).toBe(user.id);
  expect(result.secret).toMatch(/^mms_/);
  const session = await db.prisma.session.findUniqueOrThrow({ where: { id: result.sessionId } });
  expect(session.tokenHash).toBe(hashSecret(result.secret));
  expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

  await expect(login(db.prisma, { email: "lin@example.org", password: "wrong-password" })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "invalid email or password",
  });
  await expect(login(db.prisma, { email: "nobody@example.org", password: "long-enough-pw" })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "invalid email or password",
  });
  await expect(login(db.prisma, { email: "garbage", password: "x" })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
  });
  expect(await db.prisma.session.count()).toBe(1);
});

it("authenticates sessions until logout or expiry, and records last use", async () => {
  const user = await register("sam@example.org");
  const { secret, sessionId } = await login(db.prisma, { email: "sam@example.org", password: "long-enough-pw" });
  const actor = await authenticateSession(db.prisma, secret);
  expect(actor).toEqual({
    userId: user.id,
    email: "sam@example.org",
    displayName: "sam",
    role: "ADMIN",
    via: "session",
    sessionId,
  });
  expect((await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lastUsedAt).toBeInstanceOf(Date);
  expect(await authenticateBearer(db.prisma, `Bearer ${secret}`)).toMatchObject({ userId: user.id, via: "session" });

  await expect(
    authenticateSession(db.prisma, secret, { now: new Date(Date.now() + 31 * 24 * 3600 * 1000) }),
  ).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: "session has expired" });
  expect(await logout(db.prisma, secret)).toBe(true);
  expect(await logout(db.prisma, secret)).toBe(false);
  await expect(authenticateSession(db.prisma, secret)).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "session has been signed out",
  });
  await expect(authenticateSession(db.prisma, `mms_${"A".repeat(43)}`)).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "invalid session",
  });
  await expect(authenticateSession(db.prisma, "nonsense")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
});

it("lets only admins set roles, and never demotes the last admin", async () => {
  const admin = await register("root@example.org");
  const bob = await register("bob@example.org");
  const adminActor = await sessionOf("root@example.org");
  const bobActor = await sessionOf("bob@example.org");

  await expect(setUserRole(db.prisma, bobActor, bob.id, "ADMIN")).rejects.toMatchObject({ code: "FORBIDDEN" });
  await expect(setUserRole(db.prisma, null, bob.id, "ADMIN")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  expect(await setUserRole(db.prisma, adminActor, bob.id, "REVIEWER")).toMatchObject({ id: bob.id, role: "REVIEWER" });
  // the role is read fresh on every authentication
  expect((await sessionOf("bob@example.org")).role).toBe("REVIEWER");

  await expect(setUserRole(db.prisma, adminActor, admin.id, "VIEWER")).rejects.toMatchObject({ code: "CONFLICT" });
  await expect(setUserRole(db.prisma, adminActor, "no-such-user", "VIEWER")).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  await expect(setUserRole(db.prisma, adminActor, bob.id, "OWNER" as never)).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
  });
  await setUserRole(db.prisma, adminActor, bob.id, "ADMIN");
  expect(await setUserRole(db.prisma, adminActor, admin.id, "VIEWER")).toMatchObject({ role: "VIEWER" });
});
