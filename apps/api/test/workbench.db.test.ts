// Labeling workbench over HTTP: labeling progress per unit set, the labeling queue (unlabeled first, then
// disputed, skipping what you labeled and `skip` ids; sign-in and ANNOTATE needed; bad skip lists refused),
// label agreement per unit and per model (Krippendorff's α, hand-computed), and review (accept/reject by
// REVIEWERs only).
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, signUpUsers } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const session: Record<string, string> = {};
const userId: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);

const QUEUE = `query($scope: LabelQueueScope, $skip: [ID!]) { labelQueue(scope: $scope, skip: $skip) { unit { id index labelState } remainingUnlabeled remainingDisputed } }`;
const PROPOSE = `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id version status } }`;
const propose = (who: string, unitId: string, label: string) =>
  q(PROPOSE, { i: { unitId, label, status: "PROPOSED" } }, session[who]);

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 4);
  const users = await signUpUsers(api.url, ["admin", "alice", "bob", "rev", "viewer"], {
    alice: "ANNOTATOR",
    bob: "ANNOTATOR",
    rev: "REVIEWER",
    viewer: "VIEWER",
  });
  Object.assign(userId, users.userId);
  Object.assign(session, users.session);
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

describe("labelQueue", () => {
  it("needs a signed-in annotator", async () => {
    expect(codeOf(await q(QUEUE))).toBe("UNAUTHENTICATED");
    expect(codeOf(await q(QUEUE, {}, session.viewer))).toBe("FORBIDDEN");
  });

  it("refuses malformed and oversized skip lists with BAD_USER_INPUT", async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => `id${i}`);
    const r = await q(QUEUE, { skip: tooMany }, session.alice);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(/at most 500/);
    const malformed = await q(QUEUE, { skip: [{ id: 1 }] }, session.alice);
    expect(malformed.data).toBeUndefined();
    expect(malformed.errors![0].message).toMatch(/skip/);
  });

  it("serves unlabeled units in order, honours skip, then disputed units, skipping the ones you labeled", async () => {
    const scope = { modelId: atlas.modelId };
    let r = await q(QUEUE, { scope }, session.alice);
    expect(r.data.labelQueue).toEqual({
      unit: { id: atlas.unitIds[0], index: 0, labelState: "UNLABELED" },
      remainingUnlabeled: 4,
      remainingDisputed: 0,
    });
    r = await q(QUEUE, { scope, skip: [atlas.unitIds[0]] }, session.alice);
    expect(r.data.labelQueue.unit.id).toBe(atlas.unitIds[1]);
    expect(r.data.labelQueue.remainingUnlabeled).toBe(3);

    // bob labels units 0..3
    for (let i = 0; i < 4; i++)
      expect((await propose("bob", atlas.unitIds[i], `bob label ${i}`)).errors).toBeUndefined();
    // alice labels unit 2 the same as bob, unit 3 differently → unit 3 is DISPUTED
    await propose("alice", atlas.unitIds[2], "Bob label 2");
    await propose("alice", atlas.unitIds[3], "something else");
    r = await q(QUEUE, { scope }, session.alice);
    expect(r.data.labelQueue).toEqual({ unit: null, remainingUnlabeled: 0, remainingDisputed: 0 }); // alice labeled the disputed one
    // the reviewer has labeled nothing: no unlabeled units left, unit 3 (SAE feature) is the disputed one
    r = await q(QUEUE, { scope }, session.rev);
    expect(r.data.labelQueue).toEqual({
      unit: { id: atlas.unitIds[3], index: 3, labelState: "DISPUTED" },
      remainingUnlabeled: 0,
      remainingDisputed: 1,
    });
    r = await q(QUEUE, { scope: { ...scope, kind: "NEURON" } }, session.rev);
    expect(r.data.labelQueue.unit).toBeNull();
  });
});

describe("progress and agreement", () => {
  it("reports labeling progress per unit set", async () => {
    const r = await q(
      `query($id: ID!) { model(id: $id) { labelingProgress { hookPointId dictionaryId kind total labeled disputed unlabeled } } }`,
      { id: atlas.modelId },
    );
    const sets = r.data.model.labelingProgress as { kind: string; dictionaryId: string | null }[];
    const byKind = Object.fromEntries(sets.map((s) => [s.kind, s]));
    // units 0, 2 are neurons (both labeled); 1, 3 SAE features (1 labeled, 3 disputed)
    expect(byKind.NEURON).toEqual({
      hookPointId: atlas.hookPointId,
      dictionaryId: null,
      kind: "NEURON",
      total: 2,
      labeled: 2,
      disputed: 0,
      unlabeled: 0,
    });
    expect(byKind.SAE_FEATURE).toEqual({
      hookPointId: atlas.hookPointId,
      dictionaryId: atlas.dictionaryId,
      kind: "SAE_FEATURE",
      total: 2,
      labeled: 1,
      disputed: 1,
      unlabeled: 0,
    });
  });

  it("computes agreement per unit and Krippendorff's α for the model", async () => {
    const unit = (i: number) =>
      q(
        `query($id: ID!) { unit(id: $id) { labelAgreement { raters majorityLabel majorityShare pairwiseAgreement } } }`,
        { id: atlas.unitIds[i] },
      );
    const u2 = (await unit(2)).data.unit.labelAgreement;
    expect(u2).toMatchObject({ raters: 2, majorityShare: 1, pairwiseAgreement: 1 });
    expect(u2.majorityLabel.toLowerCase()).toBe("bob label 2");
    expect((await unit(3)).data.unit.labelAgreement).toMatchObject({
      raters: 2,
      majorityShare: 0.5,
      pairwiseAgreement: 0,
    });
    expect((await unit(0)).data.unit.labelAgreement).toMatchObject({ raters: 1, pairwiseAgreement: null });
    // units with 2 raters: u2 (x, x) and u3 (y, z); u0, u1 single ratings add no pairs.
    // values x, x, y, z: n = 4, o_xx = 2, o_yz = o_zy = 1; n_x = 2, n_y = n_z = 1
    // α = 1 − (n − 1)·D_o/D_e = 1 − 3·2 / (2·1 + 1·2 + 2·1 + 1·2 + 1·1 + 1·1) = 1 − 6/10 = 0.4
    const r = await q(
      `query($m: ID) { labelAgreement(modelId: $m) { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement } }`,
      { m: atlas.modelId },
    );
    expect(r.data.labelAgreement.alpha).toBeCloseTo(0.4, 10);
    expect(r.data.labelAgreement).toMatchObject({
      unitsWithOverlap: 2,
      ratedUnits: 4,
      annotators: 2,
      meanPairwiseAgreement: 0.5,
    });
  });

  it("lets only reviewers accept or reject proposals", async () => {
    const a = await db.prisma.annotation.findFirstOrThrow({
      where: { unitId: atlas.unitIds[3], authorId: userId.alice },
    });
    const UPDATE = `mutation($i: UpdateAnnotationInput!) { updateAnnotation(input: $i) { status } }`;
    expect(codeOf(await q(UPDATE, { i: { id: a.id, version: a.version, status: "ACCEPTED" } }, session.bob))).toBe(
      "FORBIDDEN",
    );
    const ok = await q(UPDATE, { i: { id: a.id, version: a.version, status: "REJECTED" } }, session.rev);
    expect(ok.data.updateAnnotation.status).toBe("REJECTED");
    const after = await q(`query($id: ID!) { unit(id: $id) { labelState labelAgreement { raters } } }`, {
      id: atlas.unitIds[3],
    });
    expect(after.data.unit).toEqual({ labelState: "LABELED", labelAgreement: { raters: 1 } });
  });
});
