// The probe query over real HTTP against the built-in model: image and text probes (unit + heatmap, top units
// with atlas rows), anonymous access like other reads, and typed errors (oversized / corrupt image, empty
// text, unknown unit / model) after which the server keeps answering.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, encodePng, IMAGE_SIZE, renderScene, type Scene } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, rawResponses } from "./client";

jest.setTimeout(180_000);

const MLP = "vision.blocks.1.mlp.hook_post";
const PROBE = `query($i: ProbeInput!) { probe(input: $i) {
  modality gridSize tokens latencyMs
  unit { value values clsValue unit { id slug kind index } }
  hookPoint { name } dictionary { name }
  topUnits { kind index value unit { slug } }
} }`;

let db: TestDatabase;
let api: ApiServer;
let modelId: string;
const logged: string[] = [];

function png(color: "red" | "blue", seed: number): string {
  const scene: Scene = {
    kind: "object",
    objects: [{ color, shape: "circle", size: "large", position: "center", cx: 16, cy: 16, r: 8 }],
  };
  let s = seed;
  const rng = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE).toString("base64");
}

const probeQ = (i: Record<string, unknown>) => gql(api.url, PROBE, { i: { modelId, ...i } });

beforeAll(async () => {
  db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  modelId = model.id;
  const hook = await db.prisma.hookPoint.findFirstOrThrow({ where: { modelId, name: MLP } });
  await db.prisma.unit.createMany({
    data: Array.from({ length: 256 }, (_, index) => ({
      slug: `${model.name}/${MLP}/neuron/${index}`,
      modelId,
      hookPointId: hook.id,
      kind: "NEURON" as const,
      index,
    })),
  });
  api = await startApiServer({ port: 0, prisma: db.prisma, log: (m, e) => logged.push(`${m}: ${String(e)}`) });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  for (const raw of rawResponses) expect(raw).not.toMatch(/stacktrace|\n\s+at |\.ts:\d+/);
});

it("probes an image anonymously: top neurons of a layer with their atlas rows, then one unit's 4×4 heatmap", async () => {
  const top = await probeQ({ image: png("red", 1), hookPointId: MLP, topN: 3 });
  expect(top.errors).toBeUndefined();
  const r = top.data.probe;
  expect(r.modality).toBe("IMAGE");
  expect(r.gridSize).toBe(4);
  expect(r.hookPoint.name).toBe(MLP);
  expect(r.topUnits).toHaveLength(3);
  expect(r.topUnits[0].value).toBeGreaterThanOrEqual(r.topUnits[2].value);
  expect(r.topUnits[0].unit.slug).toBe(`clip-shapes/${MLP}/neuron/${r.topUnits[0].index}`);
  expect(r.latencyMs).toBeGreaterThan(0);

  const one = await probeQ({ image: `data:image/png;base64,${png("red", 1)}`, unitId: r.topUnits[0].unit.slug });
  expect(one.errors).toBeUndefined();
  expect(one.data.probe.unit.values).toHaveLength(16);
  expect(one.data.probe.unit.value).toBeCloseTo(r.topUnits[0].value, 4);
  expect(one.data.probe.unit.unit.kind).toBe("NEURON");
});

it("probes a text: tokens and per-token values", async () => {
  const r = await probeQ({ text: "the word blue", hookPointId: "text.blocks.0.mlp.hook_post", topN: 2 });
  expect(r.errors).toBeUndefined();
  expect(r.data.probe.tokens).toEqual(["the", "word", "blue", "<eos>"]);
  expect(r.data.probe.topUnits).toHaveLength(2);
  expect(r.data.probe.topUnits[0].unit).toBeNull(); // the atlas holds no rows for that layer here
});

it("refuses bad input with typed errors and keeps serving", async () => {
  const prev = process.env.PROBE_MAX_IMAGE_BYTES;
  process.env.PROBE_MAX_IMAGE_BYTES = "200";
  try {
    const big = await probeQ({ image: png("blue", 2), hookPointId: MLP });
    expect(codeOf(big)).toBe("BAD_USER_INPUT");
    expect(big.errors![0].message).toMatch(/over the probe limit of 200 bytes/);
  } finally {
    if (prev === undefined) delete process.env.PROBE_MAX_IMAGE_BYTES;
    else process.env.PROBE_MAX_IMAGE_BYTES = prev;
  }
  const corrupt = Buffer.from(png("blue", 2), "base64");
  corrupt.fill(0, 40, 80);
  expect(codeOf(await probeQ({ image: corrupt.toString("base64"), hookPointId: MLP }))).toBe("BAD_USER_INPUT");
  expect(codeOf(await probeQ({ image: Buffer.from("GIF89a....").toString("base64"), hookPointId: MLP }))).toBe(
    "BAD_USER_INPUT",
  );
  expect(codeOf(await probeQ({ text: "  ", hookPointId: MLP }))).toBe("BAD_USER_INPUT");
  expect(codeOf(await probeQ({ image: png("red", 3), unitId: "no-such-unit" }))).toBe("NOT_FOUND");
  expect(codeOf(await gql(api.url, PROBE, { i: { modelId: "no-such-model", text: "red", hookPointId: MLP } }))).toBe(
    "NOT_FOUND",
  );
  expect(codeOf(await probeQ({ image: png("red", 3), hookPointId: MLP, topN: 0 }))).toBe("BAD_USER_INPUT");
  expect(logged).toEqual([]); // nothing above was an unexpected (INTERNAL) error
  const ok = await probeQ({ image: png("red", 4), hookPointId: MLP, topN: 1 });
  expect(ok.errors).toBeUndefined();
  expect(ok.data.probe.topUnits).toHaveLength(1);
});
