// The HTTP body (and WebSocket message) limit, kept consistent with the probe's image limit: by default it
// is large enough for the base64 text of a PROBE_MAX_IMAGE_BYTES image plus the rest of the request;
// API_MAX_BODY_BYTES sets it explicitly and is refused at start when a max-size probe image would not fit.
import { formatBytes, maxImageBytes } from "@mmatlas/probe";

/** The limit when the probe needs less: 1 MiB. */
export const MIN_BODY_LIMIT = 1024 * 1024;
/** Room for the query text, the other variables and the JSON around a probe image. */
export const REQUEST_OVERHEAD_BYTES = 64 * 1024;

/** Body bytes a probe request with an image of `imageBytes` needs: base64 (4 chars per 3 bytes) + overhead. */
export function probeBodyBytes(imageBytes: number): number {
  return 4 * Math.ceil(imageBytes / 3) + REQUEST_OVERHEAD_BYTES;
}

/** Throws when `limit` cannot carry a probe image of `imageBytes` (the documented image limit would be unreachable). */
export function checkBodyLimit(limit: number, imageBytes: number, source = "the body limit"): number {
  if (!Number.isInteger(limit) || limit <= 0)
    throw new Error(`${source} must be a positive integer number of bytes, got ${String(limit)}`);
  const needed = probeBodyBytes(imageBytes);
  if (limit < needed)
    throw new Error(
      `${source} (${limit} bytes) cannot carry a probe image of PROBE_MAX_IMAGE_BYTES=${imageBytes} bytes (${formatBytes(imageBytes)}): ` +
        `its base64 request needs ${needed} bytes. Raise the body limit or lower PROBE_MAX_IMAGE_BYTES.`,
    );
  return limit;
}

/** API_MAX_BODY_BYTES (checked against PROBE_MAX_IMAGE_BYTES), else max(1 MiB, what a max-size probe image needs). */
export function bodyLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const imageBytes = maxImageBytes(env);
  const raw = env.API_MAX_BODY_BYTES?.trim();
  if (raw) return checkBodyLimit(Number(raw), imageBytes, "API_MAX_BODY_BYTES");
  return Math.max(MIN_BODY_LIMIT, probeBodyBytes(imageBytes));
}
