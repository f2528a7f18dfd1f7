// The GraphQL API end to end over real HTTP and WebSocket against a fresh database: auth, roles and
// tokens, the annotation workflow, live subscriptions, typed errors without stack traces, and the
// bounded number of SQL queries for a page of 50 units with annotations.
import { createQueryCounter, createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import WebSocket from "ws";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, collect, gql, rawResponses, wsClient } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(180_000);

const counter = createQueryCounter();
const logged: string[] = [];
let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const tokens: Record<"admin" | "alice" | "bob" | "viewer" | "reviewer", string> = {} as never;
const ids: Record<string, string> = {};

const q = (query: string, variables?: Record<string, unknown>, token?: string) => gql(api.url, query, variables, token);

beforeAll(async () => {
  db = await createTestDatabase({ logQueries: counter.log });
  // no debounced label rescoring: "SQL query count" counts every statement of the process, and a rescore of an
  // earlier test's edit would land in its window (rescoring is tested in label-scores.db.test.ts)
  api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    labelRescoreDelayMs: 0,
    log: (m, e) => logged.push(`${m}: ${String(e)}`),
  });
  atlas = await seedAtlas(db.prisma, 50);
  for (const name of ["admin", "alice", "bob", "viewer", "reviewer"] as const) {
    const reg = await q(`mutation($i: RegisterInput!) { register(input: $i) { id role } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    expect(reg.errors).toBeUndefined();
    ids[name] = reg.data.register.id;
    const login = await q(`mutation($i: LoginInput!) { login(input: $i) { token user { id } } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery" },
    });
    tokens[name] = login.data.login.token;
  }
  for (const [name, role] of [
    ["viewer", "VIEWER"],
    ["reviewer", "REVIEWER"],
  ] as const) {
    const r = await q(
      `mutation($u: ID!, $r: Role!) { setUserRole(userId: $u, role: $r) { role } }`,
      { u: ids[name], r: role },
      tokens.admin,
    );
    expect(r.data.setUserRole.role).toBe(role);
  }
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

afterAll(() => {
  // no response in this suite may carry a stack trace or internal file paths
  for (const raw of rawResponses) {
    expect(raw).not.toMatch(/stacktrace|\n\s+at |\.ts:\d+/);
  }
});

const CREATE = `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id version status label author { displayName } } }`;
const UPDATE = `mutation($i: UpdateAnnotationInput!) { updateAnnotation(input: $i) { id version status label revisions { version status editor { displayName } } } }`;

it("reports who is signed in, and the first user is ADMIN", async () => {
  const me = await q(`{ me { displayName role email } }`, undefined, tokens.admin);
  expect(me.data.me).toEqual({ displayName: "admin", role: "ADMIN", email: "admin@example.org" });
  expect((await q(`{ me { id } }`)).data.me).toBeNull();
});

it("delivers user A's changes to user B's annotationChanged subscription", async () => {
  const unitId = atlas.unitIds[0];
  const client = wsClient(api.wsUrl, tokens.bob);
  try {
    const sub = collect(
      client,
      `subscription($u: ID!) { annotationChanged(unitId: $u) { kind unitId actor { displayName } annotation { label status author { displayName } } comment { body } } }`,
      { u: unitId },
    );
    // the subscription is registered asynchronously: alice comments until bob sees one, proving it is live
    let first: any;
    for (let attempt = 0; !first && attempt < 50; attempt++) {
      const c = await q(
        `mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`,
        { i: { unitId, body: `hello ${attempt}` } },
        tokens.alice,
      );
      expect(c.errors).toBeUndefined();
      first = await sub.next(200).catch(() => undefined);
    }
    expect(sub.failure).toBeUndefined();
    expect(first.data.annotationChanged).toMatchObject({
      kind: "COMMENTED",
      unitId,
      actor: { displayName: "alice" },
      comment: { body: expect.stringMatching(/^hello \d+$/) },
    });
    while (await sub.next(300).catch(() => undefined)); // drain comments still in flight

    const created = await q(CREATE, { i: { unitId, label: "red things", status: "PROPOSED" } }, tokens.alice);
    expect(created.errors).toBeUndefined();
    const event = await sub.next();
    expect(event.data.annotationChanged).toEqual({
      kind: "CREATED",
      unitId,
      actor: { displayName: "alice" },
      comment: null,
      annotation: { label: "red things", status: "PROPOSED", author: { displayName: "alice" } },
    });

    // alice's drafts are private: bob gets no event for them, but does for the next public change
    await q(CREATE, { i: { unitId, label: "secret draft", status: "DRAFT" } }, tokens.alice);
    await q(UPDATE, { i: { id: created.data.createAnnotation.id, version: 1, label: "red shapes" } }, tokens.alice);
    const next = await sub.next();
    expect(next.data.annotationChanged).toMatchObject({ kind: "UPDATED", annotation: { label: "red shapes" } });
    sub.unsubscribe();
  } finally {
    await client.dispose();
  }
});

it("lets only reviewers accept: an ANNOTATOR cannot, a REVIEWER can (revision written, unit labeled)", async () => {
  const unitId = atlas.unitIds[1];
  const created = (await q(CREATE, { i: { unitId, label: "blue square", status: "PROPOSED" } }, tokens.alice)).data
    .createAnnotation;
  for (const who of ["alice", "bob"] as const) {
    const r = await q(UPDATE, { i: { id: created.id, version: created.version, status: "ACCEPTED" } }, tokens[who]);
    expect(codeOf(r)).toBe("FORBIDDEN");
    expect(r.data).toBeNull();
  }
  const accepted = await q(
    UPDATE,
    { i: { id: created.id, version: created.version, status: "ACCEPTED" } },
    tokens.reviewer,
  );
  expect(accepted.errors).toBeUndefined();
  expect(accepted.data.updateAnnotation).toMatchObject({
    status: "ACCEPTED",
    version: 2,
    revisions: [{ version: 2, status: "ACCEPTED", editor: { displayName: "reviewer" } }],
  });
  const unit = await q(`query($id: ID!) { unit(id: $id) { labelState currentLabel } }`, { id: unitId });
  expect(unit.data.unit).toEqual({ labelState: "LABELED", currentLabel: "blue square" });

  const stale = await q(UPDATE, { i: { id: created.id, version: 1, label: "late edit" } }, tokens.alice);
  expect(stale.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });

  await q(CREATE, { i: { unitId, label: "green", status: "PROPOSED" } }, tokens.bob);
  const disputed = await q(`query($id: ID!) { unit(id: $id) { labelState currentLabel } }`, { id: atlas.slugs[1] });
  expect(disputed.data.unit).toEqual({ labelState: "DISPUTED", currentLabel: "blue square" });
});

it("refuses every write from a VIEWER while reads work", async () => {
  const unitId = atlas.unitIds[2];
  const bobs = (await q(CREATE, { i: { unitId, label: "cross", status: "PROPOSED" } }, tokens.bob)).data
    .createAnnotation;
  expect(codeOf(await q(CREATE, { i: { unitId, label: "nope" } }, tokens.viewer))).toBe("FORBIDDEN");
  expect(
    codeOf(
      await q(`mutation($a: ID!) { vote(annotationId: $a, value: 1) { voteScore } }`, { a: bobs.id }, tokens.viewer),
    ),
  ).toBe("FORBIDDEN");
  expect(
    codeOf(
      await q(
        `mutation($i: AddCommentInput!) { addComment(input: $i) { id } }`,
        { i: { unitId, body: "hi" } },
        tokens.viewer,
      ),
    ),
  ).toBe("FORBIDDEN");
  expect(codeOf(await q(UPDATE, { i: { id: bobs.id, version: 1, label: "x" } }, tokens.viewer))).toBe("FORBIDDEN");
  expect(codeOf(await q(CREATE, { i: { unitId, label: "anonymous" } }))).toBe("UNAUTHENTICATED");
  const read = await q(`query($id: ID!) { unit(id: $id) { annotations { label } } }`, { id: unitId }, tokens.viewer);
  expect(read.data.unit.annotations).toEqual([{ label: "cross" }]);
  expect(await db.prisma.annotation.count({ where: { unitId } })).toBe(1);
});

it("toggles votes, one per user", async () => {
  const unitId = atlas.unitIds[3];
  const a = (await q(CREATE, { i: { unitId, label: "stripes", status: "PROPOSED" } }, tokens.alice)).data
    .createAnnotation;
  const VOTE = `mutation($a: ID!, $v: Int!) { vote(annotationId: $a, value: $v) { voteScore myVote } }`;
  expect((await q(VOTE, { a: a.id, v: 1 }, tokens.bob)).data.vote).toEqual({ voteScore: 1, myVote: 1 });
  expect((await q(VOTE, { a: a.id, v: 1 }, tokens.reviewer)).data.vote).toEqual({ voteScore: 2, myVote: 1 });
  expect((await q(VOTE, { a: a.id, v: -1 }, tokens.bob)).data.vote).toEqual({ voteScore: 0, myVote: -1 });
  expect((await q(VOTE, { a: a.id, v: -1 }, tokens.bob)).data.vote).toEqual({ voteScore: 1, myVote: 0 });
  expect(codeOf(await q(VOTE, { a: a.id, v: 2 }, tokens.bob))).toBe("BAD_USER_INPUT");
  expect(codeOf(await q(VOTE, { a: a.id, v: 1 }, tokens.alice))).toBe("BAD_USER_INPUT");
  expect(await db.prisma.vote.count({ where: { annotationId: a.id } })).toBe(1);
});

it("issues API tokens limited by scope, and refuses revoked ones over HTTP and WebSocket", async () => {
  const created = await q(
    `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id scopes prefix } } }`,
    { i: { name: "script", scopes: ["READ"] } },
    tokens.alice,
  );
  const { secret, token } = created.data.createApiToken;
  expect(token.scopes).toEqual(["READ"]);
  expect(secret).toContain(token.prefix);
  expect((await q(`{ me { displayName } }`, undefined, secret)).data.me.displayName).toBe("alice");
  expect(codeOf(await q(CREATE, { i: { unitId: atlas.unitIds[4], label: "x" } }, secret))).toBe("FORBIDDEN");

  const revoked = await q(
    `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
    { id: token.id },
    tokens.alice,
  );
  expect(revoked.data.revokeApiToken.revokedAt).toEqual(expect.any(String));
  const refused = await q(`{ me { displayName } }`, undefined, secret);
  expect(refused.status).toBe(401);
  expect(codeOf(refused)).toBe("UNAUTHENTICATED");
  expect(refused.data).toBeUndefined();

  const closeCode = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(api.wsUrl, "graphql-transport-ws");
    ws.on("open", () =>
      ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${secret}` } })),
    );
    ws.on("close", (code) => resolve(code));
    ws.on("error", reject);
  });
  expect(closeCode).toBe(4403);

  expect(codeOf(await q(`{ me { id } }`, undefined, "mma_not-a-real-token"))).toBe("UNAUTHENTICATED");
  const out = await q(`mutation { logout }`, undefined, tokens.reviewer);
  expect(out.data.logout).toBe(true);
  expect(codeOf(await q(`{ me { id } }`, undefined, tokens.reviewer))).toBe("UNAUTHENTICATED");
  tokens.reviewer = (
    await q(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { email: "reviewer@example.org", password: "correct horse battery" },
    })
  ).data.login.token;
});

it("answers NOT_FOUND for unknown ids", async () => {
  for (const [query, vars] of [
    [`query($id: ID!) { unit(id: $id) { id } }`, { id: "no-such-unit" }],
    [`query($id: ID!) { model(id: $id) { id } }`, { id: "no-such-model" }],
    [`query($id: ID!) { annotation(id: $id) { id } }`, { id: "no-such-annotation" }],
    [`query($id: ID!) { dataset(id: $id) { id } }`, { id: "no-such-dataset" }],
  ] as const) {
    const r = await q(query, vars);
    expect(codeOf(r)).toBe("NOT_FOUND");
    expect(r.errors![0].message).toContain(vars.id);
  }
  expect(codeOf(await q(CREATE, { i: { unitId: "no-such-unit", label: "x" } }, tokens.alice))).toBe("NOT_FOUND");
  expect(codeOf(await q(UPDATE, { i: { id: "no-such-annotation", version: 1, label: "x" } }, tokens.alice))).toBe(
    "NOT_FOUND",
  );
  expect(codeOf(await q(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: "nope" }, tokens.alice))).toBe(
    "NOT_FOUND",
  );
});

it("returns typed errors for malformed requests and bad input, and keeps serving", async () => {
  expect(codeOf(await q(`{ models { id `))).toBe("GRAPHQL_PARSE_FAILED");
  expect(codeOf(await q(`{ models { noSuchField } }`))).toBe("GRAPHQL_VALIDATION_FAILED");
  expect(codeOf(await q(`query($f: Int) { units(first: $f) { pageInfo { hasNextPage } } }`, { f: "ten" }))).toBe(
    "BAD_USER_INPUT",
  );
  expect(codeOf(await q(`{ units(first: 1000) { pageInfo { hasNextPage } } }`))).toBe("BAD_USER_INPUT");
  expect(codeOf(await q(`{ units(after: "garbage!") { pageInfo { hasNextPage } } }`))).toBe("BAD_USER_INPUT");
  const bad = await q(CREATE, { i: { unitId: atlas.unitIds[5], label: "   " } }, tokens.alice);
  expect(bad.errors![0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "label" });
  expect(
    codeOf(
      await q(`mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
        i: { email: "alice@example.org", password: "whatever long pw" },
      }),
    ),
  ).toBe("CONFLICT");

  const csrf = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ query: "{ models { id } }" }),
  });
  expect(csrf.status).toBe(400);
  const huge = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ models { id } }`, pad: "x".repeat(4 * 1024 * 1024) }),
  }).catch(() => null);
  expect(huge?.status).toBe(413);
  const notJson = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{ not json",
  });
  expect(notJson.status).toBe(400);

  const still = await q(`{ models { name } }`);
  expect(still.data.models).toEqual([{ name: "fixture-model" }]);
  // GraphQL answers are never cached (GET included)
  const viaGet = await fetch(`${api.url}?query=${encodeURIComponent("{ models { name } }")}`, {
    headers: { "apollo-require-preflight": "1" },
  });
  expect(viaGet.status).toBe(200);
  expect(viaGet.headers.get("cache-control")).toBe("no-store");
});

it("hides unexpected failures behind INTERNAL_SERVER_ERROR (logged server-side) and stays up", async () => {
  const broken = await createTestDatabase();
  await broken.close(); // every query on this client now fails inside the driver
  const logs: string[] = [];
  const api2 = await startApiServer({ port: 0, prisma: broken.prisma, log: (m, e) => logs.push(`${m} ${String(e)}`) });
  try {
    for (let i = 0; i < 2; i++) {
      const r = await gql(api2.url, `{ models { id } }`);
      expect(r.errors).toEqual([
        {
          message: "internal server error",
          path: ["models"],
          locations: [{ line: 1, column: 3 }],
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ]);
    }
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect((await fetch(api2.url.replace("/graphql", "/health"))).status).toBe(200);
  } finally {
    await api2.close();
  }
});

it("paginates units with a filter and stable cursors", async () => {
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const r: any = await q(
      `query($a: String) { units(first: 7, after: $a, filter: { kind: NEURON }) { totalCount edges { node { id kind index } } pageInfo { hasNextPage endCursor } } }`,
      { a: after },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.units.totalCount).toBe(25);
    for (const e of r.data.units.edges) {
      expect(e.node.kind).toBe("NEURON");
      seen.push(e.node.id);
    }
    if (!r.data.units.pageInfo.hasNextPage) break;
    after = r.data.units.pageInfo.endCursor;
  }
  expect(new Set(seen).size).toBe(25);
  const search = await q(`{ units(first: 50, filter: { search: "BLUE SQ" }) { edges { node { id currentLabel } } } }`);
  expect(search.data.units.edges.map((e: any) => e.node.id)).toEqual([atlas.unitIds[1]]);
});

describe("SQL query count", () => {
  const PAGE = `query($n: Int!) { units(first: $n, filter: { modelId: "${"MODEL"}" }) {
    edges { cursor node { id slug kind model { name } hookPoint { name model { name } } dictionary { name hookPoint { name } }
      stats { maxActivation histogram { counts } } autoLabels { label }
      topActivations(limit: 3) { maxValue values example { id modality text tags } }
      annotations { label status voteScore myVote author { displayName } comments { body author { displayName } } revisions { version editor { displayName } } }
      comments { body author { displayName } } } }
    pageInfo { hasNextPage endCursor } } }`;

  beforeAll(async () => {
    // every unit gets two proposals, a vote and a comment on one of them
    for (const unitId of atlas.unitIds) {
      const a = await db.prisma.annotation.create({
        data: { unitId, authorId: ids.alice, label: `a ${unitId}`, status: "PROPOSED" },
      });
      await db.prisma.annotation.create({
        data: { unitId, authorId: ids.bob, label: `b ${unitId}`, status: "PROPOSED" },
      });
      await db.prisma.vote.create({ data: { annotationId: a.id, userId: ids.bob, value: 1 } });
      await db.prisma.comment.create({ data: { unitId, annotationId: a.id, authorId: ids.bob, body: "agree" } });
    }
  });

  async function countFor(n: number) {
    const query = PAGE.replace("MODEL", atlas.modelId);
    await q(query, { n }, tokens.bob); // warm-up: session lastUsedAt write happens at most once a minute
    counter.reset();
    const r = await q(query, { n }, tokens.bob);
    expect(r.errors).toBeUndefined();
    expect(r.data.units.edges).toHaveLength(n);
    if (process.env.DUMP_SQL) console.log(n, counter.queries.map((s) => s.slice(0, 90)).join("\n"));
    return { count: counter.count, r };
  }

  it("is bounded for a page of 50 units with annotations, votes, comments and authors", async () => {
    const small = await countFor(5);
    const full = await countFor(50);
    const node = full.r.data.units.edges.find((e: any) => e.node.id === atlas.unitIds[20]).node;
    expect(node.annotations).toHaveLength(2);
    expect(node.annotations.find((a: any) => a.author.displayName === "alice")).toMatchObject({
      voteScore: 0,
      myVote: 1,
      comments: [{ body: "agree", author: { displayName: "bob" } }],
    });
    expect(node.topActivations).toHaveLength(3);
    // about one query per relation kind, whatever the page size: 45 more units cost (almost) nothing more.
    // (the exact number varies by ±1-2 with how DataLoader batches of users at different depths coalesce)
    expect(full.count).toBeLessThanOrEqual(16);
    expect(Math.abs(full.count - small.count)).toBeLessThanOrEqual(2);
    console.log(`SQL queries for a page of 50 units with annotations: ${full.count}`);
  });
});
