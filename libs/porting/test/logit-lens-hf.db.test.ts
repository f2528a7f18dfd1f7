// Logit lens on an imported Hugging Face CLIP (the tiny export in libs/porting/test/fixtures/hf-clip-tiny, imported
// with `importHfClipModel`): its TransformerLens-named weights (ln_final = post_layernorm / final_layer_norm,
// proj = visual / text projection) and the eps of its config.json read every layer; the last layer's CLS / <eos>
// read-out is the imported model's own embedding. Without the weights file: unavailable, NO_WEIGHTS_FILE.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { modelDirectory } from "@mmatlas/catalog";
import type { Model } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { ProbeRegistry, probe } from "@mmatlas/probe";
import { importHfClipModel } from "../src";
import { HF_CLIP_FIXTURE as FIXTURE, hfClipWorkspace } from "./fixtures/hf-clip-workspace";

jest.setTimeout(180_000);
const workspace = hfClipWorkspace("lens-hf-");
let db: TestDatabase;
let model: Model;
let registry: ProbeRegistry;

beforeAll(async () => {
  db = await createTestDatabase();
  const dir = workspace.hfFolder("tiny-clip");
  model = (await importHfClipModel(db.prisma, dir, { dataDir: workspace.dataDir })).model;
  registry = new ProbeRegistry(db.prisma, { rowsTtlMs: 0 });
});
afterAll(async () => {
  await registry?.close();
  await db?.close();
  workspace.remove();
});

const image = () => {
  const dir = path.join(FIXTURE, "reference-images");
  return readFileSync(path.join(dir, readdirSync(dir).sort()[0])).toString("base64");
};

test("every vision layer reads out; the last layer's CLS read-out is the imported model's image embedding", async () => {
  const r = await probe(
    db.prisma,
    { modelId: model.id, image: image(), logitLens: true, lensTexts: ["a cat", "a dog", "a red circle"] },
    { registry },
  );
  const lens = r.logitLens!;
  expect(lens.reason).toBeNull();
  expect(lens.available).toBe(true);
  expect(lens.layers.map((l) => l.hookPoint)).toEqual([
    "vision.blocks.0.hook_resid_post",
    "vision.blocks.1.hook_resid_post",
  ]);
  expect(lens.gridRows).toBe(r.gridSize);
  expect(lens.cells[1]).toHaveLength(lens.prefix + r.gridSize! ** 2);
  expect(lens.embeddingCosine).toBeGreaterThan(0.9999);
});

test("text: the last layer's <eos> read-out is the imported model's text embedding", async () => {
  const r = await probe(
    db.prisma,
    { modelId: model.id, text: "a photo of a cat", logitLens: true, lensTexts: ["a cat", "a dog"] },
    { registry },
  );
  expect(r.logitLens!.available).toBe(true);
  expect(r.logitLens!.cells[1]).toHaveLength(r.tokens!.length);
  expect(r.logitLens!.embeddingCosine).toBeGreaterThan(0.9999);
});

test("the weights file gone: the lens is unavailable with NO_WEIGHTS_FILE, the probe itself still answers", async () => {
  const file = path.join(modelDirectory(model), "weights.safetensors");
  expect(existsSync(file)).toBe(true);
  rmSync(file);
  const fresh = new ProbeRegistry(db.prisma, { rowsTtlMs: 0 });
  try {
    const r = await probe(
      db.prisma,
      { modelId: model.id, image: image(), logitLens: true, hookPointId: "vision.blocks.1.hook_resid_post" },
      { registry: fresh },
    );
    expect(r.topUnits.length).toBeGreaterThan(0);
    expect(r.logitLens!.available).toBe(false);
    expect(r.logitLens!.reason).toBe("NO_WEIGHTS_FILE");
    expect(r.logitLens!.message).toMatch(/missing/);
  } finally {
    await fresh.close();
  }
});
