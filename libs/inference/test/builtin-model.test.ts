// Runs the real built-in model (libs/model-zoo/assets/clip-shapes) through the library: every hook point,
// every SAE (in-graph encode vs Sae.encode), an intervention. Skipped with a message when the assets are absent.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PNG } from "pngjs";
import { createRunner, type Runner } from "../src";
import { maxAbsDiff } from "./fixtures/reference";

const DIR = resolve(__dirname, "../../model-zoo/assets/clip-shapes");
const present = ["model.json", "image.onnx", "text.onnx"].every((f) => existsSync(join(DIR, f)));
if (!present)
  console.warn(
    `[builtin-model.test] SKIPPED: built-in model assets not found in ${DIR} (run the model-zoo training/export first)`,
  );
const maybe = present ? describe : describe.skip;

function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const p = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) p.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(p);
}

maybe("built-in model clip-shapes", () => {
  let runner: Runner;
  beforeAll(async () => {
    runner = await createRunner(DIR, { logger: () => undefined });
  });
  afterAll(() => runner?.close());

  it("returns every vision and text hook point with its declared shape", async () => {
    const size = runner.manifest.image!.preprocess.size;
    const images = [solidPng(size, [220, 30, 30]), solidPng(size, [30, 30, 220])];
    const vision = runner.hookPoints("VISION").map((h) => h.name);
    const img = await runner.runImages(images, vision);
    expect(img.embeds.dims).toEqual([2, runner.manifest.embedDim]);
    for (const h of runner.hookPoints("VISION"))
      expect(img.hooks[h.name].dims).toEqual(h.shape.map((d) => (d === "batch" ? 2 : d)));
    expect(
      maxAbsDiff(
        img.embeds.data.subarray(0, runner.manifest.embedDim),
        img.embeds.data.subarray(runner.manifest.embedDim),
      ),
    ).toBeGreaterThan(1e-3);
    const text = runner.hookPoints("TEXT").map((h) => h.name);
    const txt = await runner.runTexts(["a red circle", "a blue square on the left"], text);
    for (const h of runner.hookPoints("TEXT"))
      expect(txt.hooks[h.name].dims).toEqual(h.shape.map((d) => (d === "batch" ? 2 : d)));
    expect(txt.tokens[0].tokens).not.toContain("<unk>");
  });

  it("encodes every SAE in-graph the same as Sae.encode", async () => {
    const size = runner.manifest.image!.preprocess.size;
    const images = [solidPng(size, [200, 200, 40])];
    for (const entry of runner.manifest.saes) {
      const hook = runner.saeHook(entry.name);
      const out =
        hook.tower === "VISION"
          ? await runner.runImages(images, [hook.name], { saes: [entry.name] })
          : await runner.runTexts(["a green triangle"], [hook.name], { saes: [entry.name] });
      const js = runner.sae(entry.name).encode(out.hooks[hook.name].data);
      expect(maxAbsDiff(out.saes[entry.name].data!, js)).toBeLessThan(1e-3);
    }
  });

  it("ablating an MLP neuron zeroes it downstream and moves the embedding", async () => {
    const mlp = runner.hookPoints("VISION").find((h) => h.kind === "MLP_POST")!;
    const images = [solidPng(runner.manifest.image!.preprocess.size, [40, 200, 40])];
    const clean = await runner.runImages(images, [mlp.name]);
    const acts = clean.hooks[mlp.name].data;
    let unit = 0;
    for (let j = 0; j < mlp.width; j++) if (Math.abs(acts[j]) > Math.abs(acts[unit])) unit = j;
    const ablated = await runner.runImages(images, [mlp.name], { intervention: { hook: mlp.name, ablate: [unit] } });
    const a = ablated.hooks[mlp.name].data;
    for (let row = 0; row < a.length / mlp.width; row++) expect(a[row * mlp.width + unit]).toBe(0);
    expect(maxAbsDiff(ablated.embeds.data, clean.embeds.data)).toBeGreaterThan(0);
  });
});
