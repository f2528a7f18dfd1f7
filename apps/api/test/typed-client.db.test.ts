// The documented TypeScript client (tools/api-client: graphql-codegen typed documents) against the real
// API: typed pages of units and annotations, a typed mutation, and ApiError codes.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { AnnotationsPage, ProposeLabel, UnitsPage } from "../../../tools/api-client/src/documents";
import { ApiError, request } from "../../../tools/api-client/src/request";
import { startApiServer, type ApiServer } from "../src/server";
import { gql } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);
let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 3);
  await gql(
    api.url,
    `mutation { register(input: { email: "t@example.org", password: "correct horse battery" }) { id } }`,
  );
  const session = (
    await gql(
      api.url,
      `mutation { login(input: { email: "t@example.org", password: "correct horse battery" }) { token } }`,
    )
  ).data.login.token;
  token = (
    await gql(
      api.url,
      `mutation { createApiToken(input: { name: "typed", scopes: [ANNOTATE] }) { secret } }`,
      undefined,
      session,
    )
  ).data.createApiToken.secret;
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});

it("runs the typed documents: a mutation, then pages of annotations and units", async () => {
  const created = await request(
    api.url,
    ProposeLabel,
    { input: { unitId: atlas.unitIds[0], label: "typed label", status: "PROPOSED" } },
    token,
  );
  expect(created.createAnnotation).toMatchObject({ label: "typed label", status: "PROPOSED", version: 1 });
  const page = await request(
    api.url,
    AnnotationsPage,
    { filter: { status: "PROPOSED" }, first: 10, after: null },
    token,
  );
  expect(page.annotations.totalCount).toBe(1);
  expect(page.annotations.edges[0].node.unit.slug).toBe(atlas.slugs[0]);
  const units = await request(api.url, UnitsPage, { first: 2 });
  expect(units.units.totalCount).toBe(3);
  expect(units.units.pageInfo.hasNextPage).toBe(true);
});

it("turns GraphQL errors into ApiError with the code", async () => {
  const e = await request(api.url, ProposeLabel, { input: { unitId: atlas.unitIds[0], label: "x" } }).catch(
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).code).toBe("UNAUTHENTICATED");
});
