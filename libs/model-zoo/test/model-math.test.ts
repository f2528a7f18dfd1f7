// Pure helpers of the model: TransformerLens weight layout round trip, soft InfoNCE targets, LR schedule, patchify order.
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { patchify, toNchw } from "../src/model/batch";
import { softTargets } from "../src/model/loss";
import { fromTransformerLens, paramShapes, toTransformerLens, type HostWeights } from "../src/model/params";
import { learningRate } from "../src/model/train";

describe("TransformerLens layout", () => {
  const c = CLIP_SHAPES_CONFIG;
  const w: HostWeights = {};
  let k = 0;
  for (const [name, shape] of Object.entries(paramShapes(c))) {
    const n = shape.reduce((a, b) => a * b, 1);
    w[name] = { shape, data: Float32Array.from({ length: n }, () => k++ % 9973) };
  }

  it("splits fused QKV into per-head W_Q/W_K/W_V and back exactly", () => {
    const tl = toTransformerLens(c, w);
    expect(tl["vision.blocks.0.attn.W_Q"].shape).toEqual([4, 64, 16]);
    expect(tl["text.blocks.1.attn.b_V"].shape).toEqual([4, 16]);
    expect(tl["vision.blocks.1.attn.W_O"].shape).toEqual([4, 16, 64]);
    expect(tl["vision.blocks.0.attn.W_QKV"]).toBeUndefined();
    // W_K[h=1, d=2, e=3] = W_QKV[d=2, D + 1*16 + 3]
    const fused = w["vision.blocks.0.attn.W_QKV"].data;
    expect(tl["vision.blocks.0.attn.W_K"].data[(1 * 64 + 2) * 16 + 3]).toBe(fused[2 * 192 + 64 + 16 + 3]);
    const back = fromTransformerLens(c, tl);
    for (const name of Object.keys(w))
      expect(Buffer.from(back[name].data.buffer).equals(Buffer.from(w[name].data.buffer))).toBe(true);
  });

  it("refuses a weight with the wrong shape", () => {
    const tl = toTransformerLens(c, w);
    tl["vision.proj"] = { shape: [64, 32], data: new Float32Array(64 * 32) };
    expect(() => fromTransformerLens(c, tl)).toThrow(/vision.proj has shape \[64,32\]/);
  });
});

describe("softTargets", () => {
  it("spreads probability over every true caption (hand-computed)", () => {
    // image 0 matches captions 0 and 1; image 1 only caption 1; image 2 only caption 2
    const { imageToText, textToImage } = softTargets([
      [true, true, false],
      [false, true, false],
      [false, false, true],
    ]);
    expect(Array.from(imageToText)).toEqual([0.5, 0.5, 0, 0, 1, 0, 0, 0, 1]);
    // caption 1 is true of images 0 and 1
    expect(Array.from(textToImage)).toEqual([1, 0, 0, 0.5, 0.5, 0, 0, 0, 1]);
  });
});

describe("learningRate", () => {
  it("warms up linearly then decays by cosine to 5%", () => {
    const o = { lr: 1, warmup: 10, steps: 110 };
    expect(learningRate(0, o)).toBeCloseTo(0.1);
    expect(learningRate(9, o)).toBeCloseTo(1);
    expect(learningRate(60, o)).toBeCloseTo(0.05 + 0.95 * 0.5);
    expect(learningRate(110, o)).toBeCloseTo(0.05);
  });
});

describe("patchify", () => {
  it("orders patches row-major and values (row, col, channel), normalized", () => {
    const c = CLIP_SHAPES_CONFIG;
    const img = new Uint8Array(32 * 32 * 3);
    // pixel (y=9, x=17) channel 2 lies in patch (gy=1, gx=2) at (py=1, px=1)
    img[(9 * 32 + 17) * 3 + 2] = 255;
    const p = patchify(c, [img]);
    const at = (1 * 4 + 2) * 192 + (1 * 8 + 1) * 3 + 2;
    expect(p[at]).toBeCloseTo((1 - 0.5) / 0.25);
    expect(p[at - 1]).toBeCloseTo((0 - 0.5) / 0.25);
    const nchw = toNchw([img], 32);
    expect(nchw[2 * 1024 + 9 * 32 + 17]).toBe(1);
  });
});
