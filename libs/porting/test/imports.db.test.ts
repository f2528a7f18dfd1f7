// Imports against a fresh database: the built-in model folder (manifest + ONNX) copied into a data dir and
// registered; a SAELens folder (with sparsity.safetensors) attached to a hook with the d_in check; image
// folders (PNG + JPEG, class tags) and JSONL texts as datasets; corrupt inputs refused by path.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { decodeModel, encodeModel, writeSafetensors } from "@mmatlas/inference";
import { modelDirectory } from "@mmatlas/catalog";
import { importImageFolder, importModel, importSae, importTextJsonl } from "../src";

jest.setTimeout(120_000);
let db: TestDatabase;
const tmp = mkdtempSync(path.join(tmpdir(), "porting-"));
const dataDir = path.join(tmp, "data");
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

it("imports a model folder: files copied into the data dir, model and hook points registered", async () => {
  const r = await importModel(db.prisma, builtinModelDir(), { dataDir });
  expect(r.directory.startsWith(dataDir)).toBe(true);
  expect(existsSync(path.join(r.directory, "image.onnx"))).toBe(true);
  expect(r.hookPoints).toBe(await db.prisma.hookPoint.count({ where: { modelId: r.model.id } }));
  expect(r.hookPoints).toBeGreaterThan(0);
  const bad = path.join(tmp, "bad-model");
  mkdirSync(bad);
  writeFileSync(path.join(bad, "model.json"), JSON.stringify({ name: "x" }));
  await expect(importModel(db.prisma, bad, { dataDir })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
});

it("imports a SAELens folder onto a hook of matching width, copying sparsity.safetensors too", async () => {
  const model = await db.prisma.model.findFirstOrThrow();
  const src = path.join(tmp, "my-sae");
  cpSync(path.join(builtinModelDir(), "saes", "vision.blocks.0.hook_resid_post.relu"), src, { recursive: true });
  writeFileSync(
    path.join(src, "sparsity.safetensors"),
    writeSafetensors({ sparsity: { shape: [256], data: new Float32Array(256).fill(-2) } }),
  );
  const { dictionary: dict, folder } = await importSae(db.prisma, src, {
    model: model.name,
    hook: "vision.blocks.0.hook_resid_post",
    dataDir,
  });
  expect(dict).toMatchObject({ name: "my-sae", dIn: 64, dSae: 256, architecture: "RELU" });
  expect(folder).toBe(path.join(dataDir, "saes", model.name, "my-sae"));
  expect(path.resolve(modelDirectory(model), dict.weightsPath)).toBe(folder); // stored relative to the model folder
  expect(existsSync(path.join(folder, "sparsity.safetensors"))).toBe(true);

  await expect(
    importSae(db.prisma, src, { model: model.name, hook: "vision.blocks.0.mlp.hook_post", name: "wrong", dataDir }),
  ).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: "SAE d_in 64 does not match vision.blocks.0.mlp.hook_post width 256",
  });
  await expect(
    importSae(db.prisma, src, { model: model.name, hook: "no.such.hook", name: "wrong", dataDir }),
  ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  const empty = path.join(tmp, "empty-sae");
  mkdirSync(empty);
  writeFileSync(path.join(empty, "cfg.json"), "{}");
  await expect(importSae(db.prisma, empty, { model: model.name, dataDir })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(/sae_weights.safetensors/),
  });
  expect(await db.prisma.dictionary.count({ where: { name: "wrong" } })).toBe(0);
});

it("refuses a second import of a model name unless replace, and a model that cannot run leaves nothing behind", async () => {
  await expect(importModel(db.prisma, builtinModelDir(), { dataDir })).rejects.toMatchObject({
    code: "CONFLICT",
    message: expect.stringMatching(/--replace/),
  });
  const again = await importModel(db.prisma, builtinModelDir(), { dataDir, replace: true });
  expect(again.removedUnits).toEqual({ units: 0, annotations: 0 });
  const broken = path.join(tmp, "broken-model");
  cpSync(builtinModelDir(), broken, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(broken, "model.json"), "utf8"));
  writeFileSync(path.join(broken, "model.json"), JSON.stringify({ ...manifest, name: "broken-model" }));
  writeFileSync(path.join(broken, manifest.image.onnx), Buffer.from("not an onnx graph"));
  await expect(importModel(db.prisma, broken, { dataDir })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(/cannot be opened|does not run/),
  });
  expect(await db.prisma.model.count({ where: { name: "broken-model" } })).toBe(0);
  expect(existsSync(path.join(dataDir, "models", "broken-model"))).toBe(false);
  expect(readdirSync(path.join(dataDir, "models"))).toEqual([manifest.name]);

  // a graph that runs but whose weights hold a NaN (one MLP bias of vision block 1) is refused by the hook points
  const corrupt = path.join(tmp, "nan-model");
  cpSync(builtinModelDir(), corrupt, { recursive: true });
  writeFileSync(path.join(corrupt, "model.json"), JSON.stringify({ ...manifest, name: "nan-model" }));
  const graphFile = path.join(corrupt, manifest.image.onnx);
  const graph = decodeModel(readFileSync(graphFile), graphFile);
  const bias = graph.graph!.initializer!.find((t) => t.name === "vision.blocks.1.mlp.b_in")!;
  const values = new Float32Array(new Uint8Array(bias.rawData!).buffer);
  values[7] = NaN;
  bias.rawData = new Uint8Array(values.buffer);
  writeFileSync(graphFile, encodeModel(graph));
  // one blank image of 17 positions: neuron 7 of 256 is NaN at each position; W_out spreads it over the residual
  await expect(importModel(db.prisma, corrupt, { dataDir })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(
      /gives NaN or ±Infinity on a blank input, so its weights are corrupt: at hook point vision\.blocks\.1\.hook_resid_post \(1088 of 1088 values \(first at flat index 0\)\), hook point vision\.blocks\.1\.mlp\.hook_post \(17 of 4352 values \(first at flat index 7\)\), the image embedding \(64 of 64 values/,
    ),
  });
  expect(await db.prisma.model.count({ where: { name: "nan-model" } })).toBe(0);
  expect(existsSync(path.join(dataDir, "models", "nan-model"))).toBe(false);
});

function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) p.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(p);
}

it("imports an image folder (PNG + JPEG, class subfolders) as PNG examples; refuses corrupt images by path", async () => {
  const dir = path.join(tmp, "images");
  mkdirSync(path.join(dir, "red"), { recursive: true });
  mkdirSync(path.join(dir, "blue"), { recursive: true });
  writeFileSync(path.join(dir, "red", "a.png"), png(8, 8, [255, 0, 0]));
  writeFileSync(path.join(dir, "blue", "b.png"), png(8, 4, [0, 0, 255]));
  const raw = Buffer.alloc(4 * 4 * 4, 255);
  writeFileSync(path.join(dir, "blue", "c.jpg"), jpeg.encode({ data: raw, width: 4, height: 4 }, 90).data);
  writeFileSync(path.join(dir, "notes.txt"), "ignored");
  const { dataset, examples } = await importImageFolder(db.prisma, dir, { name: "my-images" });
  expect(examples).toBe(3);
  expect(dataset).toMatchObject({ modality: "IMAGE", size: 3 });
  const rows = await db.prisma.example.findMany({ where: { datasetId: dataset.id }, orderBy: { index: "asc" } });
  expect(rows.map((r) => r.tags)).toEqual([["class:blue"], ["class:blue"], ["class:red"]]);
  const decoded = rows.map((r) => PNG.sync.read(Buffer.from(r.image!)));
  expect(decoded.map((d) => [d.width, d.height])).toEqual([
    [8, 4],
    [4, 4],
    [8, 8],
  ]);
  expect([...decoded[2].data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  // again: nothing duplicated
  expect((await importImageFolder(db.prisma, dir, { name: "my-images" })).dataset.size).toBe(3);

  const broken = path.join(tmp, "broken");
  mkdirSync(broken);
  writeFileSync(path.join(broken, "x.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  await expect(importImageFolder(db.prisma, broken, { name: "broken" })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringContaining("x.png"),
  });
  expect(await db.prisma.dataset.count({ where: { name: "broken" } })).toBe(0);
});

it("imports JSONL texts (strings or { text, tags }) and names the bad line", async () => {
  const file = path.join(tmp, "texts.jsonl");
  writeFileSync(file, `"a red circle"\n{"text": "a blue square", "tags": ["color:blue"]}\n\n`);
  const { dataset } = await importTextJsonl(db.prisma, file, { name: "my-texts" });
  const rows = await db.prisma.example.findMany({ where: { datasetId: dataset.id }, orderBy: { index: "asc" } });
  expect(rows.map((r) => [r.text, r.tags])).toEqual([
    ["a red circle", []],
    ["a blue square", ["color:blue"]],
  ]);
  writeFileSync(file, `"ok"\n{"txt": 1}\n`);
  await expect(importTextJsonl(db.prisma, file, { name: "bad-texts" })).rejects.toMatchObject({
    message: expect.stringMatching(/line 2/),
  });
});
