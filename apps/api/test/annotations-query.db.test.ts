// Programmatic access over HTTP with API tokens: the `annotations` query (filters, stable Relay cursors,
// updatedSince, others' drafts hidden), a watcher's annotationChanged subscription authenticated by token,
// and the security rules: a READ-only token cannot annotate, user A's token cannot edit B's draft or
// proposal, and SQL/HTML in labels is stored and returned verbatim.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, collect, gql, wsClient } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const session: Record<string, string> = {};
const token: Record<string, string> = {};
const userId: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);

const CREATE = `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id version status label updatedAt } }`;
const LIST = `query($f: AnnotationFilter, $first: Int, $after: String) {
  annotations(filter: $f, first: $first, after: $after) { totalCount edges { cursor node { id label status authorId unitId } } pageInfo { hasNextPage endCursor } } }`;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 6);
  for (const name of ["admin", "alice", "bob"]) {
    const reg = await q(`mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    userId[name] = reg.data.register.id;
    session[name] = (
      await q(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: `${name}@example.org`, password: "correct horse battery" },
      })
    ).data.login.token;
  }
  for (const name of ["alice", "bob"]) {
    await q(
      `mutation($u: ID!) { setUserRole(userId: $u, role: ANNOTATOR) { role } }`,
      { u: userId[name] },
      session.admin,
    );
    const t = await q(
      `mutation { createApiToken(input: { name: "script", scopes: [READ, ANNOTATE] }) { secret } }`,
      undefined,
      session[name],
    );
    token[name] = t.data.createApiToken.secret;
  }
  const readOnly = await q(
    `mutation { createApiToken(input: { name: "reader", scopes: [READ] }) { secret } }`,
    undefined,
    session.alice,
  );
  token.aliceRead = readOnly.data.createApiToken.secret;
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

describe("security", () => {
  it("refuses annotating with a token that lacks the ANNOTATE scope, and revoked/garbage tokens", async () => {
    const r = await q(CREATE, { i: { unitId: atlas.unitIds[0], label: "red things" } }, token.aliceRead);
    expect(codeOf(r)).toBe("FORBIDDEN");
    expect(r.errors![0].message).toMatch(/lacks the ANNOTATE scope/);
    expect((await q(`{ me { email } }`, undefined, token.aliceRead)).data.me.email).toBe("alice@example.org"); // reading is fine
    expect(await db.prisma.annotation.count()).toBe(0);
    const bogus = await q(`{ me { email } }`, undefined, "mma_notarealtoken");
    expect(bogus.status).toBe(401);
    expect(codeOf(bogus)).toBe("UNAUTHENTICATED");
  });

  it("does not let user A's token edit (or even see) B's draft, nor edit B's proposal", async () => {
    const draft = (await q(CREATE, { i: { unitId: atlas.unitIds[1], label: "bob's private idea" } }, token.bob)).data
      .createAnnotation;
    const edit = await q(
      `mutation($i: UpdateAnnotationInput!) { updateAnnotation(input: $i) { id label } }`,
      { i: { id: draft.id, version: draft.version, label: "hijacked" } },
      token.alice,
    );
    expect(codeOf(edit)).toBe("NOT_FOUND");
    const proposal = (
      await q(CREATE, { i: { unitId: atlas.unitIds[1], label: "bob's proposal", status: "PROPOSED" } }, token.bob)
    ).data.createAnnotation;
    const edit2 = await q(
      `mutation($i: UpdateAnnotationInput!) { updateAnnotation(input: $i) { id label } }`,
      { i: { id: proposal.id, version: proposal.version, label: "hijacked" } },
      token.alice,
    );
    expect(codeOf(edit2)).toBe("FORBIDDEN");
    const stored = await db.prisma.annotation.findMany({
      where: { authorId: userId.bob },
      orderBy: { createdAt: "asc" },
    });
    expect(stored.map((a) => a.label)).toEqual(["bob's private idea", "bob's proposal"]);
  });

  it("stores SQL and HTML in labels verbatim and returns them as data", async () => {
    const nasty = [`<img src=x onerror=window.__xss=1>`, `'); DROP TABLE "Unit";--`];
    for (const label of nasty) {
      const r = await q(CREATE, { i: { unitId: atlas.unitIds[2], label, status: "PROPOSED" } }, token.alice);
      expect(r.errors).toBeUndefined();
      expect(r.data.createAnnotation.label).toBe(label);
    }
    expect(await db.prisma.unit.count()).toBe(6); // the table is still there
    const found = await q(LIST, { f: { labelContains: "DROP TABLE" } }, token.alice);
    expect(found.data.annotations.edges.map((e: any) => e.node.label)).toEqual([nasty[1]]);
    const unit = await q(`query($id: ID!) { unit(id: $id) { annotations { label } } }`, { id: atlas.unitIds[2] });
    expect(unit.data.unit.annotations.map((a: any) => a.label).sort()).toEqual([...nasty].sort());
  });
});

describe("annotations query", () => {
  it("filters by author, status, unit kind, hook, model and label text; hides others' drafts", async () => {
    const all = await q(LIST, { first: 100 }, token.alice);
    const labels = all.data.annotations.edges.map((e: any) => e.node.label);
    expect(labels).not.toContain("bob's private idea");
    expect(all.data.annotations.totalCount).toBe(labels.length);
    expect((await q(LIST, { first: 100 }, token.bob)).data.annotations.totalCount).toBe(labels.length + 1); // bob sees his draft

    const byBob = await q(LIST, { f: { authorId: userId.bob } }, token.alice);
    expect(byBob.data.annotations.edges.map((e: any) => e.node.label)).toEqual(["bob's proposal"]);
    const proposed = await q(LIST, { f: { status: "PROPOSED", labelContains: "PROPOSAL" } }, token.alice);
    expect(proposed.data.annotations.totalCount).toBe(1);
    // units with odd index are SAE features in the fixture; unitIds[1] (bob's) is one, unitIds[2] (alice's) is a neuron
    const sae = await q(LIST, { f: { unitKind: "SAE_FEATURE" } }, token.alice);
    expect(sae.data.annotations.edges.map((e: any) => e.node.unitId)).toEqual([atlas.unitIds[1]]);
    const hook = await q(
      LIST,
      { f: { hookName: "vision.blocks.0.mlp.hook_post", modelId: atlas.modelId } },
      token.alice,
    );
    expect(hook.data.annotations.totalCount).toBe(labels.length);
    expect((await q(LIST, { f: { hookName: "no.such.hook" } }, token.alice)).data.annotations.totalCount).toBe(0);
    expect(codeOf(await q(LIST, { f: { labelContains: "x".repeat(201) } }))).toBe("BAD_USER_INPUT");
  });

  it("pages with stable cursors, and updatedSince / after return only later changes", async () => {
    const pages: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await q(LIST, { first: 1, after }, token.alice);
      pages.push(...r.data.annotations.edges.map((e: any) => e.node.id));
      if (!r.data.annotations.pageInfo.hasNextPage) {
        after = r.data.annotations.pageInfo.endCursor;
        break;
      }
      after = r.data.annotations.pageInfo.endCursor;
    }
    const all = (await q(LIST, { first: 100 }, token.alice)).data.annotations.edges.map((e: any) => e.node.id);
    expect(pages).toEqual(all);
    expect(new Set(pages).size).toBe(pages.length);
    // a later change appears after the last cursor, and nothing else does
    const later = (
      await q(CREATE, { i: { unitId: atlas.unitIds[3], label: "later", status: "PROPOSED" } }, token.alice)
    ).data.createAnnotation;
    const resumed = await q(LIST, { after }, token.alice);
    expect(resumed.data.annotations.edges.map((e: any) => e.node.id)).toEqual([later.id]);
    const since = await q(LIST, { f: { updatedSince: later.updatedAt } }, token.alice);
    expect(since.data.annotations.edges.map((e: any) => e.node.id)).toEqual([later.id]);
    expect(codeOf(await q(LIST, { after: "bm90LWEtY3Vyc29y" }))).toBe("BAD_USER_INPUT");
  });

  it("delivers annotationChanged to a watcher authenticated with an API token", async () => {
    const client = wsClient(api.wsUrl, token.bob);
    const sub = collect(
      client,
      `subscription($u: ID!) { annotationChanged(unitId: $u) { kind annotation { label } actor { displayName } } }`,
      { u: atlas.unitIds[4] },
    );
    await new Promise((r) => setTimeout(r, 200));
    await q(CREATE, { i: { unitId: atlas.unitIds[4], label: "watched", status: "PROPOSED" } }, token.alice);
    const event = await sub.next();
    expect(event.data.annotationChanged).toEqual({
      kind: "CREATED",
      annotation: { label: "watched" },
      actor: { displayName: "alice" },
    });
    sub.unsubscribe();
    await client.dispose();
  });
});
