// Upload checks: base64 / data: URL decoding, the size limit (checked before decoding), text checks.
import { isAppError } from "@mmatlas/errors";
import { checkProbeText, decodeBase64Image, DEFAULT_MAX_IMAGE_BYTES, imageSize, maxImageBytes, MAX_IMAGE_PIXELS, MAX_TEXT_CHARS } from "../src";

const code = (f: () => unknown) => {
  try { f(); } catch (e) { return isAppError(e) ? `${e.code}:${String(e.details?.field)}` : "other"; }
  return "ok";
};

test("decodes plain base64 and data: URLs", () => {
  const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const b64 = Buffer.from(bytes).toString("base64");
  expect(Array.from(decodeBase64Image(b64, 100))).toEqual(Array.from(bytes));
  expect(Array.from(decodeBase64Image(`data:image/png;base64,${b64}`, 100))).toEqual(Array.from(bytes));
  expect(Array.from(decodeBase64Image(`${b64.slice(0, 4)}\n${b64.slice(4)}`, 100))).toEqual(Array.from(bytes));
});

test("refuses oversized, empty and non-base64 images with BAD_USER_INPUT on the image field", () => {
  const b64 = Buffer.alloc(1000, 7).toString("base64");
  expect(code(() => decodeBase64Image(b64, 999))).toBe("BAD_USER_INPUT:image");
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
  const { PNG } = require("pngjs") as typeof import("pngjs");
  const small = PNG.sync.write(Object.assign(new PNG({ width: 3, height: 2 }), {}));
  expect(imageSize(small)).toEqual({ width: 3, height: 2 });
  const jpeg = (require("jpeg-js") as typeof import("jpeg-js")).encode({ width: 5, height: 7, data: Buffer.alloc(5 * 7 * 4, 128) }, 80).data;
  expect(imageSize(jpeg)).toEqual({ width: 5, height: 7 });
  const bomb = Buffer.from(small);
  bomb.writeUInt32BE(100_000, 16); // claims 100000 × 2 pixels... and
  bomb.writeUInt32BE(1_000, 20); // × 1000
  expect(code(() => decodeBase64Image(bomb.toString("base64"), 1 << 20))).toBe("BAD_USER_INPUT:image");
  expect(MAX_IMAGE_PIXELS).toBe(4096 * 4096);
});
