// Interventions by graph surgery (X → X*keep + add) checked against the reference with the same edit.
import { createRunner, InferenceError, neuronDirection, type Runner } from "../src";
import { D, F, H, TI, prng, writeFixtureModel } from "./fixtures/tiny-clip";
import { maxAbsDiff, referenceImage, referenceText } from "./fixtures/reference";

const TOL = 1e-4;
const pixels = (B: number) => {
  const r = prng(17);
  return Float32Array.from({ length: B * 3 * TI }, () => r() * 2);
};

describe("interventions", () => {
  let runner: Runner;
  beforeAll(async () => {
    runner = await createRunner(writeFixtureModel(), { logger: () => undefined });
  });
  afterAll(() => runner.close());

  it("ablating an MLP neuron zeroes it and changes downstream exactly as the reference", async () => {
    const B = 3,
      x = pixels(B);
    const hooks = ["vision.blocks.0.mlp.hook_post", "vision.blocks.0.hook_resid_post"];
    const clean = await runner.runPixels(x, hooks);
    const out = await runner.runPixels(x, hooks, {
      intervention: { hook: "vision.blocks.0.mlp.hook_post", ablate: [5] },
    });
    const keep = new Array(F).fill(1);
    keep[5] = 0;
    const ref = referenceImage(x, B, { site: "mlp_post", keep, add: new Array(F).fill(0) });
    const post = out.hooks["vision.blocks.0.mlp.hook_post"].data;
    for (let row = 0; row < B * TI; row++) expect(post[row * F + 5]).toBe(0);
    expect(maxAbsDiff(post, ref.mlp_post)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_post"].data, ref.resid_post)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(TOL);
    // and it really changed something
    expect(maxAbsDiff(out.embeds.data, clean.embeds.data)).toBeGreaterThan(1e-4);
  });

  it("steering adds scale × direction at the hook (residual stream) and propagates", async () => {
    const B = 2,
      x = pixels(B);
    const dir = neuronDirection(D, 2);
    const out = await runner.runPixels(x, ["vision.blocks.0.hook_resid_pre", "vision.blocks.0.hook_resid_post"], {
      intervention: { hook: "vision.blocks.0.hook_resid_pre", add: dir, scale: 3 },
    });
    const add = new Array(D).fill(0);
    add[2] = 3;
    const ref = referenceImage(x, B, { site: "resid_pre", keep: new Array(D).fill(1), add });
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_pre"].data, ref.resid_pre)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_post"].data, ref.resid_post)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(TOL);
  });

  it("ablates an attention head along axis 1 of the pattern", async () => {
    const out = await runner.runPixels(pixels(1), ["vision.blocks.0.attn.hook_pattern"], {
      intervention: { hook: "vision.blocks.0.attn.hook_pattern", ablate: [1] },
    });
    const p = out.hooks["vision.blocks.0.attn.hook_pattern"].data;
    const headSize = TI * TI;
    expect(p.subarray(headSize, 2 * headSize).every((v) => v === 0)).toBe(true);
    expect(p.subarray(0, headSize).some((v) => v > 0)).toBe(true);
    expect(H).toBe(2);
  });

  it("works on the text tower and reuses cached sessions for different units", async () => {
    const a = await runner.runTexts(["a red circle"], ["text.blocks.0.hook_resid_post"], {
      intervention: { hook: "text.blocks.0.hook_resid_pre", ablate: [0, 1] },
    });
    const keep = new Array(D).fill(1);
    keep[0] = 0;
    keep[1] = 0;
    const ref = referenceText([a.tokens[0].ids], { site: "resid_pre", keep, add: new Array(D).fill(0) });
    expect(maxAbsDiff(a.embeds.data, ref.embeds)).toBeLessThan(TOL);
    const b = await runner.runTexts(["a red circle"], [], {
      intervention: { hook: "text.blocks.0.hook_resid_pre", ablate: [3] },
    });
    const keep3 = new Array(D).fill(1);
    keep3[3] = 0;
    expect(
      maxAbsDiff(
        b.embeds.data,
        referenceText([a.tokens[0].ids], { site: "resid_pre", keep: keep3, add: new Array(D).fill(0) }).embeds,
      ),
    ).toBeLessThan(TOL);
  });

  it("refuses bad interventions", async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "none",
        (e) => (e as InferenceError).code,
      );
    expect(
      await code(
        runner.runPixels(pixels(1), [], { intervention: { hook: "vision.blocks.0.hook_resid_pre", ablate: [D] } }),
      ),
    ).toBe("BAD_INTERVENTION");
    expect(
      await code(
        runner.runPixels(pixels(1), [], {
          intervention: { hook: "vision.blocks.0.hook_resid_pre", add: new Float32Array(3) },
        }),
      ),
    ).toBe("BAD_INTERVENTION");
    expect(
      await code(runner.runPixels(pixels(1), [], { intervention: { hook: "vision.blocks.0.hook_resid_pre" } })),
    ).toBe("BAD_INTERVENTION");
    expect(
      await code(
        runner.runPixels(pixels(1), [], { intervention: { hook: "text.blocks.0.hook_resid_pre", ablate: [0] } }),
      ),
    ).toBe("BAD_INTERVENTION");
    expect(await code(runner.runPixels(pixels(1), [], { intervention: { hook: "nope", ablate: [0] } }))).toBe(
      "UNKNOWN_HOOK",
    );
  });
});
