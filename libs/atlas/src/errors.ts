// Typed error for everything @mmatlas/atlas refuses (bad shapes, non-finite values, bad options,
// corrupt snapshots): a stable `code` plus a readable message naming the offending argument.
export type AtlasErrorCode = "BAD_INPUT" | "SHAPE_MISMATCH" | "NON_FINITE" | "BAD_OPTION" | "BAD_SNAPSHOT";

export class AtlasError extends Error {
  readonly code: AtlasErrorCode;
  constructor(code: AtlasErrorCode, message: string) {
    super(`[${code}] ${message}`);
    this.name = "AtlasError";
    this.code = code;
  }
}

/** True when `e` is an AtlasError (optionally with the given code). */
export function isAtlasError(e: unknown, code?: AtlasErrorCode): e is AtlasError {
  return e instanceof AtlasError && (code === undefined || e.code === code);
}
