// The probe's logit lens over real HTTP against the built-in model: a patch × layer grid of concept words for an
// image (CLS + 4×4 patches, top-3 texts per cell, last layer = the model's own embedding), per token for a text,
// "unavailable" with a typed reason for a model that ships no read-out weights, and bad lens texts refused.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, encodePng, IMAGE_SIZE, renderScene, type Scene } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";

jest.setTimeout(180_000);

const PROBE = `query($i: ProbeInput!) { probe(input: $i) {
  modality tokens latencyMs
  logitLens { available reason message tower layers { layer hookPoint } gridRows gridCols prefix
    cells { texts scores } conceptCount embeddingCosine }
} }`;

let db: TestDatabase;
let api: ApiServer;
let modelId: string;
let bareModelId: string;

function png(seed: number): string {
  const scene: Scene = {
    kind: "object",
    objects: [{ color: "red", shape: "circle", size: "large", position: "center", cx: 16, cy: 16, r: 8 }],
  };
  let s = seed;
  const rng = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE).toString("base64");
}

const probeQ = (i: Record<string, unknown>) => gql(api.url, PROBE, { i: { modelId, logitLens: true, ...i } });

beforeAll(async () => {
  db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  modelId = model.id;
  // the same model under another name, its manifest without a weights file (like an HF import without one)
  const { weights: _w, ...config } = model.config as Record<string, unknown>;
  const { id: _id, ...row } = model;
  const bare = await db.prisma.model.create({ data: { ...row, name: "clip-shapes-bare", config } as never });
  bareModelId = bare.id;
  const hooks = await db.prisma.hookPoint.findMany({ where: { modelId } });
  await db.prisma.hookPoint.createMany({
    data: hooks.map(({ id: _h, ...h }) => ({ ...h, modelId: bare.id })) as never,
  });
  api = await startApiServer({ port: 0, prisma: db.prisma });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

it("returns a layer × position grid of concept words for an image, without a unit or layer", async () => {
  const r = await probeQ({ image: png(1) });
  expect(r.errors).toBeUndefined();
  const lens = r.data.probe.logitLens;
  expect(lens.available).toBe(true);
  expect(lens.reason).toBeNull();
  expect(lens.tower).toBe("VISION");
  expect(lens.layers.map((l: { hookPoint: string }) => l.hookPoint)).toEqual([
    "vision.blocks.0.hook_resid_post",
    "vision.blocks.1.hook_resid_post",
  ]);
  expect([lens.gridRows, lens.gridCols, lens.prefix]).toEqual([4, 4, 1]);
  expect(lens.cells.map((row: unknown[]) => row.length)).toEqual([17, 17]);
  for (const row of lens.cells)
    for (const c of row) {
      expect(c.texts).toHaveLength(3);
      expect(c.scores).toHaveLength(3);
      expect(c.scores[0]).toBeGreaterThanOrEqual(c.scores[2]);
    }
  expect(lens.embeddingCosine).toBeGreaterThan(0.9999);
  expect(lens.cells[1][0].texts).toContain("red");
});

it("per token for a text, with custom lens texts", async () => {
  const r = await probeQ({ text: "a red circle", lensTexts: ["a circle", "a square", "a triangle"] });
  expect(r.errors).toBeUndefined();
  const lens = r.data.probe.logitLens;
  expect(lens.tower).toBe("TEXT");
  expect(lens.gridRows).toBeNull();
  expect(lens.conceptCount).toBe(3);
  expect(lens.cells[1]).toHaveLength(r.data.probe.tokens.length);
  expect(lens.cells[1][r.data.probe.tokens.length - 1].texts[0]).toBe("a circle");
});

it("reports the lens unavailable, with a typed reason, for a model without read-out weights", async () => {
  const r = await gql(api.url, PROBE, { i: { modelId: bareModelId, image: png(2), logitLens: true } });
  expect(r.errors).toBeUndefined();
  const lens = r.data.probe.logitLens;
  expect(lens.available).toBe(false);
  expect(lens.reason).toBe("NO_WEIGHTS_FILE");
  expect(lens.message).toMatch(/weights/);
  expect(lens.cells).toEqual([]);
});

it("refuses bad lens texts", async () => {
  expect(codeOf(await probeQ({ image: png(3), lensTexts: ["one"] }))).toBe("BAD_USER_INPUT");
  expect(codeOf(await probeQ({ image: png(3), lensTexts: ["x".repeat(201), "y"] }))).toBe("BAD_USER_INPUT");
  expect(codeOf(await probeQ({ image: png(3), logitLens: false }))).toBe("BAD_USER_INPUT"); // nothing asked for
});
