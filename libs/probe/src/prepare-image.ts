// Decodes an uploaded probe image off the event loop: sharp (libvips) runs on the libuv thread pool, so a
// large image never stalls other requests. It refuses what cannot be decoded (corrupt, truncated) with a
// clean message, enforces the pixel limit while decoding (limitInputPixels), and shrinks an image larger
// than SHRINK_FACTOR × the model's input size to that size (a small lossless PNG), so the model's own
// preprocessing (decode + antialiased resize, on the event loop) only ever sees a small image. Images up to
// that size are passed on unchanged: their results are exactly what they were before sharp was added.
import { AppError } from "@mmatlas/errors";
import sharp from "sharp";
import { imageFormat } from "./image-header";

/** Images with a side over SHRINK_FACTOR × the model's input size are shrunk to it before preprocessing. */
export const SHRINK_FACTOR = 4;

export interface PrepareImageOptions {
  /** the model's input size (pixels per side) */
  inputSize: number;
  /** largest width × height decoded */
  maxPixels: number;
  /** keep the aspect ratio when shrinking (models that resize the shortest edge and center-crop, "clip") */
  keepAspect?: boolean;
}

let cacheOff = false;

function undecodable(format: string, cause: unknown): AppError {
  return new AppError(
    "BAD_USER_INPUT",
    `the image could not be decoded (corrupt or truncated ${format})`,
    { field: "image", format },
    { cause },
  );
}

function overPixels(width: number, height: number, limit: number): AppError {
  return AppError.badInput(`image is ${width}×${height} pixels, over the probe limit of ${limit} pixels`, "image", {
    width,
    height,
    limit,
  });
}

/**
 * PNG / JPEG bytes → the bytes the model's preprocessing should get: the same bytes when the image is at most
 * SHRINK_FACTOR × inputSize per side, else a PNG shrunk to that (alpha dropped, as the preprocessing does).
 * Throws BAD_USER_INPUT (field image) for undecodable data and for images over `maxPixels`.
 */
export async function prepareProbeImage(bytes: Uint8Array, opts: PrepareImageOptions): Promise<Uint8Array> {
  if (!cacheOff) {
    sharp.cache(false);
    cacheOff = true;
  } // every upload is new: libvips' operation cache would only hold memory
  const format = imageFormat(bytes) ?? "image";
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata(); // the header only: no pixel is decoded
  } catch (e) {
    throw undecodable(format, e);
  }
  const { width, height } = meta;
  if (!width || !height) throw undecodable(format, new Error("no dimensions in the header"));
  if (width * height > opts.maxPixels) throw overPixels(width, height, opts.maxPixels);
  // "error": refuse truncated and broken data, but not the benign warnings libpng/libjpeg print for many real files
  const options: sharp.SharpOptions = { limitInputPixels: opts.maxPixels, failOn: "error", sequentialRead: true };
  const edge = SHRINK_FACTOR * opts.inputSize;
  try {
    if (width <= edge && height <= edge) {
      await sharp(input, options).raw().toBuffer(); // every pixel decodes: the preprocessing will not fail on it
      return bytes;
    }
    let image = sharp(input, options);
    if (meta.hasAlpha) {
      // the preprocessing ignores alpha (a transparent pixel's colour counts), while sharp would premultiply
      // when resizing: drop alpha first, in a pass of its own
      const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
      image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    }
    // "outside": the shortest side becomes `edge` and the aspect ratio stays, so a later center crop sees the same scene
    const shrunk = opts.keepAspect
      ? image.resize(edge, edge, { fit: "outside", withoutEnlargement: true })
      : image.resize(Math.min(width, edge), Math.min(height, edge), { fit: "fill" });
    const png = await shrunk.png({ compressionLevel: 1 }).toBuffer();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } catch (e) {
    throw undecodable(format, e);
  }
}
