// Checks and decodes what a caller uploads to the probe: a base64 PNG/JPEG (optionally a data: URL) under a
// size limit, or a non-empty text. Everything refused becomes a BAD_USER_INPUT AppError naming the field.
import { AppError } from "@mmatlas/errors";
import { imageSize } from "./image-header";

/** Default upload limit for probe images: 2 MiB of decoded bytes (PROBE_MAX_IMAGE_BYTES overrides). */
export const DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Largest image the probe decodes, in pixels (4096 × 4096); larger headers are refused before decoding. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;
/** Largest text the probe tokenizes (characters); longer texts are refused rather than silently cut. */
export const MAX_TEXT_CHARS = 2000;

const DATA_URL = /^data:image\/(png|jpeg|jpg);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The configured image limit in bytes (env PROBE_MAX_IMAGE_BYTES, else 2 MiB). */
export function maxImageBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PROBE_MAX_IMAGE_BYTES);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_MAX_IMAGE_BYTES;
}

/** Decoded bytes of a base64 image string; refuses non-base64 text and images over `limit` bytes. */
export function decodeBase64Image(input: string, limit: number): Uint8Array {
  if (typeof input !== "string" || input.length === 0) throw AppError.badInput("image is empty", "image");
  const b64 = input.replace(DATA_URL, "").replace(/\s+/g, "");
  // cheap size check before decoding: 4 base64 chars carry 3 bytes
  const approx = Math.floor((b64.length * 3) / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
  if (approx > limit)
    throw AppError.badInput(`image is ${approx} bytes, over the probe limit of ${limit} bytes`, "image", { limit, size: approx });
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw AppError.badInput("image must be base64 (PNG or JPEG bytes, optionally a data: URL)", "image");
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length === 0) throw AppError.badInput("image is empty", "image");
  const size = imageSize(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS)
    throw AppError.badInput(`image is ${size.width}×${size.height} pixels, over the probe limit of ${MAX_IMAGE_PIXELS} pixels`, "image", { ...size });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The text to probe, trimmed; refuses empty and overlong texts. */
export function checkProbeText(text: string): string {
  if (typeof text !== "string") throw AppError.badInput("text must be a string", "text");
  const t = text.trim();
  if (!t) throw AppError.badInput("text is empty", "text");
  if (t.length > MAX_TEXT_CHARS) throw AppError.badInput(`text has ${t.length} characters, the probe takes at most ${MAX_TEXT_CHARS}`, "text");
  return t;
}
