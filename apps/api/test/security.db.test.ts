// Issue 15 over real HTTP: X-Forwarded-For is trusted only for the configured proxy hops (rotating the
// client-supplied part or writing 127.0.0.1 there buys nothing), failed sign-ins are throttled per account,
// common passwords are refused, token management needs a session or an ADMIN-scoped token and a child token
// never outlives its parent, and comments on a private draft stay private. (Limits: RATE_LIMITED, typed codes.)
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { createMemoryRateLimiter } from "@mmatlas/ratelimit";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let atlas: FixtureAtlas;
const servers: ApiServer[] = [];
const start = async (extra: Partial<Parameters<typeof startApiServer>[0]> = {}) => {
  const api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    log: () => {},
    rateLimit: false,
    ...extra,
  });
  servers.push(api);
  return api;
};
let api: ApiServer;
const session: Record<"alice" | "bob", string> = {} as never;

beforeAll(async () => {
  db = await createTestDatabase();
  atlas = await seedAtlas(db.prisma, 2);
  process.env.LOGIN_MAX_FAILURES = "3";
  try {
    api = await start();
  } finally {
    delete process.env.LOGIN_MAX_FAILURES;
  }
  for (const name of ["alice", "bob"] as const) {
    await gql(
      api.url,
      `mutation { register(input: { email: "${name}@example.org", password: "correct horse battery" }) { id } }`,
    );
    session[name] = (
      await gql(
        api.url,
        `mutation { login(input: { email: "${name}@example.org", password: "correct horse battery" }) { token } }`,
      )
    ).data.login.token;
  }
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.close();
});

/** POSTs `{ __typename }` with an X-Forwarded-For header; true when not refused by a rate limit. */
async function passes(url: string, forwardedFor: string): Promise<boolean> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  await res.text();
  return res.status !== 429;
}

describe("X-Forwarded-For behind one trusted proxy", () => {
  const config = {
    perIp: { limit: 5, windowMs: 60_000 },
    perToken: { limit: 0, windowMs: 60_000 },
    trustProxy: 1,
    exemptIps: ["127.0.0.1", "::1"],
  };

  it("rotating the client-supplied entries lets through only the per-IP limit", async () => {
    const limited = await start({ rateLimit: { limiter: createMemoryRateLimiter(), config } });
    let through = 0;
    // the proxy appended the peer it saw (203.0.113.9); the client wrote a fresh address in front each time
    for (let i = 0; i < 30; i++) if (await passes(limited.url, `198.51.100.${i}, 203.0.113.9`)) through++;
    expect(through).toBe(5);
  });

  it("a loopback address written into the header is not exempt", async () => {
    const limited = await start({ rateLimit: { limiter: createMemoryRateLimiter(), config } });
    let through = 0;
    for (let i = 0; i < 30; i++) if (await passes(limited.url, "127.0.0.1")) through++;
    expect(through).toBe(5);
  });
});

describe("sign-in and passwords", () => {
  it("refuses a common password at registration", async () => {
    const r = await gql(
      api.url,
      `mutation { register(input: { email: "weak@example.org", password: "password" }) { id } }`,
    );
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(/too common/);
  });

  it("throttles failed sign-ins per account: after 3 failures even the right password waits", async () => {
    await gql(
      api.url,
      `mutation { register(input: { email: "carol@example.org", password: "correct horse battery" }) { id } }`,
    );
    const attempt = (password: string) =>
      gql(api.url, `mutation($p: String!) { login(input: { email: "carol@example.org", password: $p }) { token } }`, {
        p: password,
      });
    for (let i = 0; i < 3; i++) expect(codeOf(await attempt(`wrong guess ${i}`))).toBe("UNAUTHENTICATED");
    const refused = await attempt("correct horse battery");
    expect(codeOf(refused)).toBe("RATE_LIMITED");
    expect(refused.errors?.[0]?.message).toMatch(/too many failed sign-ins/);
    // other accounts are unaffected, and their successes never count
    for (let i = 0; i < 5; i++)
      expect(
        (
          await gql(
            api.url,
            `mutation { login(input: { email: "bob@example.org", password: "correct horse battery" }) { token } }`,
          )
        ).data?.login.token,
      ).toBeTruthy();
  });
});

describe("API tokens", () => {
  const CREATE = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id expiresAt } } }`;

  it("a READ token can neither list nor revoke its owner's ADMIN token", async () => {
    const admin = (await gql(api.url, CREATE, { i: { name: "admin", scopes: ["ADMIN"] } }, session.alice)).data
      .createApiToken;
    const read = (await gql(api.url, CREATE, { i: { name: "read", scopes: ["READ"] } }, session.alice)).data
      .createApiToken;
    expect(codeOf(await gql(api.url, `{ myApiTokens { id } }`, undefined, read.secret))).toBe("FORBIDDEN");
    expect(
      codeOf(
        await gql(
          api.url,
          `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
          { id: admin.token.id },
          read.secret,
        ),
      ),
    ).toBe("FORBIDDEN");
    expect((await gql(api.url, `{ me { id } }`, undefined, admin.secret)).data.me).toBeTruthy();
    expect(
      (await gql(api.url, `{ myApiTokens { id } }`, undefined, admin.secret)).data.myApiTokens.length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("a token minted by an expiring token expires with it, and dies when the parent is revoked", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const parent = (await gql(api.url, CREATE, { i: { name: "parent", scopes: ["ADMIN"], expiresAt } }, session.alice))
      .data.createApiToken;
    const child = (await gql(api.url, CREATE, { i: { name: "child", scopes: ["READ"] } }, parent.secret)).data
      .createApiToken;
    expect(child.token.expiresAt).toBe(expiresAt);
    expect((await gql(api.url, `{ me { id } }`, undefined, child.secret)).data.me).toBeTruthy();
    await gql(api.url, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: parent.token.id }, session.alice);
    expect(codeOf(await gql(api.url, `{ me { id } }`, undefined, child.secret))).toBe("UNAUTHENTICATED");
  });
});

describe("comments on a private draft", () => {
  it("are hidden from anonymous callers and other users, and others cannot reply to them", async () => {
    const unitId = atlas.unitIds[0];
    const draft = (
      await gql(
        api.url,
        `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id status } }`,
        { i: { unitId, label: "private idea" } },
        session.alice,
      )
    ).data.createAnnotation;
    expect(draft.status).toBe("DRAFT");
    const note = (
      await gql(
        api.url,
        `mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`,
        { i: { unitId, annotationId: draft.id, body: "secret note" } },
        session.alice,
      )
    ).data.addComment;
    const comments = async (token?: string) =>
      (
        await gql(api.url, `query($id: ID!) { unit(id: $id) { comments { body } } }`, { id: unitId }, token)
      ).data.unit.comments.map((c: { body: string }) => c.body);
    expect(await comments()).not.toContain("secret note");
    expect(await comments(session.bob)).not.toContain("secret note");
    expect(await comments(session.alice)).toContain("secret note");
    const reply = await gql(
      api.url,
      `mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`,
      { i: { unitId, parentId: note.id, body: "found it" } },
      session.bob,
    );
    expect(codeOf(reply)).toBe("NOT_FOUND");
  });
});
