// API hardening over real HTTP and WebSocket: per-token and per-IP rate limits (429 + RATE_LIMITED with
// retryAfter), depth/cost/page-size limits, introspection switch, trusted documents, and malformed or
// oversized requests (huge body, bad JSON, bad variables, non-UTF-8) refused with clear errors while the
// server keeps answering.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { DEFAULT_QUERY_LIMITS } from "@mmatlas/query-guard";
import { createMemoryRateLimiter } from "@mmatlas/ratelimit";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, collect, gql, wsClient } from "./client";
import { seedAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
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
let token: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedAtlas(db.prisma, 4);
  api = await start();
  await gql(
    api.url,
    `mutation { register(input: { email: "a@example.org", password: "correct horse battery" }) { id } }`,
  );
  const login = await gql(
    api.url,
    `mutation { login(input: { email: "a@example.org", password: "correct horse battery" }) { token } }`,
  );
  token = login.data.login.token;
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.close();
});

const alive = async (url: string) => {
  const r = await gql(url, "{ models { name } }");
  expect(r.status).toBe(200);
  expect(r.data.models).toEqual([{ name: "fixture-model" }]);
};

describe("rate limits", () => {
  it("refuses the token's 4th request with 429 RATE_LIMITED, then the IP's 7th, over HTTP and WebSocket", async () => {
    const limited = await start({
      rateLimit: {
        limiter: createMemoryRateLimiter(),
        config: {
          perIp: { limit: 7, windowMs: 60_000 },
          perToken: { limit: 3, windowMs: 60_000 },
          trustProxy: false,
          exemptIps: [],
        },
      },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gql(limited.url, "{ me { email } }", undefined, token)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const res = await fetch(limited.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ me { email } }" }),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await res.json();
    expect(body.errors[0].extensions).toEqual({ code: "RATE_LIMITED", retryAfter, scope: "token" });
    expect(body.errors[0].message).toMatch(/rate limit exceeded/);

    // anonymous requests from the same IP still pass until the IP budget (7) is spent: requests 5 and 6
    expect((await gql(limited.url, "{ models { name } }")).status).toBe(200);
    expect((await gql(limited.url, "{ models { name } }")).status).toBe(200);
    // the 7th request on this IP is a subscribe message (7 ≤ 7 passes)
    const client = wsClient(limited.wsUrl);
    const sub = collect(client, `subscription($u: ID!) { annotationChanged(unitId: $u) { kind } }`, {
      u: (await db.prisma.unit.findFirstOrThrow()).id,
    });
    // the 8th (another subscribe message) is over the IP budget
    const sub2 = collect(client, `subscription($u: ID!) { annotationChanged(unitId: $u) { kind } }`, {
      u: (await db.prisma.unit.findFirstOrThrow()).id,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.failure).toBeUndefined();
    const failure = sub2.failure as { extensions?: { code?: string; retryAfter?: number } }[];
    expect(failure?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(failure?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    sub.unsubscribe();
    await client.dispose();
    const ipRefused = await gql(limited.url, "{ models { name } }");
    expect(ipRefused.status).toBe(429);
    expect(ipRefused.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", scope: "ip" });
    await alive(api.url); // the unlimited server is unaffected
  });
});

describe("query limits", () => {
  let deep = "id";
  for (let i = 0; i < 8; i++) deep = `annotations { unit { ${deep} } }`;

  it("refuses a too-deep query with QUERY_TOO_COMPLEX and the measured depth", async () => {
    const r = await gql(api.url, `{ units(first: 1) { edges { node { ${deep} } } } }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe("QUERY_TOO_COMPLEX");
    expect(r.errors![0].extensions).toMatchObject({ maxDepth: DEFAULT_QUERY_LIMITS.maxDepth });
    expect(r.errors![0].extensions!.depth as number).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxDepth);
    await alive(api.url);
  });

  it("refuses a too-costly query (nested connections) and a page over the maximum", async () => {
    const costly = await gql(
      api.url,
      `{ units(first: 100) { edges { node { annotations { unit { annotations { unit { topActivations { example { id } } } } } } } } } }`,
    );
    expect(codeOf(costly)).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors![0].extensions!.cost as number).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
    const big = await gql(api.url, `query($n: Int) { units(first: $n) { edges { cursor } } }`, { n: 5000 });
    expect(codeOf(big)).toBe("BAD_USER_INPUT");
    expect(big.errors![0].message).toMatch(/page size 5000/);
    await alive(api.url);
  });

  it("lets an ordinary page of 100 units with annotations through", async () => {
    const r = await gql(
      api.url,
      `{ units(first: 100) { edges { node { id annotations { label author { displayName } } topActivations { example { id } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.units.edges).toHaveLength(4);
  });

  it("applies the same limits to subscriptions over WebSocket", async () => {
    const client = wsClient(api.wsUrl);
    const sub = collect(
      client,
      `subscription($u: ID!) { annotationChanged(unitId: $u) { annotation { unit { ${deep} } } } }`,
      { u: "x" },
    );
    await new Promise((r) => setTimeout(r, 300));
    const failure = sub.failure as { extensions?: { code?: string } }[];
    expect(failure?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    await client.dispose();
  });

  it("answers introspection unless disabled, then refuses it with INTROSPECTION_DISABLED", async () => {
    expect((await gql(api.url, "{ __schema { queryType { name } } }")).data.__schema.queryType.name).toBe("Query");
    const closed = await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, introspection: false } });
    const r = await gql(closed.url, "{ __schema { queryType { name } } }");
    expect(codeOf(r)).toBe("INTROSPECTION_DISABLED");
    expect((await gql(closed.url, "{ __typename models { name } }")).data.models).toHaveLength(1);
  });

  it("runs only trusted documents when an allow-list is configured", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "trusted-"));
    const file = path.join(dir, "documents.json");
    writeFileSync(file, JSON.stringify({ models1: "query Models { models { name } }" }));
    const strict = await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, trustedDocumentsFile: file } });
    expect((await gql(strict.url, "query Models {\n  models { name }\n}")).data.models).toEqual([
      { name: "fixture-model" },
    ]);
    const byId = await fetch(strict.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ documentId: "models1" }),
    });
    expect((await byId.json()).data.models).toEqual([{ name: "fixture-model" }]);
    const other = await gql(strict.url, "{ units { edges { cursor } } }");
    expect(other.status).toBe(400);
    expect(codeOf(other)).toBe("DOCUMENT_NOT_TRUSTED");
  });
});

describe("malformed and oversized requests", () => {
  const post = (body: string | Buffer, type = "application/json") =>
    fetch(api.url, {
      method: "POST",
      headers: { "content-type": type },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });

  it("refuses a body over the limit with 413 PAYLOAD_TOO_LARGE", async () => {
    const huge = JSON.stringify({ query: `{ models { name } } # ${"x".repeat(4 * 1024 * 1024)}` }); // over the default limit (2.7 MiB: a 2 MiB probe image in base64)
    const r = await post(huge).catch((e: Error) => e);
    if (r instanceof Error) throw r;
    expect(r.status).toBe(413);
    expect((await r.json()).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    await alive(api.url);
  });

  it("refuses bad JSON, non-UTF-8, non-object variables, wrong variable types and unparsable queries", async () => {
    const badJson = await post('{ "query": ');
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).errors[0]).toMatchObject({
      message: "request body is not valid JSON",
      extensions: { code: "BAD_REQUEST" },
    });

    const nonUtf8 = await post(
      Buffer.concat([
        Buffer.from('{"query":"{ models { name } }","x":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}'),
      ]),
    );
    expect(nonUtf8.status).toBe(400);
    expect((await nonUtf8.json()).errors[0].message).toMatch(/UTF-8/);

    const badVars = await post(
      JSON.stringify({ query: "query($n: Int) { units(first: $n) { edges { cursor } } }", variables: "n=3" }),
    );
    expect(badVars.status).toBe(400);

    const wrongType = await gql(api.url, "query($n: Int) { units(first: $n) { edges { cursor } } }", { n: "three" });
    expect(codeOf(wrongType)).toBe("BAD_USER_INPUT");

    const unparsable = await gql(api.url, "{ units(first: ");
    expect(codeOf(unparsable)).toBe("GRAPHQL_PARSE_FAILED");
    await alive(api.url);
  });

  it("refuses an oversized WebSocket message by closing that socket only", async () => {
    const client = wsClient(api.wsUrl);
    const sub = collect(
      client,
      `subscription { annotationChanged(unitId: "${"u".repeat(4 * 1024 * 1024)}") { kind } }`,
      {},
    );
    for (let waited = 0; sub.failure === undefined && waited < 15_000; waited += 100)
      await new Promise((r) => setTimeout(r, 100)); // 4 MiB takes a while on a busy machine
    expect(sub.failure).toBeDefined();
    await client.dispose();
    await alive(api.url);
  });
});
