// Opaque, stable Relay cursors: the sort key of a row (a tuple of strings/numbers), versioned and base64url
// encoded. Decoding checks the shape, so a tampered or foreign cursor is BAD_USER_INPUT, never a crash.
import { AppError } from "@mmatlas/errors";

export type CursorValue = string | number;
export type CursorShape = readonly ("string" | "number")[];

const VERSION = "c1";

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([VERSION, ...values]), "utf8").toString("base64url");
}

/** The sort key inside `cursor`, checked against `shape`; throws BAD_USER_INPUT (field `field`) when invalid. */
export function decodeCursor(cursor: string, shape: CursorShape, field = "after"): CursorValue[] {
  const invalid = () => AppError.badInput(`${field} is not a valid cursor`, field);
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== VERSION || parsed.length !== shape.length + 1) throw invalid();
  const values = parsed.slice(1);
  values.forEach((v, i) => {
    if (shape[i] === "number" ? !(typeof v === "number" && Number.isFinite(v)) : typeof v !== "string") throw invalid();
  });
  return values as CursorValue[];
}
