// The TextSpan head decomposition on an imported Hugging Face CLIP (the tiny fixture export): the import writes the
// TransformerLens-named weights, the decomposition finds layer 0's input after ln_pre in the graph, rebuilds the
// model's own image embedding from its direct terms, and stores one row per vision head with its ImageFolder
// classes as the zero-shot task.
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createAtlasBuildJob, createHeadDecompositionJob, executeJob } from "@mmatlas/builder";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { importHfClipModel, importImageFolder } from "../src";
import { HF_CLIP_FIXTURE as FIXTURE, hfClipWorkspace } from "./fixtures/hf-clip-workspace";

jest.setTimeout(180_000);
const workspace = hfClipWorkspace("hf-clip-heads-");
const tmp = workspace.root;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  workspace.remove();
});

it("decomposes the vision heads of an imported HF CLIP over an ImageFolder dataset", async () => {
  const dir = workspace.hfFolder("tiny-clip");
  const { model } = await importHfClipModel(db.prisma, dir, { dataDir: workspace.dataDir });

  // two classes of four images each (the fixture's reference images)
  const images = path.join(tmp, "images");
  const files = ["small-rgb.png", "square-rgba.png", "tall-grey.png", "wide-rgb.png"];
  for (const [cls, pick] of [
    ["cat", files],
    ["dog", [...files].reverse()],
  ] as const) {
    mkdirSync(path.join(images, cls), { recursive: true });
    pick.forEach((f, i) => cpSync(path.join(FIXTURE, "reference-images", f), path.join(images, cls, `${i}-${f}`)));
  }
  const { dataset } = await importImageFolder(db.prisma, images, { name: "tiny-classes" });
  const build = await createAtlasBuildJob(db.prisma, {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: ["vision.blocks.0.attn.hook_pattern", "vision.blocks.1.attn.hook_pattern"],
    dictionaries: [],
    k: 3,
    batchSize: 4,
    probeSize: 4,
    causalUnits: 0,
    maxUnits: 8,
    scoreLabels: false,
  } as Parameters<typeof createAtlasBuildJob>[1]);
  expect((await executeJob(db.prisma, build.id)).status).toBe("SUCCEEDED");

  const job = await createHeadDecompositionJob(db.prisma, { modelId: model.id, datasetId: dataset.id });
  const done = await executeJob(db.prisma, job.id);
  expect(done.error).toBeNull();
  const metrics = done.metrics as {
    heads: number;
    stored: number;
    images: number;
    embeddingMismatch: number;
    attentionMismatch: number | null;
  };
  expect(metrics).toMatchObject({ heads: 8, stored: 8, images: 8 });
  // the linearised read-out (σ frozen) rebuilds the model's own embedding direction from the direct terms
  expect(metrics.embeddingMismatch).toBeLessThan(1e-5);
  // Σ_h c_{l,h} + b_O from the TL weights equals the graph's own attention output (resid_mid − resid_pre) at CLS
  expect(metrics.attentionMismatch).not.toBeNull();
  expect(metrics.attentionMismatch!).toBeLessThan(1e-4);
  console.log(
    `HF tiny CLIP: attention mismatch ${metrics.attentionMismatch}, embedding mismatch ${metrics.embeddingMismatch}`,
  );
  const rows = await db.prisma.headDecomposition.findMany({ where: { modelId: model.id } });
  expect(rows).toHaveLength(8);
  expect(rows.reduce((s, r) => s + r.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
  for (const r of rows) {
    expect((r.texts as unknown[]).length).toBe(5);
    expect((r.ablation as { task: string; examples: number }[]).map((a) => [a.task, a.examples])).toEqual([
      ["class", 8],
    ]);
  }
});
