// Linear probing over HTTP: Model.probing (stored cells in tower → layer → family order, the dataset, skipped
// families, the job only for signed-in callers) and the runProbing mutation's permissions and input checks
// (unknown model / dataset, a dataset without examples for the model's towers).
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, signUpUsers } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
let session: Record<string, string> = {};
let imageSetId = "";
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);

const RUN = `mutation($m: ID!, $d: ID!) { runProbing(modelId: $m, datasetId: $d) { id kind status params } }`;
const PROBING = `query($id: ID!, $d: ID) { model(id: $id) { probing(datasetId: $d) {
  dataset { name } datasets { name } skipped { tower family reason labelled classes }
  cells { tower hookName layer dictionary family accuracy chance trainCount testCount classes pooling }
  job { id kind status progress } } } }`;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 2);
  session = (await signUpUsers(api.url, ["admin", "alice"], { alice: "ANNOTATOR" })).session;
  const images = await db.prisma.dataset.create({ data: { name: "probe-images", modality: "IMAGE", size: 2 } });
  imageSetId = images.id;
  await db.prisma.example.createMany({
    data: ["red", "blue"].map((c, index) => ({
      datasetId: images.id,
      index,
      modality: "IMAGE" as const,
      image: new Uint8Array([1]),
      tags: [`color:${c}`],
    })),
  });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

it("runProbing needs job.manage and checks the model and the dataset", async () => {
  const vars = { m: atlas.modelId, d: "probe-images" };
  expect(codeOf(await q(RUN, vars))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(RUN, vars, session.alice))).toBe("FORBIDDEN");
  expect(codeOf(await q(RUN, { ...vars, m: "no-such-model" }, session.admin))).toBe("NOT_FOUND");
  expect(codeOf(await q(RUN, { ...vars, d: "no-such-dataset" }, session.admin))).toBe("NOT_FOUND");
  // the fixture model has a vision tower only; its dataset holds captions
  const wrong = await q(RUN, { ...vars, d: "fixture-captions" }, session.admin);
  expect(codeOf(wrong)).toBe("BAD_USER_INPUT");
  expect(wrong.errors![0].message).toMatch(/no examples for the vision tower/);
  const ok = await q(RUN, vars, session.admin);
  expect(ok.errors).toBeUndefined();
  expect(ok.data.runProbing).toMatchObject({ kind: "PROBE_CONCEPTS", status: "QUEUED" });
  expect(ok.data.runProbing.params).toMatchObject({ modelId: atlas.modelId, datasetId: imageSetId, includeSaes: true });
  // the same request while it is queued returns that job
  expect((await q(RUN, vars, session.admin)).data.runProbing.id).toBe(ok.data.runProbing.id);
});

it("Model.probing returns the stored cells in layer × family order, skipped families, and the job to signed-in callers", async () => {
  const job = await db.prisma.job.findFirstOrThrow({ where: { kind: "PROBE_CONCEPTS" } });
  await db.prisma.job.update({
    where: { id: job.id },
    data: {
      status: "SUCCEEDED",
      progress: 1,
      metrics: {
        skipped: [
          {
            tower: "VISION",
            family: "word",
            reason: "ONE_CLASS",
            labelled: 2,
            classes: 1,
            message: "word: one class (x)",
          },
        ],
      },
    },
  });
  const row = (layer: number, family: string, accuracy: number) => ({
    modelId: atlas.modelId,
    datasetId: imageSetId,
    jobId: job.id,
    tower: "VISION" as const,
    hookName: `vision.blocks.${layer}.mlp.hook_post`,
    hookKind: "MLP_POST",
    layer,
    pooling: "mean",
    family,
    accuracy,
    chance: 0.5,
    trainAccuracy: 1,
    trainCount: 30,
    testCount: 10,
    classes: ["blue", "red"],
  });
  await db.prisma.probeResult.createMany({
    data: [row(1, "shape", 0.7), row(0, "shape", 0.6), row(1, "color", 0.9), row(0, "color", 0.8)],
  });
  const anon = await q(PROBING, { id: atlas.modelId });
  expect(anon.errors).toBeUndefined();
  const p = anon.data.model.probing;
  expect(p.dataset.name).toBe("probe-images");
  expect(p.datasets.map((d: { name: string }) => d.name)).toEqual(["probe-images"]);
  expect(p.cells.map((c: { layer: number; family: string }) => `${c.layer}:${c.family}`)).toEqual([
    "0:color",
    "0:shape",
    "1:color",
    "1:shape",
  ]);
  expect(p.cells[0]).toMatchObject({ accuracy: 0.8, chance: 0.5, trainCount: 30, testCount: 10, pooling: "mean" });
  expect(p.skipped).toEqual([{ tower: "VISION", family: "word", reason: "ONE_CLASS", labelled: 2, classes: 1 }]);
  expect(p.job).toBeNull();
  const signedIn = await q(PROBING, { id: atlas.modelId }, session.alice);
  expect(signedIn.data.model.probing.job).toMatchObject({ id: job.id, kind: "PROBE_CONCEPTS", status: "SUCCEEDED" });
  // another dataset: nothing stored, no job
  const other = await q(PROBING, { id: atlas.modelId, d: "fixture-captions" }, session.alice);
  expect(other.data.model.probing).toMatchObject({ dataset: { name: "fixture-captions" }, cells: [], job: null });
  expect(codeOf(await q(PROBING, { id: atlas.modelId, d: "nope" }))).toBe("NOT_FOUND");
});
