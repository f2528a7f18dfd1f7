// Normalizes and validates identity input (emails, display names, token names); failures are BAD_USER_INPUT.
import { AppError } from "@mmatlas/errors";

const EMAIL =
  /^[^\s@"<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Trimmed, lower-cased (NFKC) email; throws BAD_USER_INPUT when it is not a plausible address. */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== "string" || !email.trim()) throw AppError.badInput("email is required", "email");
  const normalized = email.normalize("NFKC").trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized))
    throw AppError.badInput("email is not a valid address", "email");
  return normalized;
}

/** Trimmed display name with inner whitespace collapsed, 1..80 characters, no control characters. */
export function normalizeDisplayName(name: unknown, field = "displayName"): string {
  if (typeof name !== "string") throw AppError.badInput(`${field} is required`, field);
  const normalized = name.normalize("NFKC").replace(/\s+/g, " ").trim();
  if (!normalized) throw AppError.badInput(`${field} must not be empty`, field);
  if (normalized.length > 80) throw AppError.badInput(`${field} must have at most 80 characters`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(normalized))
    throw AppError.badInput(`${field} must not contain control characters`, field);
  return normalized;
}
