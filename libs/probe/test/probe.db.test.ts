// probe() on the built-in model with generated shapes-world images: a unit found to be red-selective (on
// squares/triangles/diamonds) fires more on a red circle than on a blue one; heatmap and token shapes; top
// units match the runner's own ranking; bad inputs → typed errors.
import { isAppError } from "@mmatlas/errors";
import { ProbeRegistry, probe, type ProbeInput } from "../src";
import { maxOverPositions } from "../src/unit-values";
import { builtinFixture, objectImage, type BuiltinFixture } from "./fixtures";

jest.setTimeout(180_000);

const MLP = "vision.blocks.1.mlp.hook_post";
const ATTN = "vision.blocks.0.attn.hook_pattern";
const SAE = "vision.blocks.1.hook_resid_post.relu";
const TEXT_MLP = "text.blocks.1.mlp.hook_post";
let fx: BuiltinFixture;
let registry: ProbeRegistry;

beforeAll(async () => {
  fx = await builtinFixture([
    { hook: MLP, kind: "NEURON", count: 256 },
    { hook: ATTN, kind: "ATTENTION_HEAD", count: 4 },
    { hook: "vision.blocks.1.hook_resid_post", kind: "SAE_FEATURE", dictionary: SAE, count: 256 },
    { hook: TEXT_MLP, kind: "NEURON", count: 256 },
  ]);
  registry = new ProbeRegistry(fx.db.prisma);
});
afterAll(async () => {
  await registry?.close();
  await fx?.db.close();
});

const run = (input: Omit<ProbeInput, "modelId">) =>
  probe(fx.db.prisma, { modelId: fx.model.id, ...input }, { registry });
const slug = (hook: string, kind: string, index: number) => `${fx.model.name}/${hook}/${kind}/${index}`;

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

/** The MLP neuron with the largest mean (red − blue) activation over squares, triangles and diamonds. */
async function findRedNeuron(): Promise<number> {
  const runner = await registry.runner(await registry.rows(fx.model.id));
  const mean = async (color: "red" | "blue") => {
    const sum = new Float64Array(256);
    let n = 0;
    for (const shape of ["square", "triangle", "diamond"] as const)
      for (const seed of [1, 2, 3]) {
        const act = await runner.runImage(Buffer.from(objectImage(color, shape, seed), "base64"));
        const per = maxOverPositions(act.hooks[MLP].data, act.positions, 256);
        per.forEach((v, i) => (sum[i] += v));
        n++;
      }
    return sum.map((v) => v / n);
  };
  const red = await mean("red"),
    blue = await mean("blue");
  let best = 0;
  for (let i = 1; i < 256; i++) if (red[i] - blue[i] > red[best] - blue[best]) best = i;
  expect(red[best] - blue[best]).toBeGreaterThan(0);
  return best;
}

test("a red-selective neuron fires more on held-out red circles than on blue circles; heatmap is grid-sized", async () => {
  const unit = await findRedNeuron();
  for (const seed of [11, 12, 13]) {
    const red = await run({ image: objectImage("red", "circle", seed), unitId: slug(MLP, "neuron", unit) });
    const blue = await run({ image: objectImage("blue", "circle", seed), unitId: slug(MLP, "neuron", unit) });
    expect(red.unit!.value).toBeGreaterThan(blue.unit!.value);
    expect(red.modality).toBe("IMAGE");
    expect(red.gridSize).toBe(4);
    expect(red.unit!.values).toHaveLength(16);
    expect(red.unit!.unit.index).toBe(unit);
    // value is the max over CLS + patches
    expect(red.unit!.value).toBeCloseTo(Math.max(red.unit!.clsValue!, ...red.unit!.values), 5);
    expect(red.latencyMs).toBeGreaterThan(0);
  }
});

test("the heatmap peaks where the object is (left object → left half hotter for the red neuron)", async () => {
  const unit = await findRedNeuron();
  const left = await run({
    image: objectImage("red", "circle", 21, { cx: 8, cy: 16 }),
    unitId: slug(MLP, "neuron", unit),
  });
  const v = left.unit!.values;
  const half = (cols: number[]) => [0, 1, 2, 3].reduce((s, r) => s + cols.reduce((a, c) => a + v[r * 4 + c], 0), 0);
  expect(half([0, 1])).toBeGreaterThan(half([2, 3]));
});

test("top units of a hook point are ranked by their max activation, carry their atlas rows, and include the probed unit's value", async () => {
  const img = objectImage("green", "square", 5);
  const res = await run({ image: img, hookPointId: MLP, topN: 5 });
  expect(res.hookPoint!.name).toBe(MLP);
  expect(res.topUnits).toHaveLength(5);
  for (let i = 1; i < 5; i++) expect(res.topUnits[i - 1].value).toBeGreaterThanOrEqual(res.topUnits[i].value);
  const top = res.topUnits[0];
  expect(top.kind).toBe("NEURON");
  expect(top.unit!.index).toBe(top.index);
  const same = await run({ image: img, unitId: top.unit!.id });
  expect(same.unit!.value).toBeCloseTo(top.value, 5);
  // unit alone → top units of the unit's own layer
  expect(same.hookPoint!.id).toBe(fx.hook(MLP).id);
  expect(same.topUnits[0].index).toBe(top.index);
});

test("SAE features and attention heads", async () => {
  const img = objectImage("yellow", "triangle", 7);
  const sae = await run({ image: img, dictionaryId: SAE, topN: 3 });
  expect(sae.dictionary!.name).toBe(SAE);
  expect(sae.topUnits.map((u) => u.kind)).toEqual(["SAE_FEATURE", "SAE_FEATURE", "SAE_FEATURE"]);
  expect(sae.topUnits[0].value).toBeGreaterThan(0); // a ReLU SAE has active features on any real image
  const feat = await run({ image: img, unitId: sae.topUnits[0].unit!.slug });
  expect(feat.unit!.value).toBeCloseTo(sae.topUnits[0].value, 5);

  const heads = await run({ image: img, hookPointId: ATTN, topN: 4 });
  expect(heads.topUnits).toHaveLength(4);
  const head = await run({ image: img, unitId: slug(ATTN, "attention_head", heads.topUnits[0].index) });
  // CLS attention over the 16 patches + the CLS itself sums to 1
  const total = head.unit!.clsValue! + head.unit!.values.reduce((a, b) => a + b, 0);
  expect(total).toBeCloseTo(1, 4);
  expect(head.unit!.value).toBeCloseTo(Math.max(...head.unit!.values), 5);
});

test("text probe: per-token values up to <eos>, color word drives a text neuron differently", async () => {
  const res = await run({ text: "a small red circle", hookPointId: TEXT_MLP, topN: 3 });
  expect(res.modality).toBe("TEXT");
  expect(res.tokens).toEqual(["a", "small", "red", "circle", "<eos>"]);
  // a word outside the built-in vocabulary shows as written (the model reads it as <unk>)
  const unknown = await run({ text: "a small zebra", hookPointId: TEXT_MLP, topN: 1 });
  expect(unknown.tokens).toEqual(["a", "small", "zebra", "<eos>"]);
  const unit = await run({ text: "a small red circle", unitId: slug(TEXT_MLP, "neuron", res.topUnits[0].index) });
  expect(unit.unit!.values).toHaveLength(5);
  expect(unit.unit!.value).toBeCloseTo(res.topUnits[0].value, 5);
  expect(unit.unit!.clsValue).toBeNull();
  const other = await run({ text: "a small blue square", unitId: slug(TEXT_MLP, "neuron", res.topUnits[0].index) });
  expect(other.unit!.values).not.toEqual(unit.unit!.values);
});

test("bad inputs are typed errors and the runner keeps working", async () => {
  const img = objectImage("red", "circle", 1);
  await expectError(
    run({ image: Buffer.from("definitely not a png").toString("base64"), hookPointId: MLP }),
    "BAD_USER_INPUT",
    "image",
  );
  const png = Buffer.from(img, "base64");
  await expectError(
    run({ image: png.subarray(0, 60).toString("base64"), hookPointId: MLP }),
    "BAD_USER_INPUT",
    "image",
  ); // truncated PNG
  await expectError(run({ image: "%%%not base64%%%", hookPointId: MLP }), "BAD_USER_INPUT", "image");
  await expectError(
    probe(fx.db.prisma, { modelId: fx.model.id, image: img, hookPointId: MLP }, { registry, maxImageBytes: 100 }),
    "BAD_USER_INPUT",
    "image",
  );
  await expectError(run({ text: "   ", hookPointId: TEXT_MLP }), "BAD_USER_INPUT", "text");
  await expectError(run({ image: img, text: "red", hookPointId: MLP }), "BAD_USER_INPUT");
  await expectError(run({ hookPointId: MLP }), "BAD_USER_INPUT");
  await expectError(run({ image: img }), "BAD_USER_INPUT", "unitId");
  await expectError(run({ image: img, unitId: "no-such-unit" }), "NOT_FOUND");
  await expectError(run({ image: img, hookPointId: "vision.blocks.9.nope" }), "NOT_FOUND");
  await expectError(run({ image: img, dictionaryId: "nope" }), "NOT_FOUND");
  await expectError(
    probe(fx.db.prisma, { modelId: "no-such-model", image: img, hookPointId: MLP }, { registry }),
    "NOT_FOUND",
  );
  await expectError(run({ image: img, hookPointId: TEXT_MLP }), "BAD_USER_INPUT", "hookPointId"); // text layer, image input
  await expectError(run({ text: "red", unitId: slug(MLP, "neuron", 0) }), "BAD_USER_INPUT", "unitId");
  await expectError(run({ image: img, hookPointId: MLP, topN: 0 }), "BAD_USER_INPUT", "topN");
  await expectError(run({ image: img, hookPointId: MLP, topN: 1000 }), "BAD_USER_INPUT", "topN");
  const ok = await run({ image: img, hookPointId: MLP, topN: 1 });
  expect(ok.topUnits).toHaveLength(1);
});

test("model rows are cached for the TTL, re-read after invalidate, never cached with rowsTtlMs 0", async () => {
  const a = registry.rows(fx.model.id),
    b = registry.rows(fx.model.id);
  expect(b).toBe(a);
  registry.invalidate(fx.model.id);
  const c = registry.rows(fx.model.id);
  expect(c).not.toBe(a);
  expect((await c).hookPoints.map((h) => h.id).sort()).toEqual((await a).hookPoints.map((h) => h.id).sort());
  const uncached = new ProbeRegistry(fx.db.prisma, { rowsTtlMs: 0 });
  const d = uncached.rows(fx.model.id),
    e = uncached.rows(fx.model.id);
  expect(e).not.toBe(d);
  await Promise.all([d, e]);
  await expect(registry.rows("no-such-model")).rejects.toMatchObject({ code: "NOT_FOUND" });
  await uncached.close();
});
