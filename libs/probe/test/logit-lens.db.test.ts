// Logit lens in the live probe on the built-in model: the last layer's CLS read-out through ln_final + proj
// (computed here from the weights file, independently of the lens code) is the image embedding the model
// outputs; the grid has a row per resid_post layer and a cell per position; a red circle reads "red" at the
// last layer; texts per token; custom lens texts; a model without a weights file → unavailable with a reason.
import path from "node:path";
import { readSafetensors } from "@mmatlas/inference";
import { modelDirectory } from "@mmatlas/catalog";
import { isAppError } from "@mmatlas/errors";
import { ProbeRegistry, probe, type ProbeInput } from "../src";
import { DEFAULT_LENS_CONCEPTS } from "../src/logit-lens";
import { classEmbeddings } from "../src/text-bank";
import { builtinFixture, objectImage, type BuiltinFixture } from "./fixtures";

jest.setTimeout(180_000);

let fx: BuiltinFixture;
let registry: ProbeRegistry;

beforeAll(async () => {
  fx = await builtinFixture([]);
  registry = new ProbeRegistry(fx.db.prisma, { rowsTtlMs: 0 });
});
afterAll(async () => {
  await registry?.close();
  await fx?.db.close();
});

const run = (input: Omit<ProbeInput, "modelId">, reg = registry) =>
  probe(fx.db.prisma, { modelId: fx.model.id, logitLens: true, ...input }, { registry: reg });

const unit = (v: ArrayLike<number>) => {
  const n = Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
  return Array.from(v, (x) => x / n);
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

async function expectError(p: Promise<unknown>, code: string, field?: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isAppError(e)).toBe(true);
  if (!isAppError(e)) return;
  expect(e.code).toBe(code);
  if (field) expect(e.details?.field).toBe(field);
}

test("the last layer's CLS read-out (LN + proj from the weights file) is the model's own image embedding", async () => {
  const runner = await registry.runner(await registry.rows(fx.model.id));
  const act = await runner.runImage(Buffer.from(objectImage("red", "circle", 5), "base64"));
  const w = readSafetensors(path.join(modelDirectory(fx.model), "weights.safetensors")).tensors;
  const resid = act.hooks["vision.blocks.1.hook_resid_post"].data;
  const d = 64,
    e = runner.embedDim;
  const cls = Array.from(resid.subarray(0, d));
  const mean = cls.reduce((a, b) => a + b, 0) / d;
  const variance = cls.reduce((a, b) => a + (b - mean) ** 2, 0) / d;
  const eps = (fx.model.config as { config: { lnEps: number } }).config.lnEps;
  const ln = cls.map(
    (x, i) =>
      ((x - mean) / Math.sqrt(variance + eps)) * w["vision.ln_final.w"].data[i] + w["vision.ln_final.b"].data[i],
  );
  const out = Array.from({ length: e }, (_, o) => ln.reduce((s, x, i) => s + x * w["vision.proj"].data[i * e + o], 0));
  expect(dot(unit(out), unit(act.embeds))).toBeGreaterThan(0.9999);
  // the lens reports the same agreement, and its last-layer CLS ranking is the zero-shot ranking of the embedding
  const r = await run({ image: objectImage("red", "circle", 5) });
  const lens = r.logitLens!;
  expect(lens.available).toBe(true);
  expect(lens.embeddingCosine).toBeGreaterThan(0.9999);
  const texts = await classEmbeddings(
    runner,
    DEFAULT_LENS_CONCEPTS.map((c) => c.prompt),
  );
  const emb = unit(act.embeds);
  const sims = DEFAULT_LENS_CONCEPTS.map((_, t) => dot(emb, Array.from(texts.subarray(t * e, t * e + e))));
  const best = sims.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]);
  expect(lens.cells[1][0].texts).toEqual(best.slice(0, 3).map(([, i]) => DEFAULT_LENS_CONCEPTS[i].label));
  lens.cells[1][0].scores.forEach((s, k) => expect(s).toBeCloseTo(best[k][0], 4));
});

test("grid: a row per resid_post layer, CLS + 4×4 patches per row, top-3 texts best first", async () => {
  const r = await run({ image: objectImage("blue", "square", 7) });
  const lens = r.logitLens!;
  expect(lens.tower).toBe("VISION");
  expect(lens.layers).toEqual([
    { layer: 0, hookPoint: "vision.blocks.0.hook_resid_post" },
    { layer: 1, hookPoint: "vision.blocks.1.hook_resid_post" },
  ]);
  expect([lens.gridRows, lens.gridCols, lens.prefix]).toEqual([4, 4, 1]);
  expect(lens.cells).toHaveLength(2);
  for (const row of lens.cells) {
    expect(row).toHaveLength(17);
    for (const c of row) {
      expect(c.texts).toHaveLength(3);
      expect(new Set(c.texts).size).toBe(3);
      expect(c.scores[0]).toBeGreaterThanOrEqual(c.scores[1]);
      expect(c.scores[1]).toBeGreaterThanOrEqual(c.scores[2]);
    }
  }
  // the layers differ (layer 0 is not just the final read-out again)
  expect(JSON.stringify(lens.cells[0])).not.toEqual(JSON.stringify(lens.cells[1]));
  // no unit or layer asked for: the probe still runs for the lens alone
  expect(r.topUnits).toEqual([]);
  expect(r.unit).toBeNull();
});

test("a red circle reads 'red' and 'circle' at the last layer's CLS", async () => {
  for (const seed of [21, 22, 23]) {
    const cls = (await run({ image: objectImage("red", "circle", seed) })).logitLens!.cells[1][0].texts;
    expect(cls).toContain("red");
    expect(cls).toContain("circle");
  }
});

test("text input: a cell per token up to <eos>; the <eos> read-out of the last layer is the text embedding", async () => {
  const r = await run({ text: "a red circle" });
  const lens = r.logitLens!;
  expect(lens.tower).toBe("TEXT");
  expect(lens.gridRows).toBeNull();
  expect(lens.prefix).toBe(0);
  expect(lens.cells.map((row) => row.length)).toEqual([r.tokens!.length, r.tokens!.length]);
  expect(lens.embeddingCosine).toBeGreaterThan(0.9999);
  expect(lens.cells[1][r.tokens!.length - 1].texts).toContain("circle");
});

test("custom lens texts are ranked instead; bad ones are refused; no lens unless asked", async () => {
  const r = await run({ image: objectImage("red", "circle", 9), lensTexts: ["a blue shape", "a red shape"] });
  expect(r.logitLens!.conceptCount).toBe(2);
  expect(r.logitLens!.cells[1][0].texts).toEqual(["a red shape", "a blue shape"]);
  await expectError(
    run({ image: objectImage("red", "circle", 9), lensTexts: ["only one"] }),
    "BAD_USER_INPUT",
    "lensTexts",
  );
  await expectError(
    run({ image: objectImage("red", "circle", 9), lensTexts: ["same", " same"] }),
    "BAD_USER_INPUT",
    "lensTexts",
  );
  const plain = await probe(
    fx.db.prisma,
    { modelId: fx.model.id, image: objectImage("red", "circle", 9), hookPointId: "vision.blocks.1.hook_resid_post" },
    { registry },
  );
  expect(plain.logitLens).toBeNull();
  await expectError(
    probe(fx.db.prisma, { modelId: fx.model.id, image: objectImage("red", "circle", 9) }, { registry }),
    "BAD_USER_INPUT",
    "unitId",
  );
});

test("a model whose manifest names no weights file: the lens is unavailable with a typed reason", async () => {
  const config = { ...(fx.model.config as Record<string, unknown>) };
  delete config.weights;
  const other = await fx.db.prisma.model.create({
    data: { ...fx.model, id: undefined, name: "clip-shapes-no-weights", config: config as object } as never,
  });
  const reg = new ProbeRegistry(fx.db.prisma, { rowsTtlMs: 0 });
  try {
    const hooks = await fx.db.prisma.hookPoint.findMany({ where: { modelId: fx.model.id } });
    await fx.db.prisma.hookPoint.createMany({
      data: hooks.map(({ id: _id, modelId: _m, ...h }) => ({ ...h, modelId: other.id })) as never,
    });
    const r = await probe(
      fx.db.prisma,
      { modelId: other.id, image: objectImage("red", "circle", 3), logitLens: true },
      { registry: reg },
    );
    expect(r.logitLens!.available).toBe(false);
    expect(r.logitLens!.reason).toBe("NO_WEIGHTS_FILE");
    expect(r.logitLens!.message).toMatch(/weights/);
    expect(r.logitLens!.cells).toEqual([]);
  } finally {
    await reg.close();
  }
});
