// PNG encoding/decoding of RGB images with pngjs (the web shows dataset images as PNG).
import { PNG } from "pngjs";

/** Encode RGB (3 bytes/pixel) as an 8-bit RGB PNG. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Decode a PNG to RGB (alpha dropped). */
export function decodePngRgb(bytes: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const png = PNG.sync.read(bytes);
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = png.data[4 * i + c];
  return { width: png.width, height: png.height, rgb };
}
