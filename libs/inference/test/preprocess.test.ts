// Image decoding and preprocessing golden values (hand-computed bilinear resizes, normalization, layouts).
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { decodeImage, InferenceError, preprocessImage, resizeBilinearRgb, type RgbaImage } from "../src";
import { bilinearTaps } from "../src/preprocess";

function png(width: number, height: number, rgba: number[]): Buffer {
  const p = new PNG({ width, height });
  p.data.set(rgba);
  return PNG.sync.write(p);
}
const gray = (w: number, h: number, values: number[]): RgbaImage => ({
  width: w,
  height: h,
  data: Uint8Array.from(values.flatMap((v) => [v, v, v, 255])),
});

describe("bilinear resize", () => {
  it("upsamples a 2×2 PNG to 4×4 with half-pixel centers (hand-computed)", () => {
    // R channel: [[0, 100], [200, 40]]
    const bytes = png(2, 2, [0, 0, 0, 255, 100, 0, 0, 255, 200, 0, 0, 255, 40, 0, 0, 255]);
    const r = resizeBilinearRgb(decodeImage(bytes), 4, 4).subarray(0, 16);
    // per axis, outputs mix the two inputs with weights [1,0], [.75,.25], [.25,.75], [0,1]
    // row 0 (=top row): 0, 25, 75, 100 ; row 3 (=bottom row): 200, 160, 80, 40
    expect(Array.from(r.subarray(0, 4))).toEqual([0, 25, 75, 100]);
    expect(Array.from(r.subarray(12, 16))).toEqual([200, 160, 80, 40]);
    // row 1 = .75*top + .25*bottom: 50, 58.75, 76.25, 85
    expect(Array.from(r.subarray(4, 8)).map((v) => +v.toFixed(4))).toEqual([50, 58.75, 76.25, 85]);
  });

  it("downsamples with an antialiasing triangle filter (4 → 2)", () => {
    // output 0: center 1.0, taps at source 0,1,2 with weights .75,.75,.25 → /1.75
    const taps = bilinearTaps(4, 2);
    expect(taps.start[0]).toBe(0);
    expect(taps.count[0]).toBe(3);
    expect(Array.from(taps.weights.subarray(0, 3)).map((w) => +w.toFixed(6))).toEqual([0.428571, 0.428571, 0.142857]);
    const out = resizeBilinearRgb(gray(4, 1, [0, 70, 140, 210]), 2, 1);
    expect(out[0]).toBeCloseTo((0.75 * 0 + 0.75 * 70 + 0.25 * 140) / 1.75, 4); // 50
    expect(out[1]).toBeCloseTo((0.25 * 70 + 0.75 * 140 + 0.75 * 210) / 1.75, 4); // 160
  });

  it("is the identity at the same size", () => {
    const img = gray(3, 2, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeBilinearRgb(img, 3, 2).subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("preprocessImage", () => {
  const spec = {
    size: 2,
    layout: "NCHW" as const,
    mean: [0.5, 0.5, 0.5] as [number, number, number],
    std: [0.25, 0.5, 1] as [number, number, number],
  };
  it("normalizes (v/255 - mean)/std per channel, NCHW and NHWC", () => {
    const img: RgbaImage = {
      width: 2,
      height: 2,
      data: Uint8Array.from([255, 0, 51, 9, 0, 255, 51, 9, 255, 255, 51, 9, 0, 0, 51, 9]),
    };
    const chw = preprocessImage(img, spec);
    expect(Array.from(chw.subarray(0, 4))).toEqual([2, -2, 2, -2]); // R: (1-.5)/.25, (0-.5)/.25
    expect(Array.from(chw.subarray(4, 8))).toEqual([-1, 1, 1, -1]); // G: ±.5/.5
    expect(chw[8]).toBeCloseTo(0.2 - 0.5, 6); // B: 51/255 = .2, std 1
    const hwc = preprocessImage(img, { ...spec, layout: "NHWC" });
    expect(hwc[0]).toBe(2);
    expect(hwc[1]).toBe(-1);
    expect(hwc[2]).toBeCloseTo(-0.3, 6);
  });
  it("decodes JPEG with jpeg-js", () => {
    const w = 8,
      h = 8;
    const data = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set([200, 30, 90, 255], i * 4);
    const bytes = jpeg.encode({ width: w, height: h, data }, 95).data;
    const img = decodeImage(bytes);
    expect([img.width, img.height]).toEqual([8, 8]);
    expect(Math.abs(img.data[0] - 200)).toBeLessThan(4);
    expect(Math.abs(img.data[1] - 30)).toBeLessThan(4);
  });
  it("rejects corrupt or unknown images with BAD_IMAGE", () => {
    const good = png(2, 2, new Array(16).fill(128));
    const truncated = good.subarray(0, good.length - 20);
    const corrupt = Buffer.from(good);
    corrupt[40] ^= 0xff; // inside IHDR/IDAT: CRC fails
    for (const bad of [
      truncated,
      corrupt,
      Buffer.from("GIF89a......"),
      new Uint8Array(0),
      Uint8Array.from([0xff, 0xd8, 0xff, 0, 1, 2]),
    ]) {
      let code = "none";
      try {
        decodeImage(bad);
      } catch (e) {
        code = (e as InferenceError).code;
      }
      expect(code).toBe("BAD_IMAGE");
    }
  });
});
