// Integration: on the built-in model and the default dataset, does the label scorer rank a monosemantic unit's
// ground-truth concept above a wrong one (evaluation/score-eval.ts)? Built for the first 96 units of one MLP
// layer per tower and of a TopK SAE (the full atlas: `npm run eval:label-scores`, figures in docs/benchmarks.md).
// Issue 17 asks ≥ 90 %: image units (text–image zero-shot similarity) and all units together reach it here
// (≈ 92 % and ≈ 91 %); text units (token recall of the label in the caption) guard their measured level (≈ 88 %
// here, 87–95 % per layer on the full atlas) against regressions.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { createAtlasBuildJob, executeJob } from "../src";
import { DEFAULT_SHAPES_DATASET, ingestShapesDataset } from "../src/dataset/ingest-shapes";
import { evaluateLabelScorer } from "../src/evaluation/score-eval";

jest.setTimeout(900_000);

let db: TestDatabase;
afterAll(() => db?.close());

it("ranks the ground-truth label above a wrong one for ≥ 90 % of monosemantic units (image units alone too)", async () => {
  db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(db.prisma, DEFAULT_SHAPES_DATASET);
  const job = await createAtlasBuildJob(db.prisma, {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: ["vision.blocks.1.mlp.hook_post", "text.blocks.1.mlp.hook_post"],
    dictionaries: ["vision.blocks.1.hook_resid_post.topk"],
    batchSize: 512,
    causalUnits: 0,
    maxUnits: 96,
  });
  expect((await executeJob(db.prisma, job.id)).status).toBe("SUCCEEDED");
  const report = await evaluateLabelScorer(db.prisma, model.id);
  const row = (layer: string) => report.rows.find((r) => r.layer.startsWith(layer))!;
  const image = ["vision.blocks.1.mlp.hook_post", "vision.blocks.1.hook_resid_post"].map(row);
  const right = image.reduce((n, r) => n + r.correctAboveWrong, 0),
    mono = image.reduce((n, r) => n + r.monosemantic, 0);
  console.log(report.rows.map((r) => `${r.layer}: ${r.correctAboveWrong}/${r.monosemantic}`).join("; "));
  expect(mono).toBeGreaterThanOrEqual(100);
  expect(right / mono).toBeGreaterThanOrEqual(0.9);
  const text = row("text.blocks.1.mlp.hook_post");
  expect(text.monosemantic).toBeGreaterThanOrEqual(30);
  expect(text.rate!).toBeGreaterThanOrEqual(0.85);
  const all = row("*");
  expect(all.monosemantic).toBe(mono + text.monosemantic);
  expect(all.rate!).toBeGreaterThanOrEqual(0.9);
  // correct labels score above chance, wrong ones around or below it (medians)
  expect(report.correctAuroc[2]).toBeGreaterThan(0.6);
  expect(report.wrongAuroc[2]).toBeLessThan(0.55);
});
