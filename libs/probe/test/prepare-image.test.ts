// prepareProbeImage (sharp, off the event loop): small images pass through byte for byte (results unchanged),
// large ones are shrunk to 4× the model's input size with pixels close to the old direct path, corrupt and
// truncated data get a clean typed message (no decoder internals), and the pixel limit is enforced.
import { isAppError } from "@mmatlas/errors";
import { decodeImage, resizeBilinearRgb } from "@mmatlas/inference";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import sharp from "sharp";
import { prepareProbeImage, SHRINK_FACTOR } from "../src/prepare-image";

jest.setTimeout(60_000);

const SIZE = 32; // the built-in model's input size

/** A W×H PNG with smooth gradients, a disc and some speckle (compresses well, not trivially). */
async function pngOf(width: number, height: number, channels: 3 | 4 = 3): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      raw[i] = inDisc ? 220 : Math.floor((255 * x) / width);
      raw[i + 1] = inDisc ? 40 : Math.floor((255 * y) / height);
      raw[i + 2] = (x * 7 + y * 13) % 151 === 0 ? 255 : 90;
      if (channels === 4) raw[i + 3] = x < width / 8 ? 0 : 255; // transparent strip: its colour still counts
    }
  return sharp(raw, { raw: { width, height, channels } }).png().toBuffer();
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; field: unknown; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return { code: e.code, field: e.details?.field, message: e.message };
}

const opts = { inputSize: SIZE, maxPixels: 4096 * 4096 };

test("images up to 4× the input size pass through unchanged (their results stay exactly what they were)", async () => {
  for (const [w, h] of [
    [32, 32],
    [SHRINK_FACTOR * SIZE, SHRINK_FACTOR * SIZE],
    [100, 17],
  ]) {
    const png = await pngOf(w, h);
    const out = await prepareProbeImage(png, opts);
    expect(Buffer.from(out).equals(png)).toBe(true);
  }
  const jpg = Buffer.from(jpeg.encode({ width: 64, height: 48, data: Buffer.alloc(64 * 48 * 4, 99) }, 90).data);
  expect(Buffer.from(await prepareProbeImage(jpg, opts)).equals(jpg)).toBe(true);
});

test("larger images are shrunk to 4× the input size, per side, with pixels close to the old direct resize", async () => {
  for (const [w, h, channels] of [
    [1000, 600, 3],
    [700, 90, 4],
  ] as const) {
    const png = await pngOf(w, h, channels);
    const out = await prepareProbeImage(png, opts);
    const small = PNG.sync.read(Buffer.from(out));
    expect([small.width, small.height]).toEqual([Math.min(w, SHRINK_FACTOR * SIZE), Math.min(h, SHRINK_FACTOR * SIZE)]);
    // what the model's preprocessing makes of it, against the old path (decode + resize the full image)
    const before = resizeBilinearRgb(decodeImage(png), SIZE, SIZE);
    const after = resizeBilinearRgb(decodeImage(out), SIZE, SIZE);
    let max = 0,
      sum = 0;
    for (let i = 0; i < before.length; i++) {
      const d = Math.abs(before[i] - after[i]);
      max = Math.max(max, d);
      sum += d;
    }
    expect(max).toBeLessThan(3); // of 255
    expect(sum / before.length).toBeLessThan(0.5);
  }
});

test("a 4000×4000 PNG is decoded off the event loop: timers keep firing while it is prepared", async () => {
  const png = await sharp(await pngOf(400, 400))
    .resize(4000, 4000, { kernel: "nearest" })
    .png()
    .toBuffer();
  let last = performance.now(),
    maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 2);
  const t0 = performance.now();
  const out = await prepareProbeImage(png, opts);
  const took = performance.now() - t0;
  clearInterval(timer);
  expect(PNG.sync.read(Buffer.from(out)).width).toBe(SHRINK_FACTOR * SIZE);
  // the old path decoded and resized on the loop in one block (the whole time); now the loop stays free
  expect(maxGap).toBeLessThan(Math.max(250, took / 2)); // generous for a busy machine; a synchronous decode holds the loop ~0.5 s
});

test("corrupt and truncated images get a clean typed message, without the decoder's internals", async () => {
  const png = await pngOf(64, 64);
  const jpg = Buffer.from(jpeg.encode({ width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4, 77) }, 90).data);
  const zeroed = Buffer.from(png).fill(0, 40, 80);
  const cases: [Buffer, string][] = [
    [png.subarray(0, png.length - 30), "PNG"],
    [png.subarray(0, png.length >> 1), "PNG"],
    [zeroed, "PNG"],
    [jpg.subarray(0, jpg.length >> 1), "JPEG"],
  ];
  for (const [bytes, format] of cases) {
    const e = await errorOf(prepareProbeImage(bytes, opts));
    expect(e).toEqual({
      code: "BAD_USER_INPUT",
      field: "image",
      message: `the image could not be decoded (corrupt or truncated ${format})`,
    });
  }
});

test("images over the pixel limit are refused from the header, before any pixel is decoded", async () => {
  const png = await pngOf(300, 200);
  const e = await errorOf(prepareProbeImage(png, { inputSize: SIZE, maxPixels: 300 * 200 - 1 }));
  expect(e).toEqual({
    code: "BAD_USER_INPUT",
    field: "image",
    message: `image is 300×200 pixels, over the probe limit of ${300 * 200 - 1} pixels`,
  });
  expect((await prepareProbeImage(png, { inputSize: SIZE, maxPixels: 300 * 200 })).length).toBeGreaterThan(0);
});

test("for shortest-edge + center-crop models the shrink keeps the aspect ratio (shortest side = 4× the input)", async () => {
  const png = await pngOf(1000, 600);
  const small = PNG.sync.read(Buffer.from(await prepareProbeImage(png, { ...opts, keepAspect: true })));
  expect(small.height).toBe(SHRINK_FACTOR * SIZE);
  expect(small.width).toBe(Math.round((1000 / 600) * SHRINK_FACTOR * SIZE));
  const tall = PNG.sync.read(Buffer.from(await prepareProbeImage(await pngOf(90, 700), { ...opts, keepAspect: true })));
  expect([tall.width, tall.height]).toEqual([90, 700]); // shortest side already under 4×: never enlarged (but decoded: 700 > 128)
});
