// Checks and decodes what a caller uploads to the probe: a base64 image (optionally a data: URL, whatever MIME
// type it claims: the format is read from the bytes) under a byte and a pixel limit, or a non-empty text.
// Everything refused becomes a BAD_USER_INPUT AppError naming the field.
import { AppError } from "@mmatlas/errors";
import { imageFormat, imageSize, type ImageFormat } from "./image-header";

/** Default upload limit for probe images: 2 MiB of decoded bytes (PROBE_MAX_IMAGE_BYTES overrides). */
export const DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Default largest image the probe decodes, in pixels (4096 × 4096; PROBE_MAX_IMAGE_PIXELS overrides). */
export const DEFAULT_MAX_IMAGE_PIXELS = 4096 * 4096;
/** Largest text the probe tokenizes (characters); longer texts are refused rather than silently cut. */
export const MAX_TEXT_CHARS = 2000;
/** Formats the probe decodes (sniffed from the bytes). */
export const PROBE_IMAGE_FORMATS: readonly ImageFormat[] = ["PNG", "JPEG"];

const DATA_URL = /^data:([^,]*),/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function positiveInt(value: string | undefined, fallback: number): number {
  const v = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isInteger(v) && v > 0 ? v : fallback;
}

/** The configured image limit in bytes (env PROBE_MAX_IMAGE_BYTES, else 2 MiB). */
export function maxImageBytes(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env.PROBE_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_BYTES);
}

/** The configured image limit in pixels, width × height (env PROBE_MAX_IMAGE_PIXELS, else 4096²). */
export function maxImagePixels(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env.PROBE_MAX_IMAGE_PIXELS, DEFAULT_MAX_IMAGE_PIXELS);
}

/** What the probe accepts, for clients that check an upload before sending it (GraphQL `probeLimits`). */
export interface ProbeLimits {
  maxImageBytes: number;
  maxImagePixels: number;
  imageFormats: string[];
}

export function probeLimits(env: NodeJS.ProcessEnv = process.env): ProbeLimits {
  return {
    maxImageBytes: maxImageBytes(env),
    maxImagePixels: maxImagePixels(env),
    imageFormats: [...PROBE_IMAGE_FORMATS],
  };
}

/** "2 MiB", "1.5 MiB", "300 KiB", "512 bytes": a byte count for messages. */
export function formatBytes(n: number): string {
  const unit = (v: number, u: string) => `${Number.isInteger(v) ? v : v.toFixed(1)} ${u}`;
  if (n >= 1024 * 1024) return unit(n / (1024 * 1024), "MiB");
  if (n >= 1024) return unit(n / 1024, "KiB");
  return `${n} bytes`;
}

/** The base64 text of an upload: a data: URL's payload (any MIME type; it must say ;base64) or the whole string. */
function base64Text(input: string): string {
  const m = DATA_URL.exec(input);
  if (!m) return input.replace(/\s+/g, "");
  if (!/;base64$/i.test(m[1].trim()))
    throw AppError.badInput("image data: URL must be base64-encoded (data:image/png;base64,…)", "image");
  return input.slice(m[0].length).replace(/\s+/g, "");
}

/**
 * Decoded bytes of a base64 image string; refuses non-base64 text, images over `limit` bytes, formats other
 * than PNG / JPEG (named), and headers that declare more than `pixelLimit` pixels.
 */
export function decodeBase64Image(input: string, limit: number, pixelLimit: number = maxImagePixels()): Uint8Array {
  if (typeof input !== "string" || input.length === 0) throw AppError.badInput("image is empty", "image");
  const b64 = base64Text(input);
  // cheap size check before decoding: 4 base64 chars carry 3 bytes
  const approx = Math.floor((b64.length * 3) / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
  if (approx > limit)
    throw AppError.badInput(
      `image is ${approx} bytes, over the probe limit of ${limit} bytes (${formatBytes(limit)})`,
      "image",
      { limit, size: approx },
    );
  if (b64.length % 4 !== 0 || !BASE64.test(b64))
    throw AppError.badInput("image must be base64 (PNG or JPEG bytes, optionally a data: URL)", "image");
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length === 0) throw AppError.badInput("image is empty", "image");
  const format = imageFormat(bytes);
  if (!format || !PROBE_IMAGE_FORMATS.includes(format)) {
    const what = format ? `a ${format} image` : "not an image format the probe knows (unrecognized first bytes)";
    throw AppError.badInput(`image is ${what}; the probe takes ${PROBE_IMAGE_FORMATS.join(" or ")} images`, "image", {
      format: format ?? "unknown",
      formats: [...PROBE_IMAGE_FORMATS],
    });
  }
  const size = imageSize(bytes);
  if (size && size.width * size.height > pixelLimit)
    throw AppError.badInput(
      `image is ${size.width}×${size.height} pixels, over the probe limit of ${pixelLimit} pixels`,
      "image",
      { ...size, limit: pixelLimit },
    );
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The text to probe, trimmed; refuses empty and overlong texts. */
export function checkProbeText(text: string): string {
  if (typeof text !== "string") throw AppError.badInput("text must be a string", "text");
  const t = text.trim();
  if (!t) throw AppError.badInput("text is empty", "text");
  if (t.length > MAX_TEXT_CHARS)
    throw AppError.badInput(`text has ${t.length} characters, the probe takes at most ${MAX_TEXT_CHARS}`, "text");
  return t;
}
