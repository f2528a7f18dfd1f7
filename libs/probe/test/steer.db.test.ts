// probeSteer() on the built-in model: strength 0 reproduces the plain run (embedding, unit, probabilities
// within 1e-6); a positive strength raises the unit's own activation (read through its hook, after the edit)
// and moves the zero-shot class probabilities; nearest captions come from the atlas's TEXT examples; bad
// input → typed errors naming the field.
import { isAppError } from "@mmatlas/errors";
import { ProbeRegistry, probe, probeSteer, type SteerInput } from "../src";
import { DEFAULT_STEER_CLASSES } from "../src/text-bank";
import { builtinFixture, objectImage, type BuiltinFixture } from "./fixtures";

jest.setTimeout(180_000);

const MLP = "vision.blocks.1.mlp.hook_post";
const ATTN = "vision.blocks.0.attn.hook_pattern";
const RESID = "vision.blocks.1.hook_resid_post";
const SAE = "vision.blocks.1.hook_resid_post.relu";
const TEXT_MLP = "text.blocks.1.mlp.hook_post";
const CAPTIONS = [
  "a red circle",
  "a blue circle",
  "a red square",
  "a green triangle",
  "a yellow diamond",
  "a purple cross",
];
let fx: BuiltinFixture;
let registry: ProbeRegistry;

beforeAll(async () => {
  fx = await builtinFixture([
    { hook: MLP, kind: "NEURON", count: 256 },
    { hook: ATTN, kind: "ATTENTION_HEAD", count: 4 },
    { hook: RESID, kind: "SAE_FEATURE", dictionary: SAE, count: 256 },
    { hook: TEXT_MLP, kind: "NEURON", count: 4 },
  ]);
  const ds = await fx.db.prisma.dataset.create({
    data: { name: "steer-captions", modality: "TEXT", size: CAPTIONS.length + 1 },
  });
  await fx.db.prisma.example.createMany({
    data: [...CAPTIONS, "a red circle"].map((text, index) => ({
      datasetId: ds.id,
      index,
      modality: "TEXT" as const,
      text,
      tags: [],
    })),
  });
  registry = new ProbeRegistry(fx.db.prisma);
});
afterAll(async () => {
  await registry?.close();
  await fx?.db.close();
});

const slug = (hook: string, kind: string, index: number) => `${fx.model.name}/${hook}/${kind}/${index}`;
const steer = (input: Omit<SteerInput, "modelId" | "image"> & { image?: string }) =>
  probeSteer(fx.db.prisma, { modelId: fx.model.id, image: objectImage("red", "circle", 1), ...input }, { registry });

async function expectError(p: Promise<unknown>, code: string, field: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isAppError(e) && [e.code, e.details?.field]).toEqual([code, field]);
}

it("strength 0 reproduces the unsteered run: embedding, unit activation, class probabilities, captions", async () => {
  const runner = await registry.runner(await registry.rows(fx.model.id));
  const hook = await fx.db.prisma.hookPoint.findFirstOrThrow({ where: { modelId: fx.model.id, name: MLP } });
  const { before, after } = await runner.runImageSteered(Buffer.from(objectImage("red", "circle", 1), "base64"), {
    hook,
    dictionary: null,
    direction: runner.steeringDirection("NEURON", hook, null, 7),
    strength: 0,
  });
  let diff = 0;
  before.embeds.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - after.embeds[i]))));
  expect(before.embeds.length).toBe(64);
  expect(diff).toBeLessThanOrEqual(1e-6);

  const r = await steer({ unitId: slug(MLP, "neuron", 7), strength: 0 });
  expect(r.direction).toBe("NEURON_BASIS");
  expect(r.directionNorm).toBe(1);
  expect(Math.abs(r.unitAfter - r.unitBefore)).toBeLessThanOrEqual(1e-6);
  expect(r.embeddingCosine).toBeGreaterThan(1 - 1e-6);
  expect(r.classes.map((c) => c.label)).toEqual([...DEFAULT_STEER_CLASSES]);
  for (const c of r.classes) expect(Math.abs(c.delta)).toBeLessThanOrEqual(1e-6);
  expect(r.classes.reduce((s, c) => s + c.before, 0)).toBeCloseTo(1, 6);
  expect(r.captionsAfter.map((c) => c.text)).toEqual(r.captionsBefore.map((c) => c.text));
});

it("steering a neuron by +s adds s to its post-activation at every position and moves the class probabilities", async () => {
  const r0 = await steer({ unitId: slug(MLP, "neuron", 7), strength: 0 });
  const r = await steer({ unitId: slug(MLP, "neuron", 7), strength: 8 });
  expect(r.unitAfter - r.unitBefore).toBeCloseTo(8, 4);
  expect(r.unitBefore).toBeCloseTo(r0.unitBefore, 6);
  const moved = r.classes.reduce((s, c) => s + Math.abs(c.delta), 0);
  expect(moved).toBeGreaterThan(0.01);
  expect(r.embeddingCosine).toBeLessThan(1 - 1e-4);
  expect(r.classes.reduce((s, c) => s + c.after, 0)).toBeCloseTo(1, 6);
});

it("steering an SAE feature along its decoder row raises the feature's own activation", async () => {
  const top = await probe(
    fx.db.prisma,
    { modelId: fx.model.id, image: objectImage("red", "circle", 1), dictionaryId: SAE, topN: 1 },
    { registry },
  );
  const feature = top.topUnits[0].index;
  const r = await steer({ unitId: slug(RESID, SAE, feature), strength: 2 });
  expect(r.direction).toBe("SAE_DECODER");
  expect(r.dictionary?.name).toBe(SAE);
  expect(r.unitBefore).toBeCloseTo(top.topUnits[0].value, 5);
  expect(r.unitAfter).toBeGreaterThan(r.unitBefore + 0.1);
  expect(r.classes.reduce((s, c) => s + Math.abs(c.delta), 0)).toBeGreaterThan(1e-3);
});

it("reads out custom classes and the nearest captions of the atlas's text examples", async () => {
  const r = await steer({
    unitId: slug(MLP, "neuron", 3),
    strength: 0,
    classes: ["a red circle", "a blue square"],
    topCaptions: 3,
  });
  expect(r.classes.map((c) => c.label)).toEqual(["a red circle", "a blue square"]);
  expect(r.classes[0].before).toBeGreaterThan(0.5); // the model sees a red circle
  expect(r.captionCount).toBe(CAPTIONS.length); // distinct texts
  expect(r.captionsBefore).toHaveLength(3);
  expect(r.captionsBefore[0].before).toBeGreaterThanOrEqual(r.captionsBefore[1].before);
  expect(r.captionsBefore[0].text).toBe("a red circle");
});

it("refuses what cannot be steered, with the field", async () => {
  await expectError(steer({ unitId: slug(ATTN, "attention_head", 0), strength: 1 }), "BAD_USER_INPUT", "unitId");
  await expectError(steer({ unitId: slug(TEXT_MLP, "neuron", 0), strength: 1 }), "BAD_USER_INPUT", "unitId");
  await expectError(steer({ unitId: slug(MLP, "neuron", 0), strength: Number.NaN }), "BAD_USER_INPUT", "strength");
  await expectError(steer({ unitId: slug(MLP, "neuron", 0), strength: 1e6 }), "BAD_USER_INPUT", "strength");
  await expectError(
    steer({ unitId: slug(MLP, "neuron", 0), strength: 1, classes: ["only one"] }),
    "BAD_USER_INPUT",
    "classes",
  );
  await expectError(
    steer({ unitId: slug(MLP, "neuron", 0), strength: 1, topCaptions: 0 }),
    "BAD_USER_INPUT",
    "topCaptions",
  );
  await expectError(
    steer({ unitId: slug(MLP, "neuron", 0), strength: 1, image: "bm90IGFuIGltYWdl" }),
    "BAD_USER_INPUT",
    "image",
  );
  const missing = await steer({ unitId: "no-such-unit", strength: 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(missing) && missing.code).toBe("NOT_FOUND");
});
