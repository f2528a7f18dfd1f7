// Typed error for everything @mmatlas/inference refuses: a stable `code` plus a readable message.
export type InferenceErrorCode =
  | "BAD_MODEL"
  | "BAD_MANIFEST"
  | "UNKNOWN_HOOK"
  | "SHAPE_MISMATCH"
  | "BAD_INPUT"
  | "BAD_IMAGE"
  | "BAD_SAFETENSORS"
  | "BAD_SAE"
  | "BAD_INTERVENTION";

export class InferenceError extends Error {
  readonly code: InferenceErrorCode;
  /** the message without its "[CODE] " prefix, for errors that carry it on under another type */
  readonly reason: string;
  constructor(code: InferenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[${code}] ${message}`, options);
    this.name = "InferenceError";
    this.code = code;
    this.reason = message;
  }
}

/** What went wrong, readable: an InferenceError's reason (no code prefix), another error's message. */
export function errorReason(e: unknown): string {
  if (e instanceof InferenceError) return e.reason;
  return e instanceof Error ? e.message : String(e);
}

/** True when `e` is an InferenceError (optionally with the given code). */
export function isInferenceError(e: unknown, code?: InferenceErrorCode): e is InferenceError {
  return e instanceof InferenceError && (code === undefined || e.code === code);
}
