// Probe uploads on the page: the file is checked against the API's own limits (GraphQL probeLimits) before
// anything is sent, and the API's refusals (413 PAYLOAD_TOO_LARGE, typed probe errors, no connection) are
// turned into plain sentences instead of raw transport text.
import type { ProbeModelsQuery } from "../../gql/graphql";

/** What the API's probe accepts (the `probeLimits` query). */
export type ProbeUploadLimits = ProbeModelsQuery["probeLimits"];

/** Until the API has answered: its defaults. */
export const DEFAULT_PROBE_LIMITS: ProbeUploadLimits = {
  maxImageBytes: 2 * 1024 * 1024,
  maxImagePixels: 4096 * 4096,
  imageFormats: ["PNG", "JPEG"],
};

const MIME: Record<string, string[]> = { PNG: ["image/png"], JPEG: ["image/jpeg", "image/jpg", "image/pjpeg"] };

/** "2 MiB", "1.5 MiB", "300 KiB", "512 bytes". */
export function formatBytes(n: number): string {
  const unit = (v: number, u: string) => `${Number.isInteger(v) ? v : v.toFixed(1)} ${u}`;
  if (n >= 1024 * 1024) return unit(n / (1024 * 1024), "MiB");
  if (n >= 1024) return unit(n / 1024, "KiB");
  return `${n} bytes`;
}

/** "4096 × 4096" for a square pixel limit, else "16.8 megapixels". */
export function formatPixels(n: number): string {
  const side = Math.round(Math.sqrt(n));
  return side * side === n ? `${side} × ${side} pixels` : `${(n / 1e6).toFixed(1)} megapixels`;
}

/** "PNG or JPEG, up to 2 MiB and 4096 × 4096 pixels." */
export function uploadHint(limits: ProbeUploadLimits): string {
  return `${limits.imageFormats.join(" or ")}, up to ${formatBytes(limits.maxImageBytes)} and ${formatPixels(limits.maxImagePixels)}.`;
}

/** The `accept` attribute of the file input. */
export function acceptAttribute(limits: ProbeUploadLimits): string {
  return limits.imageFormats.flatMap((f) => MIME[f] ?? []).join(",");
}

/**
 * Why a chosen file cannot be probed, or null. An empty MIME type (the browser did not know the extension)
 * is let through: the API reads the format from the bytes.
 */
export function checkProbeFile(file: { size: number; type: string }, limits: ProbeUploadLimits): string | null {
  const allowed = limits.imageFormats.flatMap((f) => MIME[f] ?? []);
  if (file.type && !allowed.includes(file.type.toLowerCase()))
    return `Choose a ${limits.imageFormats.join(" or ")} image (this file is ${file.type}).`;
  if (file.size > limits.maxImageBytes)
    return `That image is ${formatBytes(file.size)}; the probe takes up to ${formatBytes(limits.maxImageBytes)}.`;
  if (file.size === 0) return "That file is empty.";
  return null;
}

/** Why an image of width × height cannot be probed, or null. */
export function checkProbePixels(width: number, height: number, limits: ProbeUploadLimits): string | null {
  return width * height > limits.maxImagePixels
    ? `That image is ${width} × ${height} pixels; the probe takes up to ${formatPixels(limits.maxImagePixels)}.`
    : null;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}
/** The parts of urql's CombinedError this needs. */
export interface ProbeErrorLike {
  message: string;
  graphQLErrors: GraphQLErrorLike[];
  networkError?: Error | undefined;
}

/** A sentence for a failed probe request. */
export function probeErrorMessage(error: ProbeErrorLike, limits: ProbeUploadLimits): string {
  const tooLarge = error.graphQLErrors.find((e) => e.extensions?.code === "PAYLOAD_TOO_LARGE");
  if (tooLarge)
    return `That request is too large for the API. Probe images may be up to ${formatBytes(limits.maxImageBytes)}.`;
  if (error.graphQLErrors.length) return error.graphQLErrors.map((e) => e.message).join("; ");
  if (error.networkError) return `Could not reach the API (${error.networkError.message}). Try again in a moment.`;
  return error.message;
}
