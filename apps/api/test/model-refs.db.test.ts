// A model (and a dataset) may be named by name or by id wherever the API takes one: units and annotations
// filters, the labeling queue, label agreement, model(id), startAtlasBuild (which stores the ids). Name and id
// give the same answers; an unknown name is NOT_FOUND rather than an empty list.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
let datasetId: string;
const session: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);
const MODEL = "fixture-model"; // seedAtlas's model name
const DATASET = "fixture-captions"; // and its dataset's

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 6);
  datasetId = (await db.prisma.dataset.findUniqueOrThrow({ where: { name: DATASET } })).id;
  const userId: Record<string, string> = {};
  for (const name of ["admin", "alice", "bob", "carol"]) {
    // the first user registered is the admin
    userId[name] = (
      await q(`mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
        i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
      })
    ).data.register.id;
    session[name] = (
      await q(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: `${name}@example.org`, password: "correct horse battery" },
      })
    ).data.login.token;
  }
  for (const name of ["alice", "bob", "carol"])
    await q(
      `mutation($u: ID!) { setUserRole(userId: $u, role: ANNOTATOR) { role } }`,
      { u: userId[name] },
      session.admin,
    );
  const propose = (who: string, unitId: string, label: string) =>
    q(
      `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id } }`,
      { i: { unitId, label, status: "PROPOSED" } },
      session[who],
    );
  for (const [who, unit, label] of [
    ["alice", 0, "red"],
    ["bob", 0, "red"],
    ["alice", 1, "blue"],
    ["bob", 1, "square"],
    ["alice", 2, "green"],
  ] as const) {
    expect((await propose(who, atlas.unitIds[unit], label)).errors).toBeUndefined();
  }
  // another model, so that a filter that matched nothing or everything would show
  await db.prisma.model.create({
    data: {
      name: "other-model",
      displayName: "Other",
      modality: "IMAGE",
      architecture: "x",
      onnxFiles: {},
      config: {},
      directory: "other",
    },
  });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

/** the query's data for the model given by id and by name: equal, and without errors */
async function sameByIdAndName(query: string, vars: (ref: string) => Record<string, unknown>, token?: string) {
  const byId = await q(query, vars(atlas.modelId), token);
  const byName = await q(query, vars(MODEL), token);
  expect(byId.errors).toBeUndefined();
  expect(byName.errors).toBeUndefined();
  expect(byName.data).toEqual(byId.data);
  return byId.data;
}

it("units: filter.modelId takes a name (structural filter and label search alike)", async () => {
  const UNITS = `query($f: UnitFilter) { units(filter: $f, first: 100) { totalCount edges { node { id } } } }`;
  const all = await sameByIdAndName(UNITS, (m) => ({ f: { modelId: m } }));
  expect(all.units.totalCount).toBe(6);
  expect(all.units.edges.map((e: any) => e.node.id).sort()).toEqual([...atlas.unitIds].sort());
  const red = await sameByIdAndName(UNITS, (m) => ({ f: { modelId: m, search: "red", kind: "NEURON" } }));
  expect(red.units.totalCount).toBeGreaterThan(0);
  expect(red.units.totalCount).toBeLessThan(6);
  const other = await q(UNITS, { f: { modelId: "other-model" } });
  expect(other.data.units.totalCount).toBe(0);
});

it("annotations: filter.modelId takes a name", async () => {
  const LIST = `query($f: AnnotationFilter) { annotations(filter: $f, first: 100) { totalCount edges { node { id } } } }`;
  const data = await sameByIdAndName(LIST, (m) => ({ f: { modelId: m } }), session.alice);
  expect(data.annotations.totalCount).toBe(5);
});

it("labelQueue scope and labelAgreement take a model name", async () => {
  const QUEUE = `query($s: LabelQueueScope) { labelQueue(scope: $s) { unit { id } remainingUnlabeled remainingDisputed } }`;
  const queue = await sameByIdAndName(QUEUE, (m) => ({ s: { modelId: m } }), session.carol);
  expect(queue.labelQueue.unit).not.toBeNull();
  expect(queue.labelQueue.remainingUnlabeled).toBeGreaterThan(0);
  const AGREEMENT = `query($m: ID) { labelAgreement(modelId: $m) { alpha ratedUnits annotators unitsWithOverlap } }`;
  const agreement = await sameByIdAndName(AGREEMENT, (m) => ({ m }));
  expect(agreement.labelAgreement).toMatchObject({ ratedUnits: 3, annotators: 2, unitsWithOverlap: 2 });
});

it("model(id) takes a name", async () => {
  const data = await sameByIdAndName(`query($id: ID!) { model(id: $id) { id name } }`, (id) => ({ id }));
  expect(data.model).toEqual({ id: atlas.modelId, name: MODEL });
});

it("startAtlasBuild takes model and dataset names and stores their ids", async () => {
  const START = `mutation($i: StartAtlasBuildInput!) { startAtlasBuild(input: $i) { id params } }`;
  // a build is planned from its model's manifest (unit sets, memory): the built-in model, named by its name
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const r = await q(
    START,
    { i: { modelId: model.name, datasetId: DATASET, hooks: ["vision.blocks.0.mlp.hook_post"], k: 3 } },
    session.admin,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data.startAtlasBuild.params).toMatchObject({ modelId: model.id, datasetId });
  const stored = await db.prisma.job.findUniqueOrThrow({ where: { id: r.data.startAtlasBuild.id } });
  expect(stored.params).toMatchObject({ modelId: model.id, datasetId });
  // the fixture's model row has no manifest (as if registered by an older version): refused when queued, by name
  const bare = await q(
    START,
    { i: { modelId: MODEL, datasetId: DATASET, hooks: ["vision.blocks.0.mlp.hook_post"] } },
    session.admin,
  );
  expect(codeOf(bare)).toBe("BAD_USER_INPUT");
  expect(bare.errors![0].message).toBe(`model ${MODEL} has no manifest config; register it again`);
  expect(await db.prisma.job.count({ where: { params: { path: ["modelId"], equals: atlas.modelId } } })).toBe(0);
  const unknown = await q(
    START,
    { i: { modelId: "no-such-model", datasetId: DATASET, hooks: ["vision.blocks.0.mlp.hook_post"] } },
    session.admin,
  );
  expect(codeOf(unknown)).toBe("NOT_FOUND");
  expect(unknown.errors![0].message).toContain('"no-such-model"');
});

it("an unknown model name is NOT_FOUND, not an empty page", async () => {
  for (const [query, vars, token] of [
    [`query($f: UnitFilter) { units(filter: $f) { totalCount } }`, { f: { modelId: "no-such-model" } }, undefined],
    [
      `query($f: AnnotationFilter) { annotations(filter: $f) { totalCount } }`,
      { f: { modelId: "no-such-model" } },
      session.alice,
    ],
    [
      `query($s: LabelQueueScope) { labelQueue(scope: $s) { remainingUnlabeled } }`,
      { s: { modelId: "no-such-model" } },
      session.carol,
    ],
    [`query($m: ID) { labelAgreement(modelId: $m) { ratedUnits } }`, { m: "no-such-model" }, undefined],
  ] as const) {
    const r = await q(query, vars, token);
    expect(codeOf(r)).toBe("NOT_FOUND");
    expect(r.errors![0].message).toMatch(/Model "no-such-model" not found/);
  }
});
