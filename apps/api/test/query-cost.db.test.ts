// The query cost attacks of issue 15 over real HTTP and graphql-ws: exponential fragment fan-out (refused
// fast, a concurrent simple query is not held up), alias floods on priced fields (probe, topActivations with
// imageDataUrl), introspection floods, the response size cap, garbage persisted-query extensions (typed
// error, nothing logged) and "Did you mean" suggestions (hidden in production and with introspection off).
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { DEFAULT_QUERY_LIMITS } from "@mmatlas/query-guard";
import type { Client } from "graphql-ws";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, wsClient } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let atlas: FixtureAtlas;
const servers: ApiServer[] = [];
const clients: Client[] = [];
const logged: string[] = [];
const start = async (extra: Partial<Parameters<typeof startApiServer>[0]> = {}) => {
  const api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    log: (m, e) => logged.push(`${m}: ${String(e)}`),
    rateLimit: false,
    ...extra,
  });
  servers.push(api);
  return api;
};
let api: ApiServer;

beforeAll(async () => {
  db = await createTestDatabase();
  atlas = await seedAtlas(db.prisma, 2);
  api = await start();
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  for (const s of servers) await s.close();
  await db?.close();
});

const fanOut = (levels: number) => {
  const parts = ["fragment F0 on Query { __typename }"];
  for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `query { ...F${levels} } ${parts.join(" ")}`;
};
const aliases = (n: number, body: (i: number) => string) =>
  `query { ${Array.from({ length: n }, (_, i) => body(i)).join(" ")} }`;
const timed = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
};

/** The first message of a graphql-ws subscription: its errors (an `error` message) or its first result. */
function wsFirst(
  client: Client,
  query: string,
): Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown }> {
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query },
      {
        next: (v) => {
          stop();
          resolve(v as never);
        },
        error: (e) => resolve({ errors: Array.isArray(e) ? e : [{ message: String(e) }] }),
        complete: () => {},
      },
    );
  });
}

describe("fragment fan-out", () => {
  it("refuses 22- and 30-level fan-out over HTTP with QUERY_TOO_COMPLEX, quickly", async () => {
    for (const levels of [22, 30]) {
      const { value: r, ms } = await timed(() => gql(api.url, fanOut(levels)));
      expect(r.status).toBe(400);
      expect(codeOf(r)).toBe("QUERY_TOO_COMPLEX");
      expect(r.errors![0].extensions).toMatchObject({ fields: 2 ** levels, maxFields: DEFAULT_QUERY_LIMITS.maxFields });
      expect(ms).toBeLessThan(5_000); // the old walk: 21 s for 22 levels, hours for 30
    }
  });

  it("does not hold up a concurrent simple query", async () => {
    const simple = () => timed(() => gql(api.url, "{ models { name } }"));
    const baseline = Math.max(...(await Promise.all([simple(), simple(), simple()])).map((t) => t.ms));
    const [attacks, during] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => gql(api.url, fanOut(30)))),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        return simple();
      })(),
    ]);
    expect(attacks.map(codeOf)).toEqual(Array(5).fill("QUERY_TOO_COMPLEX"));
    expect(during.value.data.models).toEqual([{ name: "fixture-model" }]);
    expect(during.ms).toBeLessThan(Math.max(2_000, 20 * baseline));
  });

  it("refuses the same over graphql-ws subscribe, and the socket keeps serving", async () => {
    const client = wsClient(api.wsUrl);
    clients.push(client);
    for (const levels of [22, 30]) {
      const { value: r, ms } = await timed(() => wsFirst(client, fanOut(levels)));
      expect(r.errors![0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", fields: 2 ** levels });
      expect(ms).toBeLessThan(5_000);
    }
    expect((await wsFirst(client, "{ models { name } }")).data).toEqual({ models: [{ name: "fixture-model" }] });
  });
});

describe("alias floods on priced fields", () => {
  it("caps probe calls per request", async () => {
    const probes = (n: number) =>
      aliases(
        n,
        (i) => `p${i}: probe(input: { modelId: "m", text: "a red circle ${i}", hookPointId: "h" }) { latencyMs }`,
      );
    const flood = await gql(api.url, probes(2000));
    expect(flood.status).toBe(400);
    expect(flood.errors![0].extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      field: "Query.probe",
      count: 2000,
      maxPerRequest: 4,
    });
    // within the cap the probe runs (and fails on its unknown model, not on the guard)
    expect(codeOf(await gql(api.url, probes(4)))).toBe("NOT_FOUND");
  });

  it("prices topActivations by its limit and imageDataUrl as an image payload", async () => {
    const unit = atlas.unitIds[0];
    const images = (n: number) =>
      aliases(n, (i) => `t${i}: unit(id: "${unit}") { topActivations(limit: 100) { example { imageDataUrl } } }`);
    const flood = await gql(api.url, images(400));
    expect(flood.status).toBe(400);
    // 400 × (unit 1 + topActivations 1 + 100 × (example 1 + imageDataUrl 10))
    expect(flood.errors![0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 400 * 1102 });
    expect(flood.raw.length).toBeLessThan(1_000);
    expect(codeOf(await gql(api.url, images(900)))).toBe("QUERY_TOO_COMPLEX");
    const one = await gql(api.url, images(1));
    expect(one.errors).toBeUndefined();
    expect(one.data.t0.topActivations.length).toBeGreaterThan(0);
  });
});

describe("introspection", () => {
  it("costs, and at most one __schema per request (default npm start: NODE_ENV unset, introspection on)", async () => {
    const single = await gql(api.url, "{ __schema { queryType { name } } }");
    expect(single.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    const flood = await gql(
      api.url,
      aliases(1500, (i) => `s${i}: __schema { types { name fields { name } } }`),
    );
    expect(flood.status).toBe(400);
    expect(flood.errors![0].extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      field: "__schema",
      count: 1500,
      maxPerRequest: 1,
    });
    const types = await gql(
      api.url,
      aliases(50, (i) => `t${i}: __type(name: "Unit") { fields { name } }`),
    );
    expect(types.errors![0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", field: "__type", count: 50 });
  });
});

describe("response size cap", () => {
  it("answers RESPONSE_TOO_LARGE instead of a body over GRAPHQL_MAX_RESPONSE_BYTES, over HTTP and WebSocket", async () => {
    const small = await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxResponseBytes: 2_000 } });
    const query = "{ __schema { types { name description } } }";
    const r = await gql(small.url, query);
    expect(r.raw.length).toBeLessThan(2_000);
    expect(codeOf(r)).toBe("RESPONSE_TOO_LARGE");
    expect(r.errors![0].extensions).toMatchObject({ maxBytes: 2_000 });
    expect((await gql(small.url, "{ models { name } }")).data).toEqual({ models: [{ name: "fixture-model" }] });
    const client = wsClient(small.wsUrl);
    clients.push(client);
    const ws = await wsFirst(client, query);
    expect(ws.errors![0].extensions).toMatchObject({ code: "RESPONSE_TOO_LARGE", maxBytes: 2_000 });
  });
});

describe("persisted queries", () => {
  it("answers garbage persistedQuery extensions with PERSISTED_QUERY_NOT_SUPPORTED and logs nothing", async () => {
    logged.length = 0;
    const garbage: unknown[] = [
      { persistedQuery: { version: 99, sha256Hash: "abc" } },
      { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
      { persistedQuery: "a string" },
    ];
    for (const extensions of garbage) {
      for (const query of [undefined, "{ models { name } }"]) {
        const res = await fetch(api.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query, extensions }),
        });
        const body = await res.json();
        expect(res.status).toBe(200); // the APQ protocol's answer: a client falls back to sending the query
        expect(body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_SUPPORTED");
      }
    }
    expect(logged).toEqual([]);
  });
});

describe("field suggestions", () => {
  const typo = "{ modelz { name } }";
  it("are given in development, hidden with introspection off and with NODE_ENV=production (HTTP and WebSocket)", async () => {
    expect((await gql(api.url, typo)).errors![0].message).toMatch(/Did you mean/);
    const closed = await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, introspection: false } });
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    let production: ApiServer;
    try {
      production = await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, introspection: true } });
    } finally {
      process.env.NODE_ENV = env;
    }
    for (const server of [closed, production]) {
      const r = await gql(server.url, typo);
      expect(codeOf(r)).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(r.errors![0].message).toBe('Cannot query field "modelz" on type "Query".');
      const client = wsClient(server.wsUrl);
      clients.push(client);
      const ws = await wsFirst(client, typo);
      expect(ws.errors![0].message).toBe('Cannot query field "modelz" on type "Query".');
    }
  });
});
