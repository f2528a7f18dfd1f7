// The precheck's parse cache (hardening.ts parseCached): the same text gives the same document without parsing
// again, syntax errors are thrown and never kept, long texts are not kept, and the cache is bounded (LRU).
import { parseCached, PARSED_CACHE_ENTRIES, PARSED_CACHE_MAX_QUERY } from "../src/hardening";

it("returns the kept document for a repeated query and parses a new one", () => {
  const a = parseCached("query A { models { id } }");
  expect(parseCached("query A { models { id } }")).toBe(a);
  expect(parseCached("query B { models { id } }")).not.toBe(a);
});

it("throws syntax errors every time and does not keep long texts", () => {
  expect(() => parseCached("query {")).toThrow(/Syntax Error/);
  expect(() => parseCached("query {")).toThrow(/Syntax Error/);
  const long = `query L { models { id ${" ".repeat(PARSED_CACHE_MAX_QUERY)} } }`;
  expect(parseCached(long)).not.toBe(parseCached(long));
});

it("keeps at most PARSED_CACHE_ENTRIES documents, dropping the least recently used", () => {
  const first = parseCached("query First { models { id } }");
  for (let i = 0; i < PARSED_CACHE_ENTRIES - 1; i++) parseCached(`query Q${i} { models { id } }`);
  expect(parseCached("query First { models { id } }")).toBe(first); // used again: now the most recent
  for (let i = 0; i < PARSED_CACHE_ENTRIES; i++) parseCached(`query R${i} { models { id } }`);
  expect(parseCached("query First { models { id } }")).not.toBe(first); // dropped
});
