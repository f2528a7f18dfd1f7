// The life of an imported SAE on a fresh database (PGlite, or PostgreSQL under TEST_DATABASE_URL), with SAELens
// folders written here as an outside tool would: import → build → probe works for JumpReLU (BF16), gated and
// legacy-cfg TopK (F16) SAEs; refused imports (attention-pattern hook, NaN weights, taken name) leave nothing
// behind and never break the probe; --replace removes the old units and says so; a dictionary whose files break
// later fails only its own probes; remove takes rows, units and files together.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAtlasBuildJob, executeJob, ingestShapesDataset } from "@mmatlas/builder";
import { dictionaryFolder, registerModelFromManifest } from "@mmatlas/catalog";
import { type Model } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { PNG } from "pngjs";
import { probe, ProbeRegistry } from "@mmatlas/probe";
import { importSae, removeDictionary, removeModel } from "../src";
import { writeSaeLensFolder } from "./fixtures/saelens-folder";

jest.setTimeout(300_000);
let db: TestDatabase;
let model: Model;
let datasetId: string;
let registry: ProbeRegistry;
const tmp = mkdtempSync(path.join(tmpdir(), "sae-life-"));
const dataDir = path.join(tmp, "data");
const RESID1 = "vision.blocks.1.hook_resid_post";
const TEXT_RESID1 = "text.blocks.1.hook_resid_post";
const gray = (() => {
  const png = new PNG({ width: 32, height: 32 });
  for (let i = 0; i < 32 * 32; i++) png.data.set([i % 32 < 16 ? 220 : 40, 90, (i >> 5) * 8, 255], i * 4);
  return PNG.sync.write(png);
})();

beforeAll(async () => {
  db = await createTestDatabase();
  model = (await registerModelFromManifest(db.prisma, builtinModelDir())).model;
  datasetId = (await ingestShapesDataset(db.prisma, { name: "tiny-sae-life", seed: 5, images: 32, texts: 16 })).id;
  registry = new ProbeRegistry(db.prisma, { rowsTtlMs: 0 });
});
afterAll(async () => {
  await registry?.close();
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const build = async (dictionaries: string[]) => {
  const job = await createAtlasBuildJob(db.prisma, {
    modelId: model.id,
    datasetId,
    hooks: [],
    dictionaries,
    k: 4,
    batchSize: 16,
    probeSize: 16,
    causalUnits: 0,
    maxUnits: 12,
  });
  const done = await executeJob(db.prisma, job.id);
  // the label scoring the build queued runs next, as a job runner runs it (removal waits for active jobs)
  const scoring = (done.metrics as { labelScoringJobId?: string } | null)?.labelScoringJobId;
  if (scoring) expect((await executeJob(db.prisma, scoring)).status).toBe("SUCCEEDED");
  return done;
};
const probeImage = (input: { unitId?: string; dictionaryId?: string; hookPointId?: string }, reg = registry) =>
  probe(db.prisma, { modelId: model.name, image: gray.toString("base64"), topN: 3, ...input }, { registry: reg });
const leftovers = () =>
  existsSync(dataDir)
    ? readdirSync(path.join(dataDir, "saes", "clip-shapes")).filter(
        (f) => f.includes(".importing-") || f.includes(".replaced-"),
      )
    : [];

test("an imported JumpReLU SAE in BF16 is built into the atlas and probed like a built-in one", async () => {
  const src = writeSaeLensFolder(path.join(tmp, "jr"), {
    dIn: 64,
    dSae: 200,
    architecture: "jumprelu",
    dtype: "BF16",
    hookName: RESID1,
  });
  const { dictionary, folder, replaced } = await importSae(db.prisma, src, {
    model: "clip-shapes",
    name: "jr-200",
    dataDir,
  });
  expect(dictionary).toMatchObject({ name: "jr-200", architecture: "JUMPRELU", dIn: 64, dSae: 200 });
  expect(replaced).toBeNull();
  expect(path.isAbsolute(dictionary.weightsPath)).toBe(false);
  expect(dictionaryFolder(model, dictionary)).toBe(folder);
  expect(existsSync(path.join(folder, "sae_weights.safetensors"))).toBe(true);
  expect(await db.prisma.unit.count({ where: { dictionaryId: dictionary.id } })).toBe(0);

  const done = await build(["jr-200"]);
  expect(done.error).toBeNull();
  expect(done.status).toBe("SUCCEEDED");
  const units = await db.prisma.unit.findMany({ where: { dictionaryId: dictionary.id }, orderBy: { index: "asc" } });
  expect(units).toHaveLength(12);
  expect(units[3].slug).toBe(`clip-shapes/${RESID1}/jr-200/3`);
  const r = await probeImage({ unitId: units[3].slug });
  expect(r.unit?.unit.id).toBe(units[3].id);
  expect(r.dictionary?.name).toBe("jr-200");
  expect(r.topUnits).toHaveLength(3);
});

test("gated and legacy-cfg TopK (F16) SAEs import with the right architecture and run", async () => {
  const gated = writeSaeLensFolder(path.join(tmp, "gated"), {
    dIn: 64,
    dSae: 96,
    architecture: "gated",
    hookName: RESID1,
    seed: 3,
  });
  const g = await importSae(db.prisma, gated, { model: model.id, dataDir });
  expect(g.dictionary).toMatchObject({ name: "gated", architecture: "GATED", dSae: 96 });
  const legacy = writeSaeLensFolder(path.join(tmp, "legacy-topk"), {
    dIn: 64,
    dSae: 128,
    architecture: "topk",
    k: 8,
    legacy: true,
    dtype: "F16",
    hookName: TEXT_RESID1,
  });
  const t = await importSae(db.prisma, legacy, { model: "clip-shapes", dataDir });
  expect(t.dictionary).toMatchObject({ architecture: "TOPK", dSae: 128 });
  const img = await probeImage({ dictionaryId: "gated" });
  expect(img.topUnits.map((u) => u.kind)).toEqual(["SAE_FEATURE", "SAE_FEATURE", "SAE_FEATURE"]);
  const text = await probe(
    db.prisma,
    { modelId: "clip-shapes", text: "a red circle", dictionaryId: "legacy-topk", topN: 10 },
    { registry },
  );
  expect(text.dictionary?.architecture).toBe("TOPK");
  expect(text.topUnits[0].value).toBeGreaterThan(0);
});

test("refused imports leave nothing behind and never break the probe", async () => {
  const before = await db.prisma.dictionary.count();
  const attn = writeSaeLensFolder(path.join(tmp, "attn-d4"), {
    dIn: 4,
    dSae: 16,
    architecture: "standard",
    hookName: "vision.blocks.0.attn.hook_pattern",
  });
  await expect(importSae(db.prisma, attn, { model: "clip-shapes", dataDir })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(/attention pattern/),
  });
  const nan = writeSaeLensFolder(path.join(tmp, "nan"), {
    dIn: 64,
    dSae: 32,
    architecture: "standard",
    hookName: RESID1,
    nanTensor: "W_enc",
    nanCount: 3,
  });
  await expect(importSae(db.prisma, nan, { model: "clip-shapes", dataDir })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(/W_enc" has 3 non-finite values/),
  });
  const nanThreshold = writeSaeLensFolder(path.join(tmp, "nan-threshold"), {
    dIn: 64,
    dSae: 32,
    architecture: "jumprelu",
    hookName: RESID1,
    nanTensor: "threshold",
  });
  await expect(importSae(db.prisma, nanThreshold, { model: "clip-shapes", dataDir })).rejects.toMatchObject({
    message: expect.stringMatching(/threshold" has 32 non-finite/),
  });
  expect(await db.prisma.dictionary.count()).toBe(before);
  for (const name of ["attn-d4", "nan", "nan-threshold"])
    expect(existsSync(path.join(dataDir, "saes", "clip-shapes", name))).toBe(false);
  expect(leftovers()).toEqual([]);
  const ok = await probeImage({ hookPointId: "vision.blocks.0.mlp.hook_post" });
  expect(ok.topUnits).toHaveLength(3);
});

test("re-import under a taken name is refused; --replace removes the old units and says how many", async () => {
  const other = writeSaeLensFolder(path.join(tmp, "jr-new"), {
    dIn: 64,
    dSae: 40,
    architecture: "standard",
    hookName: RESID1,
    seed: 11,
  });
  await expect(importSae(db.prisma, other, { model: "clip-shapes", name: "jr-200", dataDir })).rejects.toMatchObject({
    code: "CONFLICT",
    message: expect.stringMatching(/--replace/),
  });
  const old = await db.prisma.dictionary.findFirstOrThrow({ where: { name: "jr-200" } });
  expect(old.dSae).toBe(200);
  const r = await importSae(db.prisma, other, { model: "clip-shapes", name: "jr-200", dataDir, replace: true });
  expect(r.replaced).toEqual({ units: 12, annotations: 0, architecture: "JUMPRELU", dSae: 200 });
  expect(r.dictionary).toMatchObject({ id: old.id, architecture: "RELU", dSae: 40 });
  expect(await db.prisma.unit.count({ where: { dictionaryId: old.id } })).toBe(0);
  expect(leftovers()).toEqual([]);
  const top = await probeImage({ dictionaryId: "jr-200" });
  expect(top.topUnits.every((u) => u.index < 40 && u.unit === null)).toBe(true);
});

test("a dictionary whose files break after import fails only the probes that use it (UNAVAILABLE)", async () => {
  const d = await db.prisma.dictionary.findFirstOrThrow({ where: { name: "gated" } });
  rmSync(path.join(dictionaryFolder(model, d), "sae_weights.safetensors"));
  const fresh = new ProbeRegistry(db.prisma, { rowsTtlMs: 0 }); // a new process: the runner is opened from the rows
  try {
    await expect(probeImage({ dictionaryId: "gated" }, fresh)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringMatching(/dictionary gated cannot run/),
    });
    expect((await probeImage({ dictionaryId: "jr-200" }, fresh)).topUnits).toHaveLength(3);
    expect((await probeImage({ hookPointId: RESID1 }, fresh)).topUnits).toHaveLength(3);
    const text = await probe(
      db.prisma,
      { modelId: "clip-shapes", text: "a blue square", dictionaryId: "legacy-topk" },
      { registry: fresh },
    );
    expect(text.topUnits.length).toBeGreaterThan(0);
  } finally {
    await fresh.close();
  }
});

test("remove sae and remove model take rows, units and copied files together", async () => {
  const d = await db.prisma.dictionary.findFirstOrThrow({ where: { name: "legacy-topk" } });
  const folder = dictionaryFolder(model, d);
  const r = await removeDictionary(db.prisma, "clip-shapes", "legacy-topk", { dataDir });
  expect(r).toMatchObject({ kind: "dictionary", units: 0, deletedFolders: [folder] });
  expect(existsSync(folder)).toBe(false);
  expect(await db.prisma.dictionary.count({ where: { name: "legacy-topk" } })).toBe(0);
  await expect(removeDictionary(db.prisma, "clip-shapes", "legacy-topk", { dataDir })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });

  const units = await db.prisma.unit.count({ where: { modelId: model.id } });
  const all = await removeModel(db.prisma, "clip-shapes", { dataDir });
  expect(all).toMatchObject({ kind: "model", units, dictionaries: 8 });
  expect(await db.prisma.model.count()).toBe(0);
  expect(await db.prisma.unit.count()).toBe(0);
  expect(existsSync(path.join(dataDir, "saes", "clip-shapes"))).toBe(false);
  expect(existsSync(path.join(builtinModelDir(), "model.json"))).toBe(true); // committed assets outside DATA_DIR stay
});
