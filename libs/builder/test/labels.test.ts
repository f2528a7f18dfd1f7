// Auto-labels and the multimodal score with the built-in model's own embeddings: a planted unit that fires
// exactly on red objects gets the label "red" from CLIP-Dissect; a direction equal to the "red" concept
// embedding gets "red" from text alignment; a unit responding to red objects AND the word "red" is
// multimodal for red, one responding to red objects only is not.
import { createRunner, type Runner } from "@mmatlas/inference";
import { builtinModelDir, generateShapesWorld } from "@mmatlas/model-zoo";
import { embedTexts, normalizeRows, shapesConceptVocabulary } from "../src/finalize/concepts";
import { clipDissectForSet, imageMultimodalScores, textAlignmentForSet, type ConceptEmbeddings } from "../src/finalize/labels";
import { preprocessImage } from "@mmatlas/inference";

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

test("text alignment: a direction equal to a concept's embedding gets that concept", () => {
  const red = concepts.labels.indexOf("red"), square = concepts.labels.indexOf("square");
  const dim = concepts.dim;
  const directions = new Float64Array(2 * dim);
  for (let d = 0; d < dim; d++) { directions[d] = concepts.data[red * dim + d]; directions[dim + d] = 3 * concepts.data[square * dim + d]; }
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
  const scores = imageMultimodalScores(acts, units, world.map((ex) => ex.tags), labels)!;
  expect(scores[0].concept).toBe("red");
  expect(scores[0].score).toBeGreaterThan(0.5);
  expect(scores[1].score).toBeLessThan(scores[0].score / 4);
});
