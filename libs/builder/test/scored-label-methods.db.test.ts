// eval:methods' best-score and trusted labels read from the database (PGlite, or PostgreSQL under
// TEST_DATABASE_URL): the scorer's best label only where a label is scored, the trusted-label rule per unit.
import { createBareModel, createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { scoredLabelMethods } from "../src/evaluation/scored-label-methods";

jest.setTimeout(120_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const score = (unitId: string, label: string, auroc: number) => ({
  unitId,
  labelKey: label,
  label,
  prompt: `a ${label} shape`,
  sources: ["auto:concept-share"],
  method: "model-similarity",
  version: 1,
  datasetId: "d",
  heldOutExamples: 64,
  detectionAuroc: auroc,
  balancedAccuracy: auroc,
  activatingExamples: 8,
  nonActivatingExamples: 8,
  localizationExamples: 0,
  notes: [],
});

it("labels a unit with its best-scored label and its trusted label (none where nothing is trusted)", async () => {
  const { prisma } = db;
  const model = await createBareModel(prisma);
  const hook = await prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "MLP", width: 3, tensor: "h" },
  });
  const unit = (index: number, labels: string[]) =>
    prisma.unit.create({
      data: {
        slug: `m/h/${index}`,
        modelId: model.id,
        hookPointId: hook.id,
        kind: "NEURON",
        index,
        maxActivation: 1,
        density: 0.1,
        histogram: { edges: [0, 1], counts: [1] },
        autoLabels: labels.map((label, i) => ({ label, score: 1 - i / 10, method: "concept-share" })),
        topAutoLabel: labels[0],
      },
    });
  const [u1, u2, u3] = [await unit(0, ["circle", "red"]), await unit(1, ["blue"]), await unit(2, ["square"])];
  // u1: red scored 0.9 > circle 0.7 (best and trusted by score); u2: blue 0.7 (best, below the trusted 0.8)
  await prisma.labelScore.createMany({
    data: [score(u1.id, "red", 0.9), score(u1.id, "circle", 0.7), score(u2.id, "blue", 0.7)],
  });
  await prisma.unit.update({ where: { id: u1.id }, data: { bestScoredLabel: "red", bestLabelScore: 0.9 } });
  await prisma.unit.update({ where: { id: u2.id }, data: { bestScoredLabel: "blue", bestLabelScore: 0.7 } });
  // u3: nothing scored; a reviewer accepted "small"
  const user = await prisma.user.create({ data: { email: "r@x", displayName: "R", passwordHash: "x" } });
  await prisma.annotation.create({ data: { unitId: u3.id, authorId: user.id, label: "small", status: "ACCEPTED" } });

  const r = await scoredLabelMethods(prisma, model.id, [u1.id, u2.id, u3.id]);
  expect(r.labels.get(u1.id)).toEqual({
    "best-score": { concept: "red", score: 0.9 },
    trusted: { concept: "red", score: 1 },
  });
  expect(r.labels.get(u2.id)).toEqual({ "best-score": { concept: "blue", score: 0.7 }, trusted: null });
  // the page's fallback (the top auto-label) is not the scorer's choice
  expect(r.labels.get(u3.id)).toEqual({ "best-score": null, trusted: { concept: "small", score: 1 } });
  expect(r.scored).toBe(2);
  expect(r.trustedSources).toEqual({ score: 1, none: 1, accepted: 1 });
  expect(r.alpha).toBeNull();
});
