// Cursor round trips and rejection of tampered, foreign or malformed cursors.
import { decodeCursor, pageSize, toConnection } from "../src";
import { encodeCursor } from "../src/cursor";
import { MAX_PAGE_SIZE } from "../src/pagination";

describe("cursors", () => {
  it("round-trips a sort key", () => {
    const c = encodeCursor(["hook-b", 17, "unit-x"]);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, ["string", "number", "string"])).toEqual(["hook-b", 17, "unit-x"]);
  });

  it("gives different cursors for different keys", () => {
    expect(encodeCursor(["a", 1, "x"])).not.toBe(encodeCursor(["a", 2, "x"]));
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc$%"],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["wrong version", Buffer.from(JSON.stringify(["c0", "a", 1, "x"])).toString("base64url")],
    ["wrong arity", encodeCursor(["a", 1])],
    ["wrong type", encodeCursor(["a", "1", "x"])],
  ])("rejects a %s cursor as BAD_USER_INPUT", (_name, cursor) => {
    expect(() => decodeCursor(cursor, ["string", "number", "string"])).toThrow(
      expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "after" } }),
    );
  });
});

describe("pages", () => {
  it("checks the page size", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    for (const bad of [0, -1, 1.5, MAX_PAGE_SIZE + 1])
      expect(() => pageSize(bad)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  });

  it("uses the extra row only to set hasNextPage", () => {
    const rows = [{ k: 1 }, { k: 2 }, { k: 3 }];
    const page = toConnection(rows, 2, (r) => [r.k], null);
    expect(page.edges.map((e) => e.node.k)).toEqual([1, 2]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor([2]) });
    const last = toConnection(rows.slice(2), 2, (r) => [r.k], page.pageInfo.endCursor);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: encodeCursor([3]) });
  });
});
