// Feature visualization: regulariser and parameterisation math against hand-computed values, and the optimiser on
// the built-in weights (deterministic with a seed; the result activates its unit more than its start image and
// more than random images).
import * as tf from "@tensorflow/tfjs";
import { useWasmBackend } from "../src/model/backend";
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { patchify } from "../src/model/batch";
import { builtinModelDir } from "../src/paths";
import { createRng } from "../src/shapes/rng";
import { l2FromGrey, roll2d, totalVariation } from "../src/feature-vis/regularizers";
import {
  COLOR_CORRELATION,
  coefficientsToPixels,
  createImageBasis,
  dctBasis,
  disposeImageBasis,
  pixelsToPatches,
  spectrumScale,
} from "../src/feature-vis/parameterization";
import { checkTarget, type VisTarget } from "../src/feature-vis/unit-objective";
import { FeatureVisualizer } from "../src/feature-vis/visualizer";

jest.setTimeout(120_000);

beforeAll(() => useWasmBackend(1));

describe("regularisers", () => {
  // one 2×2 single-channel image [[0, 1], [1, 3]]: vertical |1-0| + |3-1| = 3, horizontal |1-0| + |3-1| = 3,
  // over C·((H-1)·W + H·(W-1)) = 4 pairs → 1.5
  const img = () => tf.tensor4d([0, 1, 1, 3], [1, 2, 2, 1]);

  it("total variation of a tiny image", () => {
    expect(totalVariation(img()).arraySync()[0]).toBeCloseTo(1.5, 6);
  });

  it("total variation is 0 for a flat image and per image in a batch", () => {
    const batch = tf.concat([tf.fill([1, 2, 2, 1], 0.3), img()]) as tf.Tensor4D;
    const tv = totalVariation(batch).arraySync();
    expect(tv[0]).toBeCloseTo(0, 6);
    expect(tv[1]).toBeCloseTo(1.5, 6);
  });

  it("L2 from grey: mean of (x - 0.5)²", () => {
    // (0.25 + 0.25 + 0.25 + 6.25) / 4 = 1.75
    expect(l2FromGrey(img()).arraySync()[0]).toBeCloseTo(1.75, 6);
  });

  it("roll2d shifts with wrap-around", () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]); // rows [1 2 3], [4 5 6]
    expect(Array.from(roll2d(x, 0, 1).dataSync())).toEqual([3, 1, 2, 6, 4, 5]);
    expect(Array.from(roll2d(x, 1, -1).dataSync())).toEqual([5, 6, 4, 2, 3, 1]);
  });
});

describe("image parameterisation", () => {
  it("the DCT basis is orthonormal", () => {
    const n = 8,
      b = dctBasis(n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += b[i * n + k] * b[j * n + k];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    expect(b[0]).toBeCloseTo(Math.sqrt(1 / 8), 6);
    expect(b[1 * n + 0]).toBeCloseTo(Math.sqrt(2 / 8) * Math.cos(Math.PI / 16), 6);
  });

  it("spectrum scale: n at DC, 1/f beyond 1/n (decay 1)", () => {
    const s = spectrumScale(4); // f = √(ky² + kx²) / 8, clamped below at 1/4
    expect(s[0]).toBeCloseTo(4, 6); // 1 / max(0, 1/4)
    expect(s[1]).toBeCloseTo(4, 6); // f = 1/8 → clamped to 1/4
    expect(s[3]).toBeCloseTo(8 / 3, 5); // f = 3/8
    expect(s[3 * 4 + 3]).toBeCloseTo(8 / Math.sqrt(18), 5);
    expect(spectrumScale(4, 2)[3]).toBeCloseTo(16 / 9, 5); // 4^(1-2) / (3/8)²
  });

  it("zero coefficients are mid-grey; a DC coefficient moves every pixel by one colour column", () => {
    const b = createImageBasis(4);
    const zero = coefficientsToPixels(tf.zeros([1, 3, 4, 4]) as tf.Tensor4D, b).dataSync();
    for (const v of zero) expect(v).toBeCloseTo(0.5, 6);
    // DC of decorrelated channel 0 = 1 → every pixel's pre-sigmoid value is M[c][0]·1 (scale n · basis 1/n)
    const dc = tf.tensor4d(
      Float32Array.from({ length: 48 }, (_, i) => (i === 0 ? 1 : 0)),
      [1, 3, 4, 4],
    );
    const px = coefficientsToPixels(dc, b).dataSync();
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    for (let p = 0; p < 16; p++)
      for (let c = 0; c < 3; c++) expect(px[p * 3 + c]).toBeCloseTo(sig(COLOR_CORRELATION[c][0]), 5);
    disposeImageBasis(b);
  });

  it("pixelsToPatches matches patchify", () => {
    const c = CLIP_SHAPES_CONFIG,
      rng = createRng(3);
    const img = Uint8Array.from({ length: 32 * 32 * 3 }, () => Math.floor(rng() * 256));
    const px = tf.tensor4d(
      Float32Array.from(img, (v) => v / 255),
      [1, 32, 32, 3],
    );
    const ours = pixelsToPatches(c, px).dataSync();
    const ref = patchify(c, [img]);
    expect(ours.length).toBe(ref.length);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("targets", () => {
  const width = (h: string) => (h.endsWith("mlp.hook_post") ? 256 : h.endsWith("resid_post") ? 64 : undefined);
  it("refuses text-tower hooks and out-of-range indices", () => {
    expect(() => checkTarget({ kind: "neuron", hook: "text.blocks.0.mlp.hook_post", index: 0 }, width)).toThrow(
      /not an image-tower/,
    );
    expect(() => checkTarget({ kind: "neuron", hook: "vision.blocks.0.mlp.hook_post", index: 256 }, width)).toThrow(
      /outside 0..255/,
    );
    expect(() =>
      checkTarget({ kind: "neuron", hook: "vision.blocks.0.mlp.hook_post", index: 255 }, width),
    ).not.toThrow();
  });
});

describe("FeatureVisualizer on the built-in weights", () => {
  let v: FeatureVisualizer;
  let targets: VisTarget[];
  beforeAll(async () => {
    v = await FeatureVisualizer.open(builtinModelDir());
    const sae = v.sae("saes/vision.blocks.1.hook_resid_post.topk");
    targets = [
      { kind: "neuron", hook: "vision.blocks.0.mlp.hook_post", index: 3 },
      { kind: "neuron", hook: "vision.blocks.1.mlp.hook_post", index: 10 },
      { kind: "sae", hook: "vision.blocks.1.hook_resid_post", index: 5, saeKey: "topk1", sae },
    ];
  });
  afterAll(() => v.dispose());

  it("is deterministic with a seed and beats the start image and random images", async () => {
    const opts = { steps: 32, seed: 7 };
    const a = await v.visualize(targets, opts);
    const b = await v.visualize(targets, opts);
    const rng = createRng(99);
    const random = Array.from({ length: 8 }, () =>
      Uint8Array.from({ length: 32 * 32 * 3 }, () => Math.floor(rng() * 256)),
    );
    a.forEach((r, i) => {
      expect(Buffer.from(r.rgb).equals(Buffer.from(b[i].rgb))).toBe(true);
      expect(r.activation).toBe(b[i].activation);
      expect(r.png.subarray(1, 4).toString()).toBe("PNG");
      expect(r.rgb.length).toBe(32 * 32 * 3);
      // the stored activation is the unit's value on the stored 8-bit image
      expect(v.measure([targets[i]], [r.rgb])[0]).toBeCloseTo(r.activation, 5);
      expect(r.activation).toBeGreaterThan(r.startActivation);
      const randomBest = Math.max(
        ...v.measure(
          random.map(() => targets[i]),
          random,
        ),
      );
      expect(r.activation).toBeGreaterThan(randomBest);
    });
    // another seed gives another image
    const c = await v.visualize(targets.slice(0, 1), { steps: 32, seed: 8 });
    expect(Buffer.from(c[0].rgb).equals(Buffer.from(a[0].rgb))).toBe(false);
  });

  it("a target's image does not depend on the other targets of its batch", async () => {
    const alone = await v.visualize(targets.slice(1, 2), { steps: 8, seed: 7 });
    const together = await v.visualize(targets, { steps: 8, seed: 7 });
    let worst = 0;
    alone[0].rgb.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - together[1].rgb[i]))));
    expect(worst).toBeLessThanOrEqual(1);
  });
});
