// The small PNG decoder (8-bit RGB/RGBA) gives exactly pngjs's pixels on every filter type; other PNGs and corrupt
// files are left to pngjs (null). The same-size resize is the identity, as the bilinear taps are.
import { PNG } from "pngjs";
import { decodeImage, resizeBilinearRgb } from "../src";
import { bilinearTaps } from "../src/preprocess";
import { decodeSimplePng } from "../src/preprocess/decode-png";

function png(width: number, height: number, colorType: 2 | 6, fill: (i: number) => number, filterType = -1): Buffer {
  const p = new PNG({ width, height, colorType, inputColorType: 6, filterType });
  for (let i = 0; i < p.data.length; i++) p.data[i] = fill(i);
  return PNG.sync.write(p, { colorType, filterType });
}

const pngjs = (b: Buffer) => new Uint8Array(PNG.sync.read(b).data);

test("matches pngjs on RGB and RGBA images with every filter type", () => {
  let checked = 0;
  for (const colorType of [2, 6] as const) {
    for (const filterType of [-1, 0, 1, 2, 3, 4]) {
      for (const [w, h] of [
        [1, 1],
        [7, 5],
        [32, 32],
      ]) {
        const bytes = png(w, h, colorType, (i) => (i * 37 + (i >> 3) * 11 + ((i * i) % 251)) & 255, filterType);
        const mine = decodeSimplePng(bytes);
        expect(mine).not.toBeNull();
        expect([mine!.width, mine!.height]).toEqual([w, h]);
        expect(Buffer.from(mine!.data).equals(Buffer.from(pngjs(bytes)))).toBe(true);
        checked++;
      }
    }
  }
  expect(checked).toBe(36);
});

test("leaves other PNGs and corrupt bytes to pngjs", () => {
  const gray = new PNG({ width: 2, height: 2, colorType: 0, inputColorType: 6 });
  gray.data.fill(200);
  expect(decodeSimplePng(PNG.sync.write(gray, { colorType: 0 }))).toBeNull();
  const good = png(4, 4, 6, (i) => i & 255);
  const corrupt = Buffer.from(good);
  corrupt[40] ^= 0xff;
  expect(decodeSimplePng(corrupt)).toBeNull();
  expect(decodeSimplePng(good.subarray(0, good.length - 20))).toBeNull();
  expect(() => decodeImage(corrupt)).toThrow(expect.objectContaining({ code: "BAD_IMAGE" }));
});

test("a same-size resize returns the RGB planes unchanged, as the identity taps would", () => {
  const t = bilinearTaps(4, 4);
  for (let o = 0; o < 4; o++) expect(t.weights[o * t.maxTaps]).toBe(1);
  const data = Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => i * 10);
  const out = resizeBilinearRgb({ width: 2, height: 2, data }, 2, 2);
  expect(Array.from(out)).toEqual([0, 40, 80, 120, 10, 50, 90, 130, 20, 60, 100, 140]);
});
