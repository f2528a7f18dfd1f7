// Decodes PNG (8-bit RGB/RGBA: decode-png.ts, else pngjs) and JPEG (jpeg-js) bytes into RGBA pixels; anything else
// or a corrupt file → BAD_IMAGE.
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { InferenceError } from "../errors";
import { decodeSimplePng } from "./decode-png";

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major RGBA */
  data: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImageFormat(bytes: Uint8Array): "png" | "jpeg" | undefined {
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

export function decodeImage(bytes: Uint8Array, label = "image"): RgbaImage {
  const format = sniffImageFormat(bytes);
  if (!format)
    throw new InferenceError("BAD_IMAGE", `${label}: not a PNG or JPEG (${bytes.length} bytes, unrecognized header)`);
  let img: RgbaImage;
  try {
    const simple = format === "png" ? decodeSimplePng(bytes) : null;
    if (simple) img = simple;
    else if (format === "png") {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      img = {
        width: png.width,
        height: png.height,
        data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      };
    } else {
      const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
      img = { width: j.width, height: j.height, data: j.data };
    }
  } catch (e) {
    throw new InferenceError("BAD_IMAGE", `${label}: corrupt ${format.toUpperCase()}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (!(img.width > 0 && img.height > 0) || img.data.length < img.width * img.height * 4)
    throw new InferenceError("BAD_IMAGE", `${label}: decoded ${format.toUpperCase()} has no pixels`);
  return img;
}
