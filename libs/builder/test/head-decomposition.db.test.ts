// TextSpan head decomposition on the built-in model (PGlite, or PostgreSQL under TEST_DATABASE_URL): the direct
// terms rebuilt from the weights and real activations reproduce the model's own attention outputs and ln_final input;
// a HEAD_DECOMPOSITION job stores one row per vision head (shares ≤ 1 in sum, TextSpan texts, ablation table); a
// failing run leaves the stored rows alone; a model without a weights file is refused with a typed reason.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { isAppError } from "@mmatlas/errors";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { createAtlasBuildJob, executeJob } from "../src";
import { examplePixels, readExamples } from "../src/pass/examples";
import { decomposeImages } from "../src/head-decomposition/decompose-images";
import { loadHeadWeights } from "../src/head-decomposition/head-weights";
import {
  createHeadDecompositionJob,
  modelHeadDecompositionSupport,
  openDecompositionRunner,
} from "../src/head-decomposition/head-decomposition-job";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  setup = await smallSetup(db.prisma, 96, 8);
  // an atlas of both vision attention hooks creates the 8 ATTENTION_HEAD units the rows hang on
  const build = await createAtlasBuildJob(db.prisma, {
    ...setup.params,
    hooks: ["vision.blocks.0.attn.hook_pattern", "vision.blocks.1.attn.hook_pattern"],
    dictionaries: [],
    causalUnits: 0,
    scoreLabels: false,
  } as Parameters<typeof createAtlasBuildJob>[1]);
  expect((await executeJob(db.prisma, build.id)).status).toBe("SUCCEEDED");
});
afterAll(() => db?.close());

test("the direct terms reproduce the model's attention outputs and the ln_final input on real activations", async () => {
  const extra = [0, 1].flatMap((l) => [
    { name: `test.attn_out.${l}`, tensor: `vision.blocks.${l}.hook_attn_out` },
    { name: `test.mlp_out.${l}`, tensor: `vision.blocks.${l}.hook_mlp_out` },
  ]);
  const { runner, hooks, layers } = await openDecompositionRunner(db.prisma, setup.model, extra);
  expect(layers).toBe(2);
  // layer 0's input is found in the graph: the built-in export names it vision.hook_embed
  expect(runner.manifest.hookPoints.find((h) => h.name === hooks.layerInput)?.tensor).toBe("vision.hook_embed");
  const w = loadHeadWeights(runner.manifest, runner.dir, layers);
  const rows = await readExamples(db.prisma, setup.dataset.id, "VISION", -1, 24);
  const n = rows.length;
  const seen: Record<string, Float32Array> = {};
  const dec = await decomposeImages(runner, examplePixels(runner, rows), n, w, hooks, {
    batchSize: 10,
    keepResidual: true,
    extraHooks: [...extra.map((x) => x.name), hooks.residPost[1]],
    onHooks: (start, out) => {
      for (const [k, v] of Object.entries(out)) {
        const all = (seen[k] ??= new Float32Array((v.data.length / v.dims[0]) * n));
        all.set(v.data, (start * v.data.length) / v.dims[0]);
      }
    },
  });
  const d = w.readout.dModel,
    H = dec.heads,
    T = 17;
  let worst = 0,
    scale = 0;
  for (let a = 0; a < n; a++) {
    const total = Float64Array.from(dec.residual!.embed.subarray(a * d, (a + 1) * d));
    for (let l = 0; l < layers; l++) {
      const attn = seen[`test.attn_out.${l}`].subarray(a * T * d, a * T * d + d); // CLS row
      const mlp = seen[`test.mlp_out.${l}`].subarray(a * T * d, a * T * d + d);
      for (let i = 0; i < d; i++) {
        let heads = w.bO[l][i];
        for (let h = 0; h < H; h++) heads += dec.residual!.heads[(a * layers * H + l * H + h) * d + i];
        // Σ_h c_{l,h} + b_O is the block's attention output at CLS
        worst = Math.max(worst, Math.abs(heads - attn[i]));
        scale = Math.max(scale, Math.abs(attn[i]));
        total[i] += heads + mlp[i];
      }
    }
    // embedding + every head + every b_O + every MLP (the model's own hook_mlp_out) = the ln_final input
    const final = seen[hooks.residPost[1]].subarray(a * T * d, a * T * d + d);
    for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(total[i] - final[i]));
  }
  expect(scale).toBeGreaterThan(0.1);
  expect(worst).toBeLessThan(1e-3);
  // the linearised read-out rebuilds the model's embedding direction
  for (let a = 0; a < n; a++) {
    let dot = 0,
      zz = 0,
      mm = 0;
    for (let i = 0; i < dec.embedDim; i++) {
      dot += dec.z[a * dec.embedDim + i] * dec.modelEmbeds[a * dec.embedDim + i];
      zz += dec.z[a * dec.embedDim + i] ** 2;
      mm += dec.modelEmbeds[a * dec.embedDim + i] ** 2;
    }
    expect(dot / Math.sqrt(zz * mm)).toBeGreaterThan(0.99999);
  }
});

test("a HEAD_DECOMPOSITION job stores every vision head's share, TextSpan texts and ablation", async () => {
  const job = await createHeadDecompositionJob(db.prisma, {
    modelId: setup.model.id,
    datasetId: setup.dataset.id,
    sampleSize: 96,
  });
  const started = Date.now();
  const done = await executeJob(db.prisma, job.id);
  const seconds = (Date.now() - started) / 1000;
  expect(done.error).toBeNull();
  expect(done.status).toBe("SUCCEEDED");
  const metrics = done.metrics as {
    heads: number;
    stored: number;
    embeddingMismatch: number;
    attentionMismatch: number | null;
    headShare: number;
  };
  expect(metrics.heads).toBe(8);
  expect(metrics.stored).toBe(8);
  expect(metrics.embeddingMismatch).toBeLessThan(1e-5);
  // the job's own check against the graph's resid_mid: Σ_h c_{l,h} + b_O is the attention output
  expect(metrics.attentionMismatch).not.toBeNull();
  expect(metrics.attentionMismatch!).toBeLessThan(1e-4);
  const rows = await db.prisma.headDecomposition.findMany({
    where: { modelId: setup.model.id },
    include: { unit: { select: { kind: true, index: true, hookPoint: { select: { layer: true } } } } },
  });
  expect(rows).toHaveLength(8);
  const shareSum = rows.reduce((s, r) => s + r.share, 0);
  expect(shareSum).toBeLessThanOrEqual(1 + 1e-9);
  expect(shareSum).toBeCloseTo(metrics.headShare, 6);
  for (const r of rows) {
    expect(r.unit.kind).toBe("ATTENTION_HEAD");
    expect([r.unit.hookPoint.layer, r.unit.index]).toEqual([r.layer, r.head]);
    expect(r.share).toBeGreaterThan(0);
    expect(r.sampleSize).toBe(96);
    expect(r.jobId).toBe(job.id);
    const texts = r.texts as { text: string; explainedVariance: number }[];
    expect(texts).toHaveLength(5);
    expect(new Set(texts.map((t) => t.text)).size).toBe(5);
    const explained = texts.reduce((s, t) => s + t.explainedVariance, 0);
    expect(explained).toBeGreaterThan(0);
    expect(explained).toBeLessThanOrEqual(1 + 1e-6);
    const ablation = r.ablation as { task: string; before: number; after: number; delta: number; examples: number }[];
    expect(ablation.map((a) => a.task).sort()).toEqual(["color", "shape"]);
    for (const a of ablation) {
      expect(a.examples).toBeGreaterThan(0);
      expect(a.delta).toBeCloseTo(a.after - a.before, 5);
    }
  }
  // accuracy before ablation is one figure per task, the same for every head
  const before = new Set(
    rows.flatMap((r) => (r.ablation as { task: string; before: number }[]).map((a) => `${a.task}:${a.before}`)),
  );
  expect(before.size).toBe(2);
  console.log(
    `head decomposition of 96 images: ${seconds.toFixed(2)} s; attention mismatch ${metrics.attentionMismatch!.toExponential(1)}, embedding mismatch ${metrics.embeddingMismatch.toExponential(1)}; ` +
      rows
        .sort((a, b) => b.share - a.share)
        .slice(0, 3)
        .map(
          (r) =>
            `L${r.layer}H${r.head} ${(r.share * 100).toFixed(1)}% ${(r.texts as { text: string }[]).map((t) => t.text).join(", ")}`,
        )
        .join(" | "),
  );
});

test("a failing run leaves the stored rows alone", async () => {
  const before = await db.prisma.headDecomposition.findMany({
    where: { modelId: setup.model.id },
    orderBy: { id: "asc" },
  });
  expect(before).toHaveLength(8);
  const job = await createHeadDecompositionJob(db.prisma, { modelId: setup.model.id, datasetId: setup.dataset.id });
  await db.prisma.job.update({
    where: { id: job.id },
    data: { params: { ...(job.params as object), datasetId: "no-such-dataset" } },
  });
  const done = await executeJob(db.prisma, job.id);
  expect(done.status).toBe("FAILED");
  expect(done.error).toMatch(/NOT_FOUND/);
  const after = await db.prisma.headDecomposition.findMany({
    where: { modelId: setup.model.id },
    orderBy: { id: "asc" },
  });
  expect(after).toEqual(before);
});

test("a model without a weights file is refused with a typed reason; text heads are not decomposed", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mmatlas-noweights-"));
  try {
    cpSync(builtinModelDir(), dir, { recursive: true });
    rmSync(path.join(dir, "weights.safetensors"));
    const manifest = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8"));
    writeFileSync(path.join(dir, "model.json"), JSON.stringify({ ...manifest, name: "clip-shapes-noweights" }));
    const { model } = await registerModelFromManifest(db.prisma, dir);
    expect(modelHeadDecompositionSupport(model, { kind: "ATTENTION_HEAD", tower: "VISION" })).toMatchObject({
      available: false,
      code: "NO_WEIGHTS",
    });
    let err: unknown;
    try {
      await createHeadDecompositionJob(db.prisma, { modelId: model.id, datasetId: setup.dataset.id });
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code === "BAD_USER_INPUT" && /NO_WEIGHTS/.test(err.message)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(modelHeadDecompositionSupport(setup.model, { kind: "ATTENTION_HEAD", tower: "TEXT" })).toMatchObject({
    available: false,
    code: "TEXT_TOWER_HEAD",
  });
  expect(modelHeadDecompositionSupport(setup.model, { kind: "ATTENTION_HEAD", tower: "VISION" }).available).toBe(true);
});
