// Registering models from manifests: the built-in CLIP-shapes model (when its assets are present) and a
// small fixture manifest written to a temp dir; idempotence, in-place updates and refused manifests.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { registerModelFromManifest } from "../src";

jest.setTimeout(120_000);

const BUILT_IN = path.join(repoRoot(), "libs", "model-zoo", "assets", "clip-shapes");
let db: TestDatabase;
let dir: string;

beforeEach(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), "mmatlas-manifest-"));
});
afterEach(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A text-only model: the real text tower file, two hook points and one TopK SAE (cfg.json only). */
function writeFixture(extra: { displayName?: string; withSecondSae?: boolean; saeDIn?: number } = {}) {
  copyFileSync(path.join(BUILT_IN, "text.onnx"), path.join(dir, "text.onnx"));
  const sae = (name: string, hook: string, dIn: number, architecture: string) => {
    mkdirSync(path.join(dir, "saes", name), { recursive: true });
    writeFileSync(
      path.join(dir, "saes", name, "cfg.json"),
      JSON.stringify({ architecture, d_in: dIn, d_sae: 128, k: 4, metadata: { hook_name: hook } }),
    );
    return { name, path: `saes/${name}`, l0: 4, explainedVariance: 0.9 };
  };
  const manifest = {
    name: "fixture-text",
    displayName: extra.displayName ?? "Fixture text model",
    architecture: "clip-text",
    modality: "TEXT",
    embedDim: 64,
    text: {
      onnx: "text.onnx",
      input: "tokens",
      output: "text_embeds",
      seqLen: 8,
      tokenizer: {
        type: "word",
        vocab: ["<pad>", "<unk>", "<eos>", "red"],
        pad: "<pad>",
        unk: "<unk>",
        eos: "<eos>",
        lowercase: true,
      },
    },
    hookPoints: [
      {
        name: "text.blocks.0.hook_resid_post",
        tower: "TEXT",
        layer: 0,
        kind: "RESID",
        tensor: "text.blocks.0.hook_resid_post",
        width: 64,
        shape: ["batch", 8, 64],
      },
      {
        name: "text.blocks.0.mlp.hook_post",
        tower: "TEXT",
        layer: 0,
        kind: "MLP_POST",
        tensor: "text.blocks.0.mlp.hook_post",
        width: 256,
        shape: ["batch", 8, 256],
      },
    ],
    saes: [
      sae("text.blocks.0.hook_resid_post.topk", "text.blocks.0.hook_resid_post", extra.saeDIn ?? 64, "topk"),
      ...(extra.withSecondSae
        ? [sae("text.blocks.0.mlp.hook_post.relu", "text.blocks.0.mlp.hook_post", 256, "standard")]
        : []),
    ],
  };
  writeFileSync(path.join(dir, "model.json"), JSON.stringify(manifest));
}

it("registers a fixture manifest, then updates it in place when run again", async () => {
  writeFixture();
  const first = await registerModelFromManifest(db.prisma, dir);
  expect(first).toMatchObject({
    hookPoints: 2,
    dictionaries: 1,
    model: { name: "fixture-text", modality: "TEXT", onnxFiles: { text: "text.onnx" } },
  });
  const hooks = await db.prisma.hookPoint.findMany({ where: { modelId: first.model.id }, orderBy: { name: "asc" } });
  expect(hooks.map((h) => [h.name, h.kind, h.width, h.tower, h.layer])).toEqual([
    ["text.blocks.0.hook_resid_post", "RESID", 64, "TEXT", 0],
    ["text.blocks.0.mlp.hook_post", "MLP", 256, "TEXT", 0],
  ]);
  const dict = await db.prisma.dictionary.findFirstOrThrow({ where: { modelId: first.model.id } });
  expect(dict).toMatchObject({
    architecture: "TOPK",
    dIn: 64,
    dSae: 128,
    hookPointId: hooks[0].id,
    weightsPath: path.join("saes", "text.blocks.0.hook_resid_post.topk"),
    metrics: { l0: 4, explainedVariance: 0.9 },
  });

  const again = await registerModelFromManifest(db.prisma, path.join(dir, "model.json"));
  expect(again.model.id).toBe(first.model.id);
  expect(await db.prisma.hookPoint.count()).toBe(2);
  expect(await db.prisma.dictionary.count()).toBe(1);

  writeFixture({ displayName: "Renamed", withSecondSae: true });
  const updated = await registerModelFromManifest(db.prisma, dir);
  expect(updated.model).toMatchObject({ id: first.model.id, displayName: "Renamed" });
  expect(
    (await db.prisma.dictionary.findMany({ orderBy: { name: "asc" } })).map((d) => [d.name, d.architecture]),
  ).toEqual([
    ["text.blocks.0.hook_resid_post.topk", "TOPK"],
    ["text.blocks.0.mlp.hook_post.relu", "RELU"],
  ]);
  expect((await db.prisma.hookPoint.findMany()).map((h) => h.id).sort()).toEqual(hooks.map((h) => h.id).sort());
});

it("refuses invalid manifests with BAD_USER_INPUT and stores nothing", async () => {
  await expect(registerModelFromManifest(db.prisma, dir)).rejects.toMatchObject({ code: "BAD_USER_INPUT" }); // no model.json
  writeFileSync(path.join(dir, "model.json"), "{ nope");
  await expect(registerModelFromManifest(db.prisma, dir)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  writeFixture({ saeDIn: 32 });
  await expect(registerModelFromManifest(db.prisma, dir)).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringContaining("d_in 32"),
  });
  expect(await db.prisma.model.count()).toBe(0);
});

const builtIn = existsSync(path.join(BUILT_IN, "model.json")) ? it : it.skip;
builtIn("registers the built-in CLIP-shapes model with every hook point and SAE of its manifest", async () => {
  const manifest = JSON.parse(readFileSync(path.join(BUILT_IN, "model.json"), "utf8"));
  const r = await registerModelFromManifest(db.prisma, BUILT_IN);
  expect(r.model).toMatchObject({
    name: manifest.name,
    directory: path.join("libs", "model-zoo", "assets", "clip-shapes"),
  });
  expect(await db.prisma.hookPoint.count()).toBe(manifest.hookPoints.length);
  expect(await db.prisma.dictionary.count()).toBe(manifest.saes.length);
  await registerModelFromManifest(db.prisma, BUILT_IN);
  expect(await db.prisma.model.count()).toBe(1);
  expect(await db.prisma.dictionary.count()).toBe(manifest.saes.length);
});
