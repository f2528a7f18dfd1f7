// The one error type every lib throws for expected failures. `code` is stable and becomes the GraphQL
// `extensions.code`; `message` is safe to show to clients; `details` carries structured context (e.g. field).
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    if (details) this.details = details;
  }

  static unauthenticated(message = "authentication required", details?: ErrorDetails): AppError {
    return new AppError("UNAUTHENTICATED", message, details);
  }

  static forbidden(message = "not allowed", details?: ErrorDetails): AppError {
    return new AppError("FORBIDDEN", message, details);
  }

  /** invalid input; `field` names the offending argument when there is one */
  static badInput(message: string, field?: string, details?: ErrorDetails): AppError {
    return new AppError("BAD_USER_INPUT", message, field ? { field, ...details } : details);
  }

  static notFound(what: string, id?: string): AppError {
    return new AppError(
      "NOT_FOUND",
      id === undefined ? `${what} not found` : `${what} ${JSON.stringify(id)} not found`,
      { what, ...(id === undefined ? {} : { id }) },
    );
  }

  static conflict(message: string, details?: ErrorDetails): AppError {
    return new AppError("CONFLICT", message, details);
  }

  static rateLimited(message = "too many requests", retryAfterSeconds?: number): AppError {
    return new AppError("RATE_LIMITED", message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
  }

  /** a known, named resource that cannot serve right now (e.g. a dictionary whose SAE cannot run); others still work */
  static unavailable(message: string, details?: ErrorDetails): AppError {
    return new AppError("UNAVAILABLE", message, details);
  }

  /** an unexpected failure; the cause is kept for logs, never shown to clients */
  static internal(cause?: unknown): AppError {
    return new AppError("INTERNAL", "internal error", undefined, { cause });
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Any thrown value as an AppError: AppErrors pass through, everything else becomes INTERNAL (cause kept). */
export const toAppError = (e: unknown): AppError => (isAppError(e) ? e : AppError.internal(e));
