// Label scores over HTTP: scores on auto-labels and annotations, Unit.labelScores / bestLabel (score first,
// today's label when unscored), units sorted and filtered by best score, the queue's LOW_SCORE_FIRST order, the
// scoreLabels mutation's permissions, and the debounced SCORE_LABELS job after an annotation edit.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, signUpUsers } from "./client";
import { labelScoreRow, seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const session: Record<string, string> = {};
const userId: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);

const score = (unitId: string, label: string, auroc: number | null) =>
  labelScoreRow(unitId, label, auroc, {
    balancedAccuracy: auroc === null ? null : Math.max(0.5, auroc - 0.1),
    localization: 0.3,
    localizationExamples: 10,
    tagAuroc: 0.9,
    tagPositives: 80,
    tagNegatives: 432,
  });

beforeAll(async () => {
  process.env.LABEL_RESCORE_DELAY_MS = "100";
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 4);
  const users = await signUpUsers(api.url, ["admin", "alice", "viewer"], { alice: "ANNOTATOR", viewer: "VIEWER" });
  Object.assign(userId, users.userId);
  Object.assign(session, users.session);
  // auto-labels (fixture): units 0 and 3 "red", 1 and 2 "blue"; best scores: 0 → 0.9, 1 → 0.6, 2 → 0.75, 3 unscored
  const [u0, u1, u2] = atlas.unitIds;
  await db.prisma.labelScore.createMany({
    data: [score(u0, "red", 0.9), score(u0, "blue", 0.4), score(u1, "blue", 0.6), score(u2, "red", 0.75)],
  });
  for (const [id, s, l] of [
    [u0, 0.9, "red"],
    [u1, 0.6, "blue"],
    [u2, 0.75, "red"],
  ] as const) {
    await db.prisma.unit.update({ where: { id }, data: { bestLabelScore: s, bestScoredLabel: l } });
  }
});

afterAll(async () => {
  delete process.env.LABEL_RESCORE_DELAY_MS;
  await api?.close();
  await db?.close();
});

it("exposes scores on auto-labels, the unit's scores and its best label (today's label when unscored)", async () => {
  const UNIT = `query($id: ID!) { unit(id: $id) { bestLabel { label basis score } labelScores { label detectionAuroc balancedAccuracy activatingExamples localization tagAuroc notes }
    autoLabels { label scores { detectionAuroc heldOutExamples } } } }`;
  const r = await q(UNIT, { id: atlas.unitIds[0] });
  expect(r.errors).toBeUndefined();
  expect(r.data.unit.bestLabel).toEqual({ label: "red", basis: "score", score: 0.9 });
  expect(r.data.unit.labelScores.map((s: { label: string }) => s.label)).toEqual(["red", "blue"]);
  expect(r.data.unit.autoLabels).toEqual([{ label: "red", scores: { detectionAuroc: 0.9, heldOutExamples: 512 } }]);
  const unscored = await q(UNIT, { id: atlas.unitIds[3] });
  expect(unscored.data.unit.bestLabel).toEqual({ label: "red", basis: "auto", score: null });
  expect(unscored.data.unit.autoLabels[0].scores).toBeNull();
});

it("sorts and filters units by best score", async () => {
  const LIST = `query($f: UnitFilter, $s: UnitSort, $after: String) { units(filter: $f, sort: $s, first: 2, after: $after) { edges { node { index } } pageInfo { hasNextPage endCursor } totalCount } }`;
  const f = { modelId: atlas.modelId };
  const p1 = await q(LIST, { f, s: "BEST_SCORE_DESC" });
  expect(p1.data.units.edges.map((e: { node: { index: number } }) => e.node.index)).toEqual([0, 2]);
  const p2 = await q(LIST, { f, s: "BEST_SCORE_DESC", after: p1.data.units.pageInfo.endCursor });
  expect(p2.data.units.edges.map((e: { node: { index: number } }) => e.node.index)).toEqual([1]);
  expect(p2.data.units.pageInfo.hasNextPage).toBe(false);
  const asc = await q(LIST, { f, s: "BEST_SCORE_ASC" });
  expect(asc.data.units.edges.map((e: { node: { index: number } }) => e.node.index)).toEqual([1, 2]);
  const low = await q(LIST, { f: { ...f, maxBestScore: 0.8 } });
  expect(low.data.units.totalCount).toBe(2);
  expect(low.data.units.edges.map((e: { node: { index: number } }) => e.node.index)).toEqual([1, 2]);
  expect(codeOf(await q(LIST, { f: { ...f, minBestScore: 2 } }))).toBe("BAD_USER_INPUT");
  expect(codeOf(await q(LIST, { f: { ...f, search: "red" }, s: "BEST_SCORE_DESC" }))).toBe("BAD_USER_INPUT");
});

it("the queue serves the lowest-scoring unit first on request", async () => {
  const QUEUE = `query($o: QueueOrder) { labelQueue(scope: { modelId: "fixture-model" }, order: $o) { unit { index } } }`;
  expect((await q(QUEUE, {}, session.alice)).data.labelQueue.unit.index).toBe(0);
  expect((await q(QUEUE, { o: "LOW_SCORE_FIRST" }, session.alice)).data.labelQueue.unit.index).toBe(1);
});

it("scoreLabels: annotators may rescore a few units, a whole model needs job.manage", async () => {
  const SCORE = `mutation($i: ScoreLabelsInput!) { scoreLabels(input: $i) { id kind status } }`;
  const units = { modelId: atlas.modelId, unitIds: [atlas.unitIds[0]] };
  expect(codeOf(await q(SCORE, { i: units }))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(SCORE, { i: units }, session.viewer))).toBe("FORBIDDEN");
  expect(codeOf(await q(SCORE, { i: { modelId: atlas.modelId } }, session.alice))).toBe("FORBIDDEN");
  expect(codeOf(await q(SCORE, { i: { modelId: atlas.modelId, unitIds: ["nope"] } }, session.alice))).toBe(
    "BAD_USER_INPUT",
  );
  const ok = await q(SCORE, { i: units }, session.alice);
  expect(ok.data.scoreLabels).toMatchObject({ kind: "SCORE_LABELS", status: "QUEUED" });
  const all = await q(SCORE, { i: { modelId: "fixture-model" } }, session.admin);
  expect(all.data.scoreLabels.kind).toBe("SCORE_LABELS");
  expect(all.data.scoreLabels.id).not.toBe(ok.data.scoreLabels.id); // a unit job does not cover the whole model
  // asked again while queued: the waiting jobs already cover it, and no second run is queued
  const again = await q(SCORE, { i: units }, session.alice);
  expect(again.data.scoreLabels.id).toBe(ok.data.scoreLabels.id);
  const other = await q(SCORE, { i: { modelId: atlas.modelId, unitIds: [atlas.unitIds[1]] } }, session.alice);
  expect(other.data.scoreLabels.id).toBe(all.data.scoreLabels.id); // the whole-model job covers any unit
  expect(await db.prisma.job.count({ where: { kind: "SCORE_LABELS" } })).toBe(2);
  await db.prisma.job.deleteMany({ where: { kind: "SCORE_LABELS" } });
});

it("an annotation edit queues one SCORE_LABELS job for its unit after a quiet time, without delaying the edit", async () => {
  const unitId = atlas.unitIds[1];
  const started = Date.now();
  const created = await q(
    `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id scores { detectionAuroc } } }`,
    { i: { unitId, label: "Blue", status: "PROPOSED" } },
    session.alice,
  );
  expect(created.errors).toBeUndefined();
  // the same label text as the auto-label: its existing score is found through the label key
  expect(created.data.createAnnotation.scores).toEqual({ detectionAuroc: 0.6 });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await db.prisma.job.count({ where: { kind: "SCORE_LABELS" } })).toBe(0);
  await new Promise((r) => setTimeout(r, 600));
  const jobs = await db.prisma.job.findMany({ where: { kind: "SCORE_LABELS" } });
  expect(jobs).toHaveLength(1);
  expect(jobs[0].params).toMatchObject({ modelId: atlas.modelId, unitIds: [unitId] });
});
