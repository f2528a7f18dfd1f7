// Head decomposition over HTTP: Unit.headDecomposition (null for non-head units, available=false with a reason for
// text-tower heads, computed=false before a run, the stored figures with the head's rank after one),
// Query.headDecompositions ranked by share, and runHeadDecomposition's permissions (job.manage).
import { registerModelFromManifest } from "@mmatlas/catalog";
import { ingestShapesDataset } from "@mmatlas/builder";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, signUpUsers } from "./client";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
const session: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);
let modelId = "";
let datasetId = "";
const unit: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  modelId = model.id;
  datasetId = (await ingestShapesDataset(db.prisma, { name: "heads-api", seed: 5, images: 16, texts: 0 })).id;
  const hooks = await db.prisma.hookPoint.findMany({ where: { modelId } });
  const hook = (name: string) => hooks.find((h) => h.name === name)!;
  const make = async (key: string, hookName: string, kind: "ATTENTION_HEAD" | "NEURON", index: number) => {
    const h = hook(hookName);
    unit[key] = (
      await db.prisma.unit.create({
        data: { slug: `t-${key}`, modelId, hookPointId: h.id, kind, index },
      })
    ).id;
  };
  await make("v0h1", "vision.blocks.0.attn.hook_pattern", "ATTENTION_HEAD", 1);
  await make("v1h2", "vision.blocks.1.attn.hook_pattern", "ATTENTION_HEAD", 2);
  await make("v1h3", "vision.blocks.1.attn.hook_pattern", "ATTENTION_HEAD", 3);
  await make("text", "text.blocks.0.attn.hook_pattern", "ATTENTION_HEAD", 0);
  await make("neuron", "vision.blocks.0.mlp.hook_post", "NEURON", 0);
  const row = (unitId: string, layer: number, head: number, share: number) => ({
    unitId,
    modelId,
    layer,
    head,
    share,
    meanNorm: 1,
    texts: [{ text: "red", prompt: "a red shape", explainedVariance: 0.4 }],
    ablation: [{ task: "color", examples: 10, before: 0.9, after: 0.6, delta: -0.3 }],
    sampleSize: 16,
    datasetId,
    jobId: null,
    version: 1,
  });
  await db.prisma.headDecomposition.createMany({
    data: [row(unit.v0h1, 0, 1, 0.05), row(unit.v1h2, 1, 2, 0.2)],
  });
  const users = await signUpUsers(api.url, ["admin", "alice", "viewer"], { alice: "ANNOTATOR", viewer: "VIEWER" });
  Object.assign(session, users.session);
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

const UNIT = `query($id: ID!) { unit(id: $id) { headDecomposition { available reasonCode reason computed layer head share
  rank heads texts { text prompt explainedVariance } ablation { task examples before after delta } sampleSize datasetName } } }`;

it("resolves Unit.headDecomposition: stored figures with rank, not yet computed, unavailable, null", async () => {
  const stored = await q(UNIT, { id: unit.v1h2 });
  expect(stored.errors).toBeUndefined();
  expect(stored.data.unit.headDecomposition).toEqual({
    available: true,
    reasonCode: null,
    reason: null,
    computed: true,
    layer: 1,
    head: 2,
    share: 0.2,
    rank: 1,
    heads: 2,
    texts: [{ text: "red", prompt: "a red shape", explainedVariance: 0.4 }],
    ablation: [{ task: "color", examples: 10, before: 0.9, after: 0.6, delta: -0.3 }],
    sampleSize: 16,
    datasetName: "heads-api",
  });
  expect((await q(UNIT, { id: unit.v0h1 })).data.unit.headDecomposition.rank).toBe(2);
  expect((await q(UNIT, { id: unit.v1h3 })).data.unit.headDecomposition).toMatchObject({
    available: true,
    computed: false,
    layer: 1,
    head: 3,
    share: null,
    texts: [],
  });
  const text = (await q(UNIT, { id: unit.text })).data.unit.headDecomposition;
  expect(text).toMatchObject({ available: false, reasonCode: "TEXT_TOWER_HEAD", computed: false });
  expect(text.reason).toMatch(/vision tower/);
  expect((await q(UNIT, { id: unit.neuron })).data.unit.headDecomposition).toBeNull();
});

it("lists a model's heads by share", async () => {
  const r = await q(`query($m: ID!) { headDecompositions(modelId: $m) { layer head share rank } }`, { m: modelId });
  expect(r.errors).toBeUndefined();
  expect(r.data.headDecompositions).toEqual([
    { layer: 1, head: 2, share: 0.2, rank: 1 },
    { layer: 0, head: 1, share: 0.05, rank: 2 },
  ]);
  // the model page asks by the model's name (its URL)
  const name = (await db.prisma.model.findUniqueOrThrow({ where: { id: modelId } })).name;
  const byName = await q(`query($m: ID!) { headDecompositions(modelId: $m) { layer head } }`, { m: name });
  expect(byName.data.headDecompositions).toEqual([
    { layer: 1, head: 2 },
    { layer: 0, head: 1 },
  ]);
  const unknown = await q(`query { headDecompositions(modelId: "no-such-model") { layer } }`);
  expect(codeOf(unknown)).toBe("NOT_FOUND");
});

it("runHeadDecomposition needs job.manage and queues a HEAD_DECOMPOSITION job", async () => {
  const RUN = `mutation($m: ID!, $d: ID!, $n: Int) { runHeadDecomposition(modelId: $m, datasetId: $d, sampleSize: $n) { id kind status } }`;
  const vars = { m: modelId, d: datasetId };
  expect(codeOf(await q(RUN, vars))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(RUN, vars, session.viewer))).toBe("FORBIDDEN");
  expect(codeOf(await q(RUN, vars, session.alice))).toBe("FORBIDDEN");
  expect(codeOf(await q(RUN, { ...vars, n: 3 }, session.admin))).toBe("BAD_USER_INPUT");
  expect(codeOf(await q(RUN, { ...vars, d: "no-such-dataset" }, session.admin))).toBe("NOT_FOUND");
  const ok = await q(RUN, { ...vars, n: 16 }, session.admin);
  expect(ok.errors).toBeUndefined();
  expect(ok.data.runHeadDecomposition).toMatchObject({ kind: "HEAD_DECOMPOSITION", status: "QUEUED" });
  const job = await db.prisma.job.findUniqueOrThrow({ where: { id: ok.data.runHeadDecomposition.id } });
  expect(job.params).toMatchObject({ modelId, datasetId, sampleSize: 16 });
});
