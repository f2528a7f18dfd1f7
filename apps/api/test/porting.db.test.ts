// Imports and removals over the API: importSae / removeDictionary / removeModel need an admin (role or
// admin-scoped token) and read folders only inside IMPORT_ROOTS; an SAE written here is imported, built with
// startAtlasBuild, probed, refused on a second import, replaced (old units removed, counts reported) and removed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ingestShapesDataset } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { PNG } from "pngjs";
import { writeHfClipExport } from "../../../libs/porting/test/fixtures/hf-clip-workspace";
import { writeSaeLensFolder } from "../../../libs/porting/test/fixtures/saelens-folder";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";

jest.setTimeout(300_000);
let db: TestDatabase;
let api: ApiServer;
let datasetId: string;
const tokens: Record<string, string> = {};
const tmp = mkdtempSync(path.join(tmpdir(), "api-porting-"));
const inbox = path.join(tmp, "inbox");
const saved = { IMPORT_ROOTS: process.env.IMPORT_ROOTS, DATA_DIR: process.env.DATA_DIR };
const q = (query: string, variables?: Record<string, unknown>, token?: string) => gql(api.url, query, variables, token);
const IMPORT = `mutation($i: ImportSaeInput!) { importSae(input: $i) { dictionary { name architecture dSae } replaced removedUnits removedAnnotations } }`;
const REMOVE = `mutation($m: String!, $n: String!) { removeDictionary(model: $m, name: $n) { kind name units annotations deletedFolders } }`;
const PROBE = `query($i: ProbeInput!) { probe(input: $i) { unit { value } topUnits { index value } } }`;

beforeAll(async () => {
  process.env.IMPORT_ROOTS = inbox;
  process.env.DATA_DIR = path.join(tmp, "data");
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, log: () => {} });
  for (const name of ["admin", "alice"]) {
    await q(`mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    tokens[name] = (
      await q(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: `${name}@example.org`, password: "correct horse battery" },
      })
    ).data.login.token;
  }
  tokens.adminRead = (
    await q(`mutation { createApiToken(input: { name: "ro", scopes: [READ] }) { secret } }`, undefined, tokens.admin)
  ).data.createApiToken.secret;
  await registerModelFromManifest(db.prisma, builtinModelDir());
  datasetId = (await ingestShapesDataset(db.prisma, { name: "api-porting", seed: 3, images: 24, texts: 0 })).id;
  writeSaeLensFolder(path.join(inbox, "my-sae"), {
    dIn: 64,
    dSae: 48,
    architecture: "jumprelu",
    dtype: "BF16",
    hookName: "vision.blocks.1.hook_resid_post",
  });
  writeSaeLensFolder(path.join(inbox, "my-sae-v2"), {
    dIn: 64,
    dSae: 20,
    architecture: "standard",
    hookName: "vision.blocks.1.hook_resid_post",
    seed: 9,
  });
});
afterAll(async () => {
  await api?.close();
  await db?.close();
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  rmSync(tmp, { recursive: true, force: true });
});

/** startAtlasBuild as an admin, then its job's end state */
async function buildAndWait(input: Record<string, unknown>) {
  const start = await q(
    `mutation($i: StartAtlasBuildInput!) { startAtlasBuild(input: $i) { id } }`,
    { i: input },
    tokens.admin,
  );
  expect(start.errors).toBeUndefined();
  return { jobId: start.data.startAtlasBuild.id as string, ended: await untilDone(start.data.startAtlasBuild.id) };
}

async function untilDone(jobId: string) {
  for (let i = 0; i < 600; i++) {
    const job = (await q(`query($id: ID!) { job(id: $id) { status error } }`, { id: jobId }, tokens.admin)).data.job;
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("build did not finish");
}

test("only admins import, and only from the import roots", async () => {
  const i = { folder: "my-sae", model: "clip-shapes" };
  expect(codeOf(await q(IMPORT, { i }))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(IMPORT, { i }, tokens.alice))).toBe("FORBIDDEN");
  expect(codeOf(await q(IMPORT, { i }, tokens.adminRead))).toBe("FORBIDDEN");
  for (const folder of ["../", "/etc", builtinModelDir()]) {
    const r = await q(IMPORT, { i: { ...i, folder } }, tokens.admin);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(/inside the import roots/);
  }
  expect(await db.prisma.dictionary.count({ where: { name: "my-sae" } })).toBe(0);
});

test("import → build → probe → refuse again → replace → remove, over GraphQL", async () => {
  const imported = await q(IMPORT, { i: { folder: "my-sae", model: "clip-shapes" } }, tokens.admin);
  expect(imported.errors).toBeUndefined();
  expect(imported.data.importSae).toEqual({
    dictionary: { name: "my-sae", architecture: "JUMPRELU", dSae: 48 },
    replaced: false,
    removedUnits: 0,
    removedAnnotations: 0,
  });

  const model = await db.prisma.model.findUniqueOrThrow({ where: { name: "clip-shapes" } });
  const build = await buildAndWait({
    modelId: model.id,
    datasetId,
    hooks: [],
    dictionaries: ["my-sae"],
    k: 3,
    batchSize: 8,
    probeSize: 24,
    causalUnits: 0,
  });
  expect(build.ended).toEqual({ status: "SUCCEEDED", error: null });
  // the build queued the label scoring of its features; the runner runs it next (removals wait for active jobs)
  const built = await db.prisma.job.findUniqueOrThrow({ where: { id: build.jobId } });
  const scoringId = (built.metrics as { labelScoringJobId?: string }).labelScoringJobId!;
  expect(await untilDone(scoringId)).toEqual({ status: "SUCCEEDED", error: null });
  const units = await db.prisma.unit.findMany({ where: { dictionary: { name: "my-sae" } }, orderBy: { index: "asc" } });
  expect(units).toHaveLength(48);

  const png = new PNG({ width: 32, height: 32 });
  png.data.fill(200);
  const probed = await q(
    PROBE,
    { i: { modelId: "clip-shapes", image: PNG.sync.write(png).toString("base64"), unitId: units[5].slug, topN: 4 } },
    tokens.alice,
  );
  expect(probed.errors).toBeUndefined();
  expect(probed.data.probe.topUnits).toHaveLength(4);
  expect(probed.data.probe.unit.value).toBeGreaterThanOrEqual(0);
  const again = await q(IMPORT, { i: { folder: "my-sae-v2", model: "clip-shapes", name: "my-sae" } }, tokens.admin);
  expect(codeOf(again)).toBe("CONFLICT");
  const replaced = await q(
    IMPORT,
    { i: { folder: "my-sae-v2", model: "clip-shapes", name: "my-sae", replace: true } },
    tokens.admin,
  );
  expect(replaced.data.importSae).toEqual({
    dictionary: { name: "my-sae", architecture: "RELU", dSae: 20 },
    replaced: true,
    removedUnits: 48,
    removedAnnotations: 0,
  });
  expect(await db.prisma.unit.count({ where: { dictionary: { name: "my-sae" } } })).toBe(0);

  expect(codeOf(await q(REMOVE, { m: "clip-shapes", n: "my-sae" }, tokens.alice))).toBe("FORBIDDEN");
  const removed = await q(REMOVE, { m: "clip-shapes", n: "my-sae" }, tokens.admin);
  expect(removed.data.removeDictionary).toEqual({
    kind: "dictionary",
    name: "my-sae",
    units: 0,
    annotations: 0,
    deletedFolders: 1,
  });
  expect(codeOf(await q(REMOVE, { m: "clip-shapes", n: "my-sae" }, tokens.admin))).toBe("NOT_FOUND");
  expect(await db.prisma.dictionary.count({ where: { name: "my-sae" } })).toBe(0);
});

test("importModel takes a Hugging Face CLIP export as it is; the new model probes at once", async () => {
  writeHfClipExport(path.join(inbox, "tiny-hf-export"));
  const MODEL = `mutation($i: ImportModelInput!) { importModel(input: $i) { model { name modality } hookPoints dictionaries notes } }`;
  expect(codeOf(await q(MODEL, { i: { folder: "tiny-hf-export", name: "tiny-hf" } }, tokens.alice))).toBe("FORBIDDEN");
  const r = await q(MODEL, { i: { folder: "tiny-hf-export", name: "tiny-hf" } }, tokens.admin);
  expect(r.errors).toBeUndefined();
  expect(r.data.importModel).toEqual({
    model: { name: "tiny-hf", modality: "IMAGE_TEXT" },
    hookPoints: 12,
    dictionaries: 0,
    // the same lines the CLI prints under its hook table: the weights it found (a float32 export: no precision line)
    notes: [
      expect.stringMatching(
        /^weights: vision 2\/2 layers \+ read-out \+ embeddings, text 2\/2 layers \+ read-out \+ embeddings → weights\.safetensors/,
      ),
    ],
  });
  expect(codeOf(await q(MODEL, { i: { folder: "tiny-hf-export", name: "tiny-hf" } }, tokens.admin))).toBe("CONFLICT");
  // a transformers.js dtype the import cannot read is a typed error that says why
  const bnb4 = await q(MODEL, { i: { folder: "tiny-hf-export", name: "tiny-hf-bnb4", dtype: "bnb4" } }, tokens.admin);
  expect(codeOf(bnb4)).toBe("BAD_USER_INPUT");
  expect(bnb4.errors![0].message).toMatch(/^dtype bnb4 is not supported: 4-bit MatMulBnb4 weights are not read/);
  // a dtype whose files the export does not have: the error names the files it looked for
  const fp16 = await q(MODEL, { i: { folder: "tiny-hf-export", name: "tiny-hf-fp16", dtype: "fp16" } }, tokens.admin);
  expect(codeOf(fp16)).toBe("BAD_USER_INPUT");
  expect(fp16.errors![0].message).toMatch(/tiny-hf-export has neither onnx\/vision_model_fp16\.onnx/);
  const probed = await q(
    PROBE,
    { i: { modelId: "tiny-hf", text: "a photo of a red circle", hookPointId: "text.blocks.0.mlp.hook_post", topN: 3 } },
    tokens.alice,
  );
  expect(probed.errors).toBeUndefined();
  expect(probed.data.probe.topUnits).toHaveLength(3);
  const removed = await q(
    `mutation { removeModel(model: "tiny-hf") { kind dictionaries deletedFolders } }`,
    undefined,
    tokens.admin,
  );
  expect(removed.data.removeModel).toEqual({ kind: "model", dictionaries: 0, deletedFolders: 1 });
});

test("a Hugging Face model's text units show its own BPE tokens over GraphQL, one per stored value", async () => {
  writeHfClipExport(path.join(inbox, "tiny-hf-tokens"));
  const MODEL = `mutation($i: ImportModelInput!) { importModel(input: $i) { model { id } } }`;
  const imported = await q(MODEL, { i: { folder: "tiny-hf-tokens", name: "tiny-hf-tokens" } }, tokens.admin);
  expect(imported.errors).toBeUndefined();
  const texts = await ingestShapesDataset(db.prisma, { name: "api-porting-texts", seed: 5, images: 0, texts: 24 });
  const build = await buildAndWait({
    modelId: imported.data.importModel.model.id,
    datasetId: texts.id,
    hooks: ["text.blocks.1.mlp.hook_post"],
    k: 4,
    batchSize: 8,
    probeSize: 24,
    causalUnits: 0,
  });
  expect(build.ended).toEqual({ status: "SUCCEEDED", error: null });

  const unit = await db.prisma.unit.findFirstOrThrow({
    where: { model: { name: "tiny-hf-tokens" }, hookPoint: { name: "text.blocks.1.mlp.hook_post" } },
    orderBy: { index: "asc" },
  });
  const FIELDS = `values tokens maxValue example { text }`;
  const page = await q(
    `query($id: ID!) { unit(id: $id) { topActivations { ${FIELDS} } quantileActivations { ${FIELDS} } } }`,
    { id: unit.id },
    tokens.adminRead,
  );
  expect(page.errors).toBeUndefined();
  const rows: { values: number[]; tokens: string[]; maxValue: number; example: { text: string } }[] = [
    ...page.data.unit.topActivations,
    ...page.data.unit.quantileActivations,
  ];
  expect(rows.length).toBeGreaterThanOrEqual(4);
  for (const row of rows) {
    // CLIP's BPE: <|startoftext|>, the lowercased caption's pieces (whitespace dropped), <|endoftext|>
    expect(row.tokens[0]).toBe("<|startoftext|>");
    expect(row.tokens.at(-1)).toBe("<|endoftext|>");
    expect(row.tokens.slice(1, -1).join("")).toBe(row.example.text.toLowerCase().replace(/\s+/g, ""));
    // the build stores a value per token, not the 77 padded positions
    expect(row.values).toHaveLength(row.tokens.length);
    expect(Math.max(...row.values)).toBeCloseTo(row.maxValue, 5);
  }
});
