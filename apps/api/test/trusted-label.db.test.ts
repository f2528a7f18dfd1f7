// Unit.trustedLabel over HTTP: a strong score alone, a consensus without α or a supporting score (not trusted),
// and a reviewer's acceptance; each candidate's raters, votes and scores side by side.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { gql, signUpUsers } from "./client";
import { labelScoreRow, seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const session: Record<string, string> = {};
const userId: Record<string, string> = {};
const q = (query: string, variables?: Record<string, unknown>, t?: string) => gql(api.url, query, variables, t);

const score = (unitId: string, label: string, auroc: number) => labelScoreRow(unitId, label, auroc);

const TRUSTED = `query($id: ID!) { unit(id: $id) { trustedLabel { label source reason raters majorityShare alpha
  candidates { label labelKey sources raters votes accepted detectionAuroc scores { detectionAuroc heldOutExamples } } } } }`;

beforeAll(async () => {
  process.env.LABEL_RESCORE_DELAY_MS = "0";
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 2);
  const users = await signUpUsers(api.url, ["admin", "alice", "bob"], { alice: "ANNOTATOR", bob: "ANNOTATOR" });
  Object.assign(userId, users.userId);
  Object.assign(session, users.session);
  // fixture auto-labels: unit 0 "red", unit 1 "blue"
  const [u0, u1] = atlas.unitIds;
  await db.prisma.labelScore.createMany({ data: [score(u0, "red", 0.9), score(u1, "blue", 0.6)] });
});

afterAll(async () => {
  delete process.env.LABEL_RESCORE_DELAY_MS;
  await api?.close();
  await db?.close();
});

it("a score ≥ 0.8 alone makes the auto-label trusted", async () => {
  const r = await q(TRUSTED, { id: atlas.unitIds[0] });
  expect(r.errors).toBeUndefined();
  expect(r.data.unit.trustedLabel).toEqual({
    label: "red",
    source: "score",
    reason: "best explanation score: detection AUROC 0.90 ≥ 0.8",
    raters: 0,
    majorityShare: null,
    alpha: null,
    candidates: [
      {
        label: "red",
        labelKey: "red",
        sources: ["auto:wpmi"],
        raters: 0,
        votes: 0,
        accepted: false,
        detectionAuroc: 0.9,
        scores: { detectionAuroc: 0.9, heldOutExamples: 512 },
      },
    ],
  });
});

it("two agreeing annotators without α or a supporting score are not trusted; a reviewer's acceptance is", async () => {
  const unitId = atlas.unitIds[1];
  const propose = (who: string) =>
    q(
      `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id version } }`,
      { i: { unitId, label: "Blue", status: "PROPOSED" } },
      session[who],
    );
  const a = (await propose("alice")).data.createAnnotation;
  await propose("bob");
  const before = (await q(TRUSTED, { id: unitId })).data.unit.trustedLabel;
  // α undefined (one unit, no variation); score 0.6 < 0.65 → no consensus; 0.6 < 0.8 → no score
  expect(before).toMatchObject({
    label: null,
    source: "none",
    raters: 2,
    majorityShare: 1,
    alpha: null,
    reason: "not trusted yet: annotators disagree or α and score are too low; best score 0.60 < 0.8",
  });
  expect(before.candidates).toEqual([
    expect.objectContaining({
      labelKey: "blue",
      raters: 2,
      votes: 0,
      sources: ["annotation", "auto:wpmi"],
      detectionAuroc: 0.6,
    }),
  ]);

  const accepted = await q(
    `mutation($i: UpdateAnnotationInput!) { updateAnnotation(input: $i) { status } }`,
    { i: { id: a.id, version: a.version, status: "ACCEPTED" } },
    session.admin,
  );
  expect(accepted.errors).toBeUndefined();
  const after = (await q(TRUSTED, { id: unitId })).data.unit.trustedLabel;
  expect(after).toMatchObject({
    label: "Blue",
    source: "accepted",
    reason: "accepted by a reviewer (detection AUROC 0.60: the model's similarity does not support it)",
  });
  expect(after.candidates[0]).toMatchObject({ accepted: true, raters: 2 });
});
