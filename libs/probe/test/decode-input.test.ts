// Upload checks: base64 / data: URL decoding (any MIME type: the format comes from the bytes), the size and
// pixel limits (checked before decoding), formats other than PNG/JPEG named in the refusal, text checks.
import { isAppError } from "@mmatlas/errors";
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { DEFAULT_MAX_IMAGE_BYTES, formatBytes, maxImageBytes, probeLimits } from "../src";
import {
  checkProbeText,
  decodeBase64Image,
  DEFAULT_MAX_IMAGE_PIXELS,
  maxImagePixels,
  MAX_TEXT_CHARS,
} from "../src/decode-input";
import { imageFormat, imageSize } from "../src/image-header";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? `${e.code}:${String(e.details?.field)}` : "other";
  }
  return "ok";
};

const smallPng = () => PNG.sync.write(new PNG({ width: 3, height: 2 }));
const smallJpeg = () => Buffer.from(jpeg.encode({ width: 5, height: 7, data: Buffer.alloc(5 * 7 * 4, 128) }, 80).data);
const messageOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "ok";
};

test("decodes plain base64 and data: URLs", () => {
  const bytes = Uint8Array.from(smallPng());
  const b64 = Buffer.from(bytes).toString("base64");
  expect(Array.from(decodeBase64Image(b64, 100))).toEqual(Array.from(bytes));
  expect(Array.from(decodeBase64Image(`data:image/png;base64,${b64}`, 100))).toEqual(Array.from(bytes));
  expect(Array.from(decodeBase64Image(`${b64.slice(0, 4)}\n${b64.slice(4)}`, 100))).toEqual(Array.from(bytes));
});

test("refuses oversized, empty and non-base64 images with BAD_USER_INPUT on the image field", () => {
  const png = smallPng();
  const b64 = Buffer.concat([png, Buffer.alloc(1000 - png.length, 7)]).toString("base64");
  expect(code(() => decodeBase64Image(b64, 999))).toBe("BAD_USER_INPUT:image");
  expect(messageOf(() => decodeBase64Image(b64, 999))).toBe(
    "image is 1000 bytes, over the probe limit of 999 bytes (999 bytes)",
  );
  expect(code(() => decodeBase64Image(b64, 1000))).toBe("ok");
  expect(code(() => decodeBase64Image("", 10))).toBe("BAD_USER_INPUT:image");
  expect(code(() => decodeBase64Image("ab$d", 10))).toBe("BAD_USER_INPUT:image");
  expect(code(() => decodeBase64Image("abc", 10))).toBe("BAD_USER_INPUT:image");
});

test("the limit comes from PROBE_MAX_IMAGE_BYTES, else 2 MiB", () => {
  expect(maxImageBytes({})).toBe(DEFAULT_MAX_IMAGE_BYTES);
  expect(DEFAULT_MAX_IMAGE_BYTES).toBe(2 * 1024 * 1024);
  expect(maxImageBytes({ PROBE_MAX_IMAGE_BYTES: "4096" })).toBe(4096);
  expect(maxImageBytes({ PROBE_MAX_IMAGE_BYTES: "-3" })).toBe(DEFAULT_MAX_IMAGE_BYTES);
});

test("texts are trimmed; empty and overlong texts are refused", () => {
  expect(checkProbeText("  red circle ")).toBe("red circle");
  expect(code(() => checkProbeText(" \n ")).toString()).toBe("BAD_USER_INPUT:text");
  expect(code(() => checkProbeText("a".repeat(MAX_TEXT_CHARS + 1)))).toBe("BAD_USER_INPUT:text");
});

test("image size is read from PNG/JPEG headers; a decompression bomb header is refused before decoding", () => {
  const small = PNG.sync.write(Object.assign(new PNG({ width: 3, height: 2 }), {}));
  expect(imageSize(small)).toEqual({ width: 3, height: 2 });
  expect(imageSize(smallJpeg())).toEqual({ width: 5, height: 7 });
  const bomb = Buffer.from(small);
  bomb.writeUInt32BE(100_000, 16); // claims 100000 × 2 pixels... and
  bomb.writeUInt32BE(1_000, 20); // × 1000
  expect(code(() => decodeBase64Image(bomb.toString("base64"), 1 << 20))).toBe("BAD_USER_INPUT:image");
  expect(DEFAULT_MAX_IMAGE_PIXELS).toBe(4096 * 4096);
});

test("a data: URL may claim any MIME type: a JPEG sent as data:image/gif is a JPEG", () => {
  const jpg = smallJpeg();
  for (const prefix of [
    "data:image/gif;base64,",
    "data:application/octet-stream;base64,",
    "data:;base64,",
    "DATA:IMAGE/JPG;BASE64,",
    "data:image/jpeg;name=x.jpg;base64,",
  ])
    expect(Array.from(decodeBase64Image(prefix + jpg.toString("base64"), 10_000))).toEqual(Array.from(jpg));
  // not base64-encoded: said plainly, not "must be base64" about the payload
  expect(messageOf(() => decodeBase64Image(`data:image/png,${encodeURIComponent("abc")}`, 100))).toMatch(
    /data: URL must be base64-encoded/,
  );
});

test("formats are sniffed from the bytes; unsupported ones are named with what the probe takes", () => {
  const gif = Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(30, 1)]);
  const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8 "), Buffer.alloc(20, 1)]);
  const bmp = Buffer.concat([Buffer.from("BM"), Buffer.alloc(40, 1)]);
  const svg = Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>`);
  expect([smallPng(), smallJpeg(), gif, webp, bmp, svg, Buffer.from("hello world")].map((b) => imageFormat(b))).toEqual(
    ["PNG", "JPEG", "GIF", "WebP", "BMP", "SVG", null],
  );
  expect(messageOf(() => decodeBase64Image(`data:image/png;base64,${gif.toString("base64")}`, 1000))).toBe(
    "image is a GIF image; the probe takes PNG or JPEG images",
  );
  expect(messageOf(() => decodeBase64Image(webp.toString("base64"), 1000))).toBe(
    "image is a WebP image; the probe takes PNG or JPEG images",
  );
  expect(messageOf(() => decodeBase64Image(Buffer.from("hello world").toString("base64"), 1000))).toMatch(
    /not an image format the probe knows .*the probe takes PNG or JPEG images/,
  );
  expect(code(() => decodeBase64Image(gif.toString("base64"), 1000))).toBe("BAD_USER_INPUT:image");
});

test("the pixel limit comes from PROBE_MAX_IMAGE_PIXELS (else 4096²) and is checked from the header", () => {
  expect(maxImagePixels({})).toBe(DEFAULT_MAX_IMAGE_PIXELS);
  expect(maxImagePixels({ PROBE_MAX_IMAGE_PIXELS: "1000000" })).toBe(1_000_000);
  expect(maxImagePixels({ PROBE_MAX_IMAGE_PIXELS: "lots" })).toBe(DEFAULT_MAX_IMAGE_PIXELS);
  const png = smallPng().toString("base64"); // 3 × 2 = 6 pixels
  expect(code(() => decodeBase64Image(png, 1000, 6))).toBe("ok");
  expect(messageOf(() => decodeBase64Image(png, 1000, 5))).toBe(
    "image is 3×2 pixels, over the probe limit of 5 pixels",
  );
  expect(probeLimits({ PROBE_MAX_IMAGE_BYTES: "1000", PROBE_MAX_IMAGE_PIXELS: "64" })).toEqual({
    maxImageBytes: 1000,
    maxImagePixels: 64,
    imageFormats: ["PNG", "JPEG"],
  });
  expect([formatBytes(2 * 1024 * 1024), formatBytes(1536 * 1024), formatBytes(300 * 1024), formatBytes(512)]).toEqual([
    "2 MiB",
    "1.5 MiB",
    "300 KiB",
    "512 bytes",
  ]);
});
