// Relay-style forward pagination helpers: page-size limits and the connection shape built from rows
// fetched with one extra row (to know whether there is a next page).
import { AppError } from "@mmatlas/errors";
import { encodeCursor, type CursorValue } from "./cursor";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** `first` checked against 1..MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE). */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first == null) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw AppError.badInput(`first must be an integer between 1 and ${max}`, "first");
  return first;
}

/** Builds a connection from up to `size + 1` rows in order; `keyOf` gives each row's sort key. */
export function toConnection<T>(
  rows: T[],
  size: number,
  keyOf: (row: T) => CursorValue[],
  after: string | null | undefined,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
