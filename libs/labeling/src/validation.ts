// Normalizes and checks annotation and comment input; every failure is BAD_USER_INPUT naming the field.
import { AppError } from "@mmatlas/errors";

export const LABEL_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const TAGS_MAX = 20;
export const TAG_MAX = 50;
export const COMMENT_MAX = 10000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function text(value: unknown, field: string, max: number, opts: { required: boolean; singleLine: boolean }): string {
  if (typeof value !== "string") throw AppError.badInput(`${field} must be a string`, field);
  let v = value.normalize("NFC").trim();
  if (opts.singleLine) v = v.replace(/\s+/g, " ");
  if (opts.required && !v) throw AppError.badInput(`${field} must not be empty`, field);
  if (v.length > max) throw AppError.badInput(`${field} must have at most ${max} characters`, field);
  if (CONTROL.test(v) || (opts.singleLine && /[\r\n\t]/.test(v)))
    throw AppError.badInput(`${field} must not contain control characters`, field);
  return v;
}

export const normalizeLabel = (v: unknown) => text(v, "label", LABEL_MAX, { required: true, singleLine: true });
export const normalizeDescription = (v: unknown) =>
  text(v ?? "", "description", DESCRIPTION_MAX, { required: false, singleLine: false });
export const normalizeCommentBody = (v: unknown) => text(v, "body", COMMENT_MAX, { required: true, singleLine: false });

/** Trimmed, de-duplicated tags (order kept). */
export function normalizeTags(v: unknown): string[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw AppError.badInput("tags must be a list of strings", "tags");
  const tags = [...new Set(v.map((t) => text(t, "tags", TAG_MAX, { required: true, singleLine: true })))];
  if (tags.length > TAGS_MAX) throw AppError.badInput(`at most ${TAGS_MAX} tags`, "tags");
  return tags;
}

/** null, or a finite number in [0, 1]. */
export function normalizeConfidence(v: unknown): number | null {
  if (v == null) return null;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1)
    throw AppError.badInput("confidence must be a number between 0 and 1", "confidence");
  return v;
}
