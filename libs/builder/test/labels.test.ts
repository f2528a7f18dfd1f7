// Auto-labels and the multimodal score with the built-in model's own embeddings: a planted unit that fires
// exactly on red objects gets the label "red" from CLIP-Dissect; a direction equal to the "red" concept
// embedding gets "red" from text alignment; a unit responding to red objects AND the word "red" is
// multimodal for red, one responding to red objects only is not.
import { createRunner, type Runner } from "@mmatlas/inference";
import { builtinModelDir, generateShapesWorld } from "@mmatlas/model-zoo";
import { embedTexts, normalizeRows, shapesConceptVocabulary, shapesShareVocabulary } from "../src/finalize/concepts";
import { conceptsOfShapesTag } from "../src/evaluation/label-eval";
import { topRowsOfColumn } from "../src/evaluation/held-out-tops";
import { dissectionConcept } from "../src/finalize/dissection";
import {
  clipDissectForSet,
  conceptShareForSet,
  imageMultimodalScores,
  textAlignmentForSet,
  type ConceptEmbeddings,
} from "../src/finalize/labels";
import { preprocessImage } from "@mmatlas/inference";
import { jointDirections } from "../src/finalize/directions";
import type { UnitSetPlan } from "../src/plan/build-plan";

jest.setTimeout(120_000);

let runner: Runner;
let concepts: ConceptEmbeddings;
const world = generateShapesWorld({ seed: 4242, count: 400, png: true });
let embeds: Float32Array;

beforeAll(async () => {
  runner = await createRunner(builtinModelDir());
  const vocab = shapesConceptVocabulary();
  const e = await embedTexts(runner, vocab.prompts);
  concepts = { labels: vocab.labels, data: e.data, dim: e.dim };
  const spec = runner.manifest.image!.preprocess;
  const per = 3 * spec.size * spec.size;
  const pixels = new Float32Array(world.length * per);
  world.forEach((ex, i) => pixels.set(preprocessImage(new Uint8Array(ex.png!), spec, i), i * per));
  const r = await runner.runPixels(pixels);
  embeds = normalizeRows(r.embeds.data, concepts.dim);
});

afterAll(() => runner?.close());

const isRedObject = (tags: string[]) => tags.includes("color:red");

test("CLIP-Dissect: a planted unit firing exactly on red images is labelled red", () => {
  // unit 0 = red, unit 1 = circle, unit 2 = a fixed pseudo-random pattern
  const units = 3;
  const acts = new Float32Array(world.length * units);
  world.forEach((ex, i) => {
    acts[i * units] = isRedObject(ex.tags) ? 1 : 0;
    acts[i * units + 1] = ex.tags.includes("shape:circle") ? 2 : 0;
    acts[i * units + 2] = ((i * 7919) % 101) / 101;
  });
  const labels = clipDissectForSet({ activations: acts, units, embeds, probe: world.length }, concepts)!;
  expect(labels[0][0].concept).toBe("red");
  expect(labels[0]).toHaveLength(5);
  expect(labels[1][0].concept).toBe("circle");
  expect(labels[0][0].score).toBeGreaterThan(labels[2][0].score);
});

test("concept share: planted units firing on large objects and on written words get those labels", async () => {
  const vocab = shapesShareVocabulary();
  const emb = await embedTexts(runner, vocab.prompts);
  const units = 2;
  const acts = new Float32Array(world.length * units);
  world.forEach((ex, i) => {
    acts[i * units] = ex.tags.includes("size:large") && !ex.tags.includes("typographic") ? 1 + ((i * 31) % 7) / 7 : 0;
    acts[i * units + 1] = ex.tags.includes("typographic") ? 1 : 0;
  });
  const labels = conceptShareForSet({ activations: acts, units, embeds, probe: world.length }, vocab, emb)!;
  expect(labels[0][0].concept).toBe("large");
  expect(labels[0][0].score).toBeGreaterThan(0.5); // a candidate (share ≥ minShare): soft zero-shot probabilities
  // word images are also "large" and "center" to the zero-shot tags; the rarer concept wins
  expect(labels[1][0].concept).toBe("typographic");
  expect(labels[1]).toHaveLength(5);
});

test("shapes share vocabulary: four attribute families, typographic vs shape prompts, words gated by typographic", () => {
  const { prompts, families } = shapesShareVocabulary();
  expect(families.map((f) => f.labels.length)).toEqual([6, 5, 2, 5, 1, 11]);
  expect(prompts).toHaveLength(6 + 5 + 2 + 5 + 11);
  expect(families[4]).toMatchObject({ labels: ["typographic"], contrast: families[1].columns });
  expect(families[5].gate).toBe("typographic");
  expect(prompts[families[5].columns[0]]).toBe("the word red");
});

test("eval helpers: a word tag stands for the word and its value; top rows of a column, ties by lower row", () => {
  const vocab = new Set(["red", "circle", "typographic"]);
  expect(conceptsOfShapesTag("word:red", vocab)).toEqual(["red", "the word red"]);
  expect(conceptsOfShapesTag("color:red", vocab)).toEqual(["red"]);
  expect(conceptsOfShapesTag("count:2", vocab)).toEqual([]);
  // [4 rows × 2 units]: column 1 = [5, 7, 7, 1]
  expect(topRowsOfColumn(Float32Array.from([0, 5, 0, 7, 0, 7, 0, 1]), 2, 1, 3)).toEqual([1, 2, 0]);
});

test("network dissection concepts: mask tags map onto the concept-share labels", () => {
  expect(
    ["color:red", "shape:circle", "size:large", "position:left", "typographic", "word:blue"].map(dissectionConcept),
  ).toEqual(["red", "circle", "large", "left", "typographic", "the word blue"]);
  const labels = new Set(shapesShareVocabulary().families.flatMap((f) => [...f.labels]));
  for (const c of ["red", "circle", "large", "left", "typographic", "the word blue"]) expect(labels.has(c)).toBe(true);
});

test("text alignment: a direction equal to a concept's embedding gets that concept", () => {
  const red = concepts.labels.indexOf("red"),
    square = concepts.labels.indexOf("square");
  const dim = concepts.dim;
  const directions = new Float64Array(2 * dim);
  for (let d = 0; d < dim; d++) {
    directions[d] = concepts.data[red * dim + d];
    directions[dim + d] = 3 * concepts.data[square * dim + d];
  }
  const labels = textAlignmentForSet({ data: directions, dim }, 2, concepts)!;
  expect(labels[0][0]).toMatchObject({ concept: "red" });
  expect(labels[0][0].score).toBeCloseTo(1, 5);
  expect(labels[1][0].concept).toBe("square");
});

test("multimodal score: red objects + the word red is multimodal, red objects alone is not", () => {
  const units = 2;
  const acts = new Float32Array(world.length * units);
  world.forEach((ex, i) => {
    const word = ex.tags.includes("word:red");
    const object = ex.tags.includes("color:red") && !ex.tags.includes("typographic");
    acts[i * units] = word || object ? 1 : 0;
    acts[i * units + 1] = object ? 1 : 0;
  });
  expect(world.some((ex) => ex.tags.includes("word:red"))).toBe(true);
  const labels = concepts.labels.filter((l) => l !== "typographic");
  const scores = imageMultimodalScores(
    acts,
    units,
    world.map((ex) => ex.tags),
    labels,
  )!;
  expect(scores[0].concept).toBe("red");
  expect(scores[0].score).toBeGreaterThan(0.5);
  expect(scores[1].score).toBeLessThan(scores[0].score / 4);
});

test("joint-space directions on onnxruntime equal the JavaScript product (float32 rounding), same text-alignment labels", async () => {
  // the built-in model's layer-1 MLP: 256 neurons writing into a 64-wide residual, read out to the joint space
  const set = {
    kind: "NEURON",
    tower: "VISION",
    hookPoint: { kind: "MLP" },
    hook: { layer: 1 },
    width: 256,
    units: 256,
  } as unknown as UnitSetPlan;
  const js = (await jointDirections(runner, set, Infinity))!;
  const onnx = (await jointDirections(runner, set, 0))!;
  expect(js.data).toBeInstanceOf(Float64Array);
  expect(onnx.data).toBeInstanceOf(Float32Array); // from Runner.matMul
  expect(onnx.dim).toBe(js.dim);
  let worst = 0,
    scale = 0;
  for (let i = 0; i < js.data.length; i++) {
    worst = Math.max(worst, Math.abs(js.data[i] - onnx.data[i]));
    scale = Math.max(scale, Math.abs(js.data[i]));
  }
  expect(scale).toBeGreaterThan(0);
  expect(worst / scale).toBeLessThan(1e-5);
  const labels = (d: typeof js) => textAlignmentForSet(d, 256, concepts)!.map((l) => l[0].concept);
  const a = labels(js),
    b = labels(onnx);
  expect(a.filter((c, u) => c === b[u]).length).toBeGreaterThanOrEqual(250); // up to float32 near-ties
});
