// Rows read as JSON text (row_to_json / json_build_object) turned back into the values Prisma returns:
// timestamps as Dates (PostgreSQL writes `timestamp(3)` columns, which Prisma stores in UTC, without a zone),
// and the floats JSON cannot hold (NaN, ±Infinity, written as strings) as numbers.

/** A `timestamp without time zone` written by row_to_json, read as UTC (as Prisma reads it). */
export function utcDate(text: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

/** A float column's JSON value: a number, or a string for NaN / Infinity / -Infinity (null stays null). */
export function jsonFloat<T extends number | string | null>(v: T): T extends null ? null : number {
  return (v === null ? null : typeof v === "number" ? v : Number(v)) as T extends null ? null : number;
}
