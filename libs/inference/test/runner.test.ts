// Runner on the tiny-clip fixture: hook outputs vs the plain-JS reference, batching, text eos pooling,
// fused SAE encode vs Sae.encode, and clear errors for unknown hooks, wrong shapes and bad models.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { createRunner, InferenceError, preprocessImages, writeSafetensors, type Runner } from "../src";
import { D, F, H, TI, TT, prng, writeFixtureModel, fixtureManifest } from "./fixtures/tiny-clip";
import { maxAbsDiff, referenceImage, referenceText } from "./fixtures/reference";

const TOL = 1e-4;
const quiet = () => undefined;
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "none",
    (e) => (e instanceof InferenceError ? e.code : `other: ${e}`),
  );

function randomPixels(B: number, seed = 5): Float32Array {
  const r = prng(seed);
  return Float32Array.from({ length: B * 3 * TI }, () => r() * 2);
}

function writeSae(
  dir: string,
  name: string,
  arch: "standard" | "topk" | "jumprelu" | "gated",
  hook: string,
  norm = "none",
) {
  const r = prng(99);
  const dSae = 12;
  const rand = (n: number, s = 1) => Float32Array.from({ length: n }, () => r() * s);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {
    W_enc: { shape: [D, dSae], data: rand(D * dSae) },
    W_dec: { shape: [dSae, D], data: rand(dSae * D) },
    b_enc: { shape: [dSae], data: rand(dSae, 0.5) },
    b_dec: { shape: [D], data: rand(D, 0.5) },
  };
  if (arch === "jumprelu") tensors.threshold = { shape: [dSae], data: rand(dSae, 0.5).map(Math.abs) };
  if (arch === "gated") {
    delete tensors.b_enc;
    tensors.b_gate = { shape: [dSae], data: rand(dSae, 0.5) };
    tensors.r_mag = { shape: [dSae], data: rand(dSae, 0.3) };
    tensors.b_mag = { shape: [dSae], data: rand(dSae, 0.5) };
  }
  mkdirSync(join(dir, "saes", name), { recursive: true });
  writeFileSync(join(dir, "saes", name, "sae_weights.safetensors"), writeSafetensors(tensors));
  writeFileSync(
    join(dir, "saes", name, "cfg.json"),
    JSON.stringify({
      d_in: D,
      d_sae: dSae,
      architecture: arch,
      apply_b_dec_to_input: true,
      normalize_activations: norm,
      ...(arch === "topk" ? { k: 3 } : {}),
      metadata: { hook_name: hook },
    }),
  );
}

describe("runner on the tiny-clip fixture", () => {
  let dir: string;
  let runner: Runner;
  beforeAll(async () => {
    dir = writeFixtureModel((m) => {
      m.saes = [
        { name: "v.relu", path: "saes/v.relu" },
        { name: "v.topk", path: "saes/v.topk" },
        { name: "v.jump", path: "saes/v.jump", hookPoint: "vision.blocks.0.hook_resid_post" },
        { name: "v.cnr", path: "saes/v.cnr" },
        { name: "v.ln", path: "saes/v.ln" },
        { name: "v.gated", path: "saes/v.gated" },
      ];
    });
    writeSae(dir, "v.relu", "standard", "vision.blocks.0.hook_resid_post");
    writeSae(dir, "v.topk", "topk", "vision.blocks.0.hook_resid_post");
    writeSae(dir, "v.jump", "jumprelu", "vision.blocks.0.hook_resid_post");
    writeSae(dir, "v.cnr", "topk", "vision.blocks.0.hook_resid_post", "constant_norm_rescale");
    writeSae(dir, "v.ln", "standard", "vision.blocks.0.hook_resid_post", "layer_norm");
    writeSae(dir, "v.gated", "gated", "vision.blocks.0.hook_resid_post");
    runner = await createRunner(dir, { logger: quiet });
  });
  afterAll(() => runner.close());

  it("returns hook activations matching the reference, in batches", async () => {
    const B = 5;
    const pixels = randomPixels(B);
    const hooks = [
      "vision.blocks.0.hook_resid_pre",
      "vision.blocks.0.attn.hook_pattern",
      "vision.blocks.0.mlp.hook_post",
      "vision.blocks.0.hook_resid_post",
    ];
    const out = await runner.runPixels(pixels, hooks, { batchSize: 2 });
    const ref = referenceImage(pixels, B);
    expect(out.embeds.dims).toEqual([B, 4]);
    expect(out.hooks["vision.blocks.0.attn.hook_pattern"].dims).toEqual([B, H, TI, TI]);
    expect(out.hooks["vision.blocks.0.mlp.hook_post"].dims).toEqual([B, TI, F]);
    expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_pre"].data, ref.resid_pre)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.attn.hook_pattern"].data, ref.pattern)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.mlp.hook_post"].data, ref.mlp_post)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_post"].data, ref.resid_post)).toBeLessThan(TOL);
    expect(runner.activeEp.image).toBe("cpu");
  });

  it("decodes and preprocesses PNG images before running", async () => {
    const png = new PNG({ width: 8, height: 8 });
    const r = prng(3);
    for (let i = 0; i < png.data.length; i++) png.data[i] = Math.floor((r() + 1) * 127.5);
    const bytes = PNG.sync.write(png);
    const out = await runner.runImages([bytes], ["vision.blocks.0.hook_resid_post"]);
    const pixels = preprocessImages([bytes], fixtureManifest().image!.preprocess);
    const ref = referenceImage(pixels, 1);
    expect(maxAbsDiff(out.hooks["vision.blocks.0.hook_resid_post"].data, ref.resid_post)).toBeLessThan(TOL);
  });

  it("tokenizes texts, pools at <eos> and returns text hooks", async () => {
    const texts = ["a red circle", "Blue SQUARE!", "a red blue circle square"]; // last one is truncated
    const out = await runner.runTexts(texts, ["text.blocks.0.hook_resid_post", "text.blocks.0.attn.hook_pattern"], {
      batchSize: 2,
    });
    expect(out.tokens.map((t) => t.eosPosition)).toEqual([3, 2, 4]);
    const ref = referenceText(out.tokens.map((t) => t.ids));
    expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.hooks["text.blocks.0.hook_resid_post"].data, ref.resid_post)).toBeLessThan(TOL);
    const pattern = out.hooks["text.blocks.0.attn.hook_pattern"].data;
    expect(pattern[1]).toBe(0); // causal: position 0 never attends to position 1
    expect(maxAbsDiff(pattern, ref.pattern)).toBeLessThan(TOL);
  });

  it("encodes SAEs in-graph exactly like Sae.encode (relu, topk, jumprelu, gated, norm modes) with sparse top-k", async () => {
    const pixels = randomPixels(3, 8);
    const out = await runner.runPixels(pixels, ["vision.blocks.0.hook_resid_post"], {
      saes: ["v.relu", "v.topk", "v.jump", "v.cnr", "v.ln", "v.gated"],
      saeTopK: 2,
    });
    const resid = out.hooks["vision.blocks.0.hook_resid_post"].data;
    expect(out.saes["v.gated"].data!.some((v) => v > 0)).toBe(true);
    for (const name of ["v.relu", "v.topk", "v.jump", "v.cnr", "v.ln", "v.gated"]) {
      const js = runner.sae(name).encode(resid);
      expect(out.saes[name].dims).toEqual([3, TI, 12]);
      expect(maxAbsDiff(out.saes[name].data!, js)).toBeLessThan(TOL);
    }
    const topk = out.saes["v.topk"].data!;
    for (let row = 0; row < 3 * TI; row++)
      expect(topk.subarray(row * 12, row * 12 + 12).filter((v) => v !== 0).length).toBeLessThanOrEqual(3);
    const sp = out.saes["v.relu"].sparse!;
    const row0 = Array.from(out.saes["v.relu"].data!.subarray(0, 12));
    expect(sp.values[0]).toBeCloseTo(Math.max(...row0), 6);
    expect(sp.indices[0]).toBe(row0.indexOf(Math.max(...row0)));
  });

  it("sparse SAE output (computed in-graph) equals the top features of Sae.encode", async () => {
    const pixels = randomPixels(2, 9);
    const out = await runner.runPixels(pixels, ["vision.blocks.0.hook_resid_post"], {
      saes: ["v.topk", "v.relu"],
      saeOutput: "sparse",
      saeTopK: 2,
    });
    const resid = out.hooks["vision.blocks.0.hook_resid_post"].data;
    for (const name of ["v.topk", "v.relu"]) {
      const got = out.saes[name];
      expect(got.data).toBeUndefined();
      expect(got.dims).toEqual([2, TI, 12]);
      const want = runner.sae(name).encodeSparse(resid, 2);
      expect(got.sparse!.k).toBe(2);
      expect(Array.from(got.sparse!.indices)).toEqual(Array.from(want.indices));
      expect(maxAbsDiff(got.sparse!.values, want.values)).toBeLessThan(TOL);
    }
    // TopK SAE without saeTopK uses its own k (3); a ReLU SAE needs saeTopK
    const own = await runner.runPixels(pixels, [], { saes: ["v.topk"], saeOutput: "sparse" });
    expect(own.saes["v.topk"].sparse!.k).toBe(3);
    expect(await codeOf(runner.runPixels(pixels, [], { saes: ["v.relu"], saeOutput: "sparse" }))).toBe("BAD_INPUT");
  });

  it("refuses unknown hooks, listing close names", async () => {
    const err = await runner.runPixels(randomPixels(1), ["vision.blocks.0.hook_resid_pots"]).catch((e) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err.code).toBe("UNKNOWN_HOOK");
    expect(err.message).toContain("vision.blocks.0.hook_resid_post");
    expect(await codeOf(runner.runPixels(randomPixels(1), ["text.blocks.0.hook_resid_post"]))).toBe("UNKNOWN_HOOK");
  });

  it("refuses wrongly sized inputs", async () => {
    expect(await codeOf(runner.runPixels(new Float32Array(10)))).toBe("BAD_INPUT");
    expect(
      await codeOf(runner.runImages([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])])),
    ).toBe("BAD_IMAGE");
    expect(await codeOf(runner.runTexts([42 as unknown as string]))).toBe("BAD_INPUT");
  });
});

describe("model / spec validation", () => {
  it("SHAPE_MISMATCH when the graph produces a shape the manifest does not declare", async () => {
    const dir = writeFixtureModel((m) => {
      m.hookPoints[3].shape = ["batch", TI, 7];
      m.hookPoints[3].width = 7;
    });
    const runner = await createRunner(dir, { logger: quiet });
    const err = await runner.runPixels(randomPixels(2), ["vision.blocks.0.hook_resid_post"]).catch((e) => e);
    expect(err.code).toBe("SHAPE_MISMATCH");
    expect(err.message).toMatch(/got shape \[2, 16, 8\].*\[batch, 16, 7\]/);
    await runner.close();
  });

  it("BAD_MODEL when a manifest hook tensor is not in the graph (with close tensor names)", async () => {
    const dir = writeFixtureModel((m) => {
      m.hookPoints[0].tensor = "v_resid_pr";
    });
    const err = await createRunner(dir, { logger: quiet }).catch((e) => e);
    expect(err.code).toBe("BAD_MODEL");
    expect(err.message).toContain("v_resid_pre");
  });

  it("BAD_MODEL for a corrupt ONNX file and for a wrong input name", async () => {
    const dir = writeFixtureModel();
    writeFileSync(join(dir, "image.onnx"), Buffer.from("definitely not onnx"));
    expect(await codeOf(createRunner(dir, { logger: quiet }))).toBe("BAD_MODEL");
    const dir2 = writeFixtureModel((m) => {
      m.image!.input = "images";
    });
    const err = await createRunner(dir2, { logger: quiet }).catch((e) => e);
    expect(err.code).toBe("BAD_MODEL");
    expect(err.message).toContain("pixels");
  });

  it("BAD_MANIFEST lists problems", async () => {
    const dir = writeFixtureModel((m) => {
      (m as unknown as Record<string, unknown>).embedDim = -1;
      m.hookPoints[1].shape = [2, 3];
    });
    const err = await createRunner(dir, { logger: quiet }).catch((e) => e);
    expect(err.code).toBe("BAD_MANIFEST");
    expect(err.message).toMatch(/embedDim/);
    expect(err.message).toMatch(/must start with "batch"/);
  });

  it("falls back to CPU with a logged reason when an unavailable provider is requested", async () => {
    const dir = writeFixtureModel();
    const logs: string[] = [];
    const runner = await createRunner(dir, { ep: "cuda", logger: (m) => logs.push(m) });
    await runner.runPixels(randomPixels(1));
    expect(runner.activeEp.image).toBe("cpu");
    expect(logs.join("\n")).toMatch(/cuda/);
    await runner.close();
  });

  it("SAE with a mismatched d_in is refused", async () => {
    const dir = writeFixtureModel((m) => {
      m.saes = [{ name: "bad", path: "saes/bad", hookPoint: "vision.blocks.0.mlp.hook_post" }];
    });
    writeSae(dir, "bad", "standard", "vision.blocks.0.mlp.hook_post");
    const runner = await createRunner(dir, { logger: quiet });
    const err = await runner.runPixels(randomPixels(1), [], { saes: ["bad"] }).catch((e) => e);
    expect(err.code).toBe("BAD_SAE");
    expect(err.message).toMatch(/d_in 8 .* last dim 16/);
    expect(() => runner.sae("bad").encode(new Float32Array(12))).toThrow(/not a multiple of 8/);
    await runner.close();
  });
});

export { TT };
