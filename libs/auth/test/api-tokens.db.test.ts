// API tokens against a real database: scopes bounded by role, hash-only storage, listing, revocation rules,
// and bearer authentication refusing expired / revoked / unknown tokens.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import {
  authenticateBearer,
  authenticateSession,
  can,
  createApiToken,
  listApiTokens,
  login,
  registerUser,
  revokeApiToken,
  setUserRole,
  type Actor,
} from "../src";
import { hashSecret } from "../src/secrets";

jest.setTimeout(120_000);

let db: TestDatabase;
let admin: Actor;
let annotator: Actor;

beforeEach(async () => {
  db = await createTestDatabase();
  await registerUser(db.prisma, { email: "admin@example.org", password: "long-enough-pw" });
  await registerUser(db.prisma, { email: "ann@example.org", password: "long-enough-pw" });
  const signIn = async (email: string) =>
    authenticateSession(db.prisma, (await login(db.prisma, { email, password: "long-enough-pw" })).secret);
  admin = await signIn("admin@example.org");
  annotator = await signIn("ann@example.org");
});
afterEach(async () => {
  await db?.close();
});

it("creates a token whose secret is shown once and stored only as SHA-256", async () => {
  const { secret, token } = await createApiToken(db.prisma, annotator, {
    name: " ci runner ",
    scopes: ["ANNOTATE", "READ", "READ"],
  });
  expect(secret).toMatch(new RegExp(`^mma_${token.prefix}_`));
  expect(token).toMatchObject({
    name: "ci runner",
    scopes: ["READ", "ANNOTATE"],
    userId: annotator.userId,
    expiresAt: null,
    revokedAt: null,
  });
  expect(token).not.toHaveProperty("tokenHash");
  const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
  expect(row.tokenHash).toBe(hashSecret(secret));
  expect(JSON.stringify(row)).not.toContain(secret.slice(13));
});

it("refuses scopes above the user's role, unknown or empty scopes, and past expiry dates", async () => {
  await expect(createApiToken(db.prisma, annotator, { name: "x", scopes: ["REVIEW"] })).rejects.toMatchObject({
    code: "FORBIDDEN",
    details: { scopes: ["REVIEW"] },
  });
  await expect(createApiToken(db.prisma, annotator, { name: "x", scopes: [] })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "scopes" },
  });
  await expect(
    createApiToken(db.prisma, annotator, { name: "x", scopes: ["SUPERUSER" as never] }),
  ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  await expect(
    createApiToken(db.prisma, annotator, { name: "x", scopes: ["READ"], expiresAt: new Date(Date.now() - 1000) }),
  ).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { field: "expiresAt" } });
  await expect(createApiToken(db.prisma, null, { name: "x", scopes: ["READ"] })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
  });
  expect(await db.prisma.apiToken.count()).toBe(0);
  expect((await createApiToken(db.prisma, admin, { name: "all", scopes: ["ADMIN", "REVIEW"] })).token.scopes).toEqual([
    "REVIEW",
    "ADMIN",
  ]);
});

it("a token cannot mint a token wider than itself", async () => {
  const { secret } = await createApiToken(db.prisma, admin, { name: "read-only", scopes: ["READ"] });
  const viaToken = await authenticateBearer(db.prisma, secret);
  await expect(createApiToken(db.prisma, viaToken, { name: "escalate", scopes: ["ADMIN"] })).rejects.toMatchObject({
    code: "FORBIDDEN",
  });
  expect((await createApiToken(db.prisma, viaToken, { name: "also read", scopes: ["READ"] })).token.scopes).toEqual([
    "READ",
  ]);
});

it("authenticates bearer tokens as scope-limited actors and records last use", async () => {
  const { secret, token } = await createApiToken(db.prisma, admin, { name: "bot", scopes: ["READ", "ANNOTATE"] });
  const actor = await authenticateBearer(db.prisma, `Bearer ${secret}`);
  expect(actor).toEqual({
    userId: admin.userId,
    email: "admin@example.org",
    displayName: "admin",
    role: "ADMIN",
    via: "token",
    tokenId: token.id,
    scopes: ["READ", "ANNOTATE"],
  });
  expect(can(actor, "vote")).toBe(true);
  expect(can(actor, "annotation.review")).toBe(false);
  expect(can(actor, "user.setRole")).toBe(false);
  expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toBeInstanceOf(Date);
});

it("refuses expired, revoked and unknown tokens", async () => {
  const soon = new Date(Date.now() + 60_000);
  const { secret: expiring } = await createApiToken(db.prisma, annotator, {
    name: "short",
    scopes: ["READ"],
    expiresAt: soon,
  });
  await expect(authenticateBearer(db.prisma, expiring)).resolves.toMatchObject({ via: "token" });
  await expect(authenticateBearer(db.prisma, expiring, { now: new Date(soon.getTime() + 1) })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "API token has expired",
  });

  const { secret, token } = await createApiToken(db.prisma, annotator, { name: "revoke me", scopes: ["READ"] });
  await revokeApiToken(db.prisma, annotator, token.id);
  await expect(authenticateBearer(db.prisma, secret)).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "API token has been revoked",
  });

  const forged = `mma_${token.prefix}_${"B".repeat(43)}`;
  await expect(authenticateBearer(db.prisma, forged)).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
    message: "invalid API token",
  });
  await expect(authenticateBearer(db.prisma, "Bearer")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  await expect(authenticateBearer(db.prisma, "")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
});

it("reflects a role lowered after token creation", async () => {
  const { secret } = await createApiToken(db.prisma, annotator, { name: "annotate", scopes: ["ANNOTATE"] });
  await setUserRole(db.prisma, admin, annotator.userId, "VIEWER");
  const actor = await authenticateBearer(db.prisma, secret);
  expect(actor.role).toBe("VIEWER");
  expect(can(actor, "annotation.create")).toBe(false);
  expect(can(actor, "read")).toBe(true);
});

it("lists own tokens without secrets; others' only for admins", async () => {
  await createApiToken(db.prisma, annotator, { name: "one", scopes: ["READ"] });
  await createApiToken(db.prisma, annotator, { name: "two", scopes: ["ANNOTATE"] });
  await createApiToken(db.prisma, admin, { name: "admin's", scopes: ["ADMIN"] });
  const own = await listApiTokens(db.prisma, annotator);
  expect(own.map((t) => t.name).sort()).toEqual(["one", "two"]);
  for (const t of own) expect(t).not.toHaveProperty("tokenHash");
  await expect(listApiTokens(db.prisma, annotator, admin.userId)).rejects.toMatchObject({ code: "FORBIDDEN" });
  expect((await listApiTokens(db.prisma, admin, annotator.userId)).map((t) => t.name).sort()).toEqual(["one", "two"]);
});

it("revokes own tokens (idempotently); others' only as admin", async () => {
  const { token: mine } = await createApiToken(db.prisma, annotator, { name: "mine", scopes: ["READ"] });
  const { token: admins } = await createApiToken(db.prisma, admin, { name: "admin's", scopes: ["READ"] });
  await expect(revokeApiToken(db.prisma, annotator, admins.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: admins.id } })).revokedAt).toBeNull();
  await expect(revokeApiToken(db.prisma, annotator, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });

  const revoked = await revokeApiToken(db.prisma, annotator, mine.id);
  expect(revoked.revokedAt).toBeInstanceOf(Date);
  expect((await revokeApiToken(db.prisma, annotator, mine.id)).revokedAt).toEqual(revoked.revokedAt);
  expect((await revokeApiToken(db.prisma, admin, mine.id)).revokedAt).toEqual(revoked.revokedAt);
  const { token: another } = await createApiToken(db.prisma, annotator, { name: "another", scopes: ["READ"] });
  expect((await revokeApiToken(db.prisma, admin, another.id)).revokedAt).toBeInstanceOf(Date);
});

describe("token lineage", () => {
  it("a child minted by an expiring token expires with its parent, never later", async () => {
    const soon = new Date(Date.now() + 60_000);
    const { secret: parentSecret, token: parent } = await createApiToken(db.prisma, admin, {
      name: "parent",
      scopes: ["ADMIN"],
      expiresAt: soon,
    });
    const viaParent = await authenticateBearer(db.prisma, parentSecret);
    const { secret: childSecret, token: child } = await createApiToken(db.prisma, viaParent, {
      name: "child",
      scopes: ["READ"],
    });
    expect(child).toMatchObject({ expiresAt: soon, parentId: parent.id });
    const later = await createApiToken(db.prisma, viaParent, {
      name: "later",
      scopes: ["READ"],
      expiresAt: new Date(soon.getTime() + 3_600_000),
    });
    expect(later.token.expiresAt).toEqual(soon);
    const earlier = new Date(Date.now() + 30_000);
    expect(
      (await createApiToken(db.prisma, viaParent, { name: "earlier", scopes: ["READ"], expiresAt: earlier })).token
        .expiresAt,
    ).toEqual(earlier);
    await expect(
      authenticateBearer(db.prisma, childSecret, { now: new Date(soon.getTime() + 1) }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: "API token has expired" });
    // a session mints root tokens
    expect((await createApiToken(db.prisma, admin, { name: "root", scopes: ["READ"] })).token).toMatchObject({
      parentId: null,
      expiresAt: null,
    });
  });

  it("revoking a parent revokes its children and grandchildren", async () => {
    const { secret: parentSecret, token: parent } = await createApiToken(db.prisma, admin, {
      name: "parent",
      scopes: ["ADMIN"],
    });
    const { secret: childSecret } = await createApiToken(db.prisma, await authenticateBearer(db.prisma, parentSecret), {
      name: "child",
      scopes: ["REVIEW"],
    });
    const { secret: grandSecret } = await createApiToken(db.prisma, await authenticateBearer(db.prisma, childSecret), {
      name: "grandchild",
      scopes: ["READ"],
    });
    const { secret: unrelated } = await createApiToken(db.prisma, admin, { name: "unrelated", scopes: ["READ"] });
    await revokeApiToken(db.prisma, admin, parent.id);
    await expect(authenticateBearer(db.prisma, childSecret)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: "API token has been revoked",
    });
    await expect(authenticateBearer(db.prisma, grandSecret)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: "API token has been revoked",
    });
    await expect(authenticateBearer(db.prisma, unrelated)).resolves.toMatchObject({ via: "token" });
  });

  it("a child never outranks its parent, and a revoked parent mints nothing", async () => {
    const { secret, token } = await createApiToken(db.prisma, admin, { name: "review", scopes: ["REVIEW"] });
    const viaToken = await authenticateBearer(db.prisma, secret);
    await expect(createApiToken(db.prisma, viaToken, { name: "up", scopes: ["ADMIN"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await createApiToken(db.prisma, viaToken, { name: "same", scopes: ["REVIEW"] })).token.scopes).toEqual([
      "REVIEW",
    ]);
    await revokeApiToken(db.prisma, admin, token.id);
    // an actor resolved before the revocation cannot mint afterwards
    await expect(createApiToken(db.prisma, viaToken, { name: "late", scopes: ["READ"] })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
    expect(await db.prisma.apiToken.count({ where: { revokedAt: null } })).toBe(0);
  });
});

describe("token management needs a session or an ADMIN-scoped token", () => {
  it("a READ token can neither list nor revoke its owner's tokens; an ADMIN token and a session can", async () => {
    const { token: strong } = await createApiToken(db.prisma, admin, { name: "strong", scopes: ["ADMIN"] });
    const { secret: readSecret } = await createApiToken(db.prisma, admin, { name: "read", scopes: ["READ"] });
    const { secret: adminSecret } = await createApiToken(db.prisma, admin, { name: "admin", scopes: ["ADMIN"] });
    const viaRead = await authenticateBearer(db.prisma, readSecret);
    await expect(listApiTokens(db.prisma, viaRead)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revokeApiToken(db.prisma, viaRead, strong.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: strong.id } })).revokedAt).toBeNull();
    const viaAdmin = await authenticateBearer(db.prisma, adminSecret);
    expect((await listApiTokens(db.prisma, viaAdmin)).map((t) => t.name).sort()).toEqual(["admin", "read", "strong"]);
    expect((await revokeApiToken(db.prisma, viaAdmin, strong.id)).revokedAt).toBeInstanceOf(Date);
    expect((await listApiTokens(db.prisma, admin)).length).toBe(3);
  });
});
