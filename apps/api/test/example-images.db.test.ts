// Example images on unit pages: top-activation rows carry no image bytes; Example.imageUrl names the API's image
// route (GET /images/examples/<id>: the PNG bytes, cacheable, 404 for a text example or an unknown id, rate-limited
// like /graphql), imageDataUrl still inlines the same bytes, and Model.imageGridSize comes from the model's config.
import { createBareHookPoint, createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { gql } from "./client";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
const png = Uint8Array.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 500 }, (_, i) => (i * 31) % 256),
]);
let unitId = "";

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  const model = await db.prisma.model.create({
    data: {
      name: "vit",
      displayName: "ViT",
      modality: "IMAGE_TEXT",
      architecture: "clip-vit",
      onnxFiles: {},
      config: { image: { patchSize: 32, preprocess: { size: 224 } } },
      directory: "vit",
    },
  });
  const hook = await createBareHookPoint(db.prisma, model.id, 3072);
  const dataset = await db.prisma.dataset.create({ data: { name: "d", modality: "IMAGE_TEXT" } });
  const image = await db.prisma.example.create({
    data: { id: "ex-image", datasetId: dataset.id, index: 0, modality: "IMAGE", image: png },
  });
  const text = await db.prisma.example.create({
    data: { id: "ex-text", datasetId: dataset.id, index: 1, modality: "TEXT", text: "a red dog" },
  });
  const unit = await db.prisma.unit.create({
    data: { slug: "vit/h/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
  });
  unitId = unit.id;
  for (const [rank, ex] of [image, text].entries())
    await db.prisma.topActivation.create({
      data: {
        unitId,
        exampleId: ex.id,
        rank,
        maxValue: 2 - rank,
        values: Array.from({ length: 50 }, (_, p) => p / 50),
      },
    });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

const origin = () => new URL(api.url).origin;

it("imageUrl names the image route; the route serves the same bytes as imageDataUrl; the model says its grid", async () => {
  const r = await gql(
    api.url,
    `query($id: ID!) { unit(id: $id) { model { imageGridSize } topActivations { example { id imageUrl imageDataUrl } } } }`,
    { id: unitId },
  );
  expect(r.errors).toBeUndefined();
  expect(r.data.unit.model.imageGridSize).toBe(7);
  const [img, txt] = r.data.unit.topActivations.map((t: any) => t.example);
  expect(img.imageUrl).toBe("/images/examples/ex-image");
  expect(txt.imageUrl).toBeNull();
  expect(txt.imageDataUrl).toBeNull();
  const res = await fetch(new URL(img.imageUrl, origin()));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  expect(res.headers.get("cache-control")).toContain("max-age=86400");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes]).toEqual([...png]);
  expect(img.imageDataUrl).toBe(`data:image/png;base64,${Buffer.from(png).toString("base64")}`);
});

it("answers 404 for a text example, an unknown id or a nested path, and 405 for POST", async () => {
  for (const p of ["ex-text", "no-such-example", "ex-image/x", ""]) {
    const res = await fetch(`${origin()}/images/examples/${p}`);
    expect(res.status).toBe(404);
  }
  expect((await fetch(`${origin()}/images/examples/ex-image`, { method: "POST" })).status).toBe(405);
});
