// Feature visualization over HTTP: Unit.featureVisualization (AVAILABLE with the image as a data URL and its
// activation against the dataset max after a real job, NOT_COMPUTED, UNAVAILABLE with the reason for text units)
// and visualizeUnit's permissions (annotation.create), reuse of a pending job and typed refusal.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createFeatureVisualizationJob, executeJob } from "@mmatlas/builder";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, signUpUsers } from "./client";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
const session: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);
const unit: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const hooks = await db.prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const make = async (key: string, hookName: string, index: number, maxActivation: number | null) => {
    const h = hooks.find((x) => x.name === hookName)!;
    unit[key] = (
      await db.prisma.unit.create({
        data: { slug: `fv-${key}`, modelId: model.id, hookPointId: h.id, kind: "NEURON", index, maxActivation },
      })
    ).id;
  };
  await make("done", "vision.blocks.0.mlp.hook_post", 5, 0.5);
  await make("todo", "vision.blocks.1.mlp.hook_post", 7, 1.2);
  await make("text", "text.blocks.0.mlp.hook_post", 0, 1);
  const job = await createFeatureVisualizationJob(db.prisma, { modelId: model.id, unitIds: [unit.done], steps: 16 });
  expect((await executeJob(db.prisma, job.id)).status).toBe("SUCCEEDED");
  const users = await signUpUsers(api.url, ["alice", "viewer"], { alice: "ANNOTATOR", viewer: "VIEWER" });
  Object.assign(session, users.session);
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

const FV = `query($id: ID!) { unit(id: $id) { featureVisualization { status reason reasonCode imageDataUrl width height
  activation startActivation datasetMax ratioToDatasetMax steps seed version pendingJobId } } }`;

it("resolves AVAILABLE, NOT_COMPUTED and UNAVAILABLE", async () => {
  const done = (await q(FV, { id: unit.done })).data.unit.featureVisualization;
  const row = await db.prisma.featureVisualization.findUniqueOrThrow({ where: { unitId: unit.done } });
  expect(done).toMatchObject({ status: "AVAILABLE", reason: null, width: 32, height: 32, steps: 16, datasetMax: 0.5 });
  expect(done.imageDataUrl).toBe(`data:image/png;base64,${Buffer.from(row.image).toString("base64")}`);
  expect(done.activation).toBeCloseTo(row.activation, 6);
  expect(done.ratioToDatasetMax).toBeCloseTo(row.activation / 0.5, 6);
  expect(done.activation).toBeGreaterThan(done.startActivation);
  const todo = (await q(FV, { id: unit.todo })).data.unit.featureVisualization;
  expect(todo).toMatchObject({ status: "NOT_COMPUTED", imageDataUrl: null, datasetMax: 1.2, pendingJobId: null });
  const text = (await q(FV, { id: unit.text })).data.unit.featureVisualization;
  expect(text.status).toBe("UNAVAILABLE");
  expect(text.reasonCode).toBe("TEXT_TOWER");
  expect(text.reason).toMatch(/token input/);
});

const RUN = `mutation($id: ID!) { visualizeUnit(unitId: $id) { id kind status params } }`;

it("visualizeUnit: annotators queue a job (reused while pending); viewers and anonymous callers are refused", async () => {
  expect(codeOf(await q(RUN, { id: unit.todo }))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(RUN, { id: unit.todo }, session.viewer))).toBe("FORBIDDEN");
  const r = await q(RUN, { id: unit.todo }, session.alice);
  expect(r.errors).toBeUndefined();
  expect(r.data.visualizeUnit).toMatchObject({ kind: "FEATURE_VISUALIZATION", status: "QUEUED" });
  expect(r.data.visualizeUnit.params.unitIds).toEqual([unit.todo]);
  const again = await q(RUN, { id: unit.todo }, session.alice);
  expect(again.data.visualizeUnit.id).toBe(r.data.visualizeUnit.id);
  const pending = (await q(FV, { id: unit.todo })).data.unit.featureVisualization;
  expect(pending.pendingJobId).toBe(r.data.visualizeUnit.id);
  const refused = await q(RUN, { id: unit.text }, session.alice);
  expect(codeOf(refused)).toBe("UNAVAILABLE");
  expect(refused.errors?.[0]?.message).toMatch(/token input/);
  expect(codeOf(await q(RUN, { id: "no-such-unit" }, session.alice))).toBe("NOT_FOUND");
});
