// The process-wide row cache: hits within the TTL skip the loader, expired or unknown ids are read again,
// misses are never cached, and a TTL of 0 reads every time.
import { cacheTtlMs, createRowCache } from "../src/row-cache";

type Row = { id: string; v: number };

function source(rows: Row[]) {
  const calls: string[][] = [];
  return {
    calls,
    load: async (ids: string[]) => {
      calls.push(ids);
      return rows.filter((r) => ids.includes(r.id)).map((r) => ({ ...r }));
    },
  };
}

it("serves cached rows until they expire and reads only the missing ids", async () => {
  let t = 1000;
  const cache = createRowCache<Row>(50, () => t);
  const src = source([
    { id: "a", v: 1 },
    { id: "b", v: 2 },
  ]);
  expect(await cache.get(["a"], src.load)).toEqual([{ id: "a", v: 1 }]);
  t = 1010;
  expect(await cache.get(["a", "b", "zz"], src.load)).toEqual([{ id: "a", v: 1 }, { id: "b", v: 2 }, null]);
  expect(src.calls).toEqual([["a"], ["b", "zz"]]);
  t = 1049;
  await cache.get(["a", "b"], src.load);
  expect(src.calls).toHaveLength(2);
  t = 1050; // a's entry (written at 1000) expires now, b's (1010) at 1060
  await cache.get(["a", "b"], src.load);
  expect(src.calls[2]).toEqual(["a"]);
});

it("does not cache misses, so a row created later is found at once", async () => {
  const rows: Row[] = [];
  const cache = createRowCache<Row>(60_000, () => 0);
  const src = source(rows);
  expect(await cache.get(["new"], src.load)).toEqual([null]);
  rows.push({ id: "new", v: 7 });
  expect(await cache.get(["new"], src.load)).toEqual([{ id: "new", v: 7 }]);
});

it("reads every time with a TTL of 0, and parses CATALOG_CACHE_TTL_MS", async () => {
  const cache = createRowCache<Row>(0, () => 0);
  const src = source([{ id: "a", v: 1 }]);
  await cache.get(["a"], src.load);
  await cache.get(["a"], src.load);
  expect(src.calls).toEqual([["a"], ["a"]]);
  expect(cacheTtlMs({})).toBe(5000);
  expect(cacheTtlMs({ CATALOG_CACHE_TTL_MS: "250" })).toBe(250);
  expect(cacheTtlMs({ CATALOG_CACHE_TTL_MS: "0" })).toBe(0);
  expect(cacheTtlMs({ CATALOG_CACHE_TTL_MS: "soon" })).toBe(0);
});

it("serves an entry expired less than one TTL ago while one background read refreshes it, then the fresh row", async () => {
  let t = 0;
  const rows: Row[] = [{ id: "a", v: 1 }];
  const cache = createRowCache<Row>(100, () => t);
  const src = source(rows);
  await cache.get(["a"], src.load);
  rows[0].v = 2;
  t = 150; // expired 50 ms ago: the stale row now, one refresh started (not two for two requests)
  expect(await Promise.all([cache.get(["a"], src.load), cache.get(["a"], src.load)])).toEqual([
    [{ id: "a", v: 1 }],
    [{ id: "a", v: 1 }],
  ]);
  expect(src.calls).toEqual([["a"], ["a"]]);
  await new Promise((r) => setImmediate(r));
  expect(await cache.get(["a"], src.load)).toEqual([{ id: "a", v: 2 }]);
  expect(src.calls).toHaveLength(2);
  t = 1000; // expired more than one TTL ago: read before answering
  rows[0].v = 3;
  expect(await cache.get(["a"], src.load)).toEqual([{ id: "a", v: 3 }]);
  expect(src.calls).toHaveLength(3);
});

it("drops a stale entry whose row is gone once the background read finds nothing", async () => {
  let t = 0;
  const rows: Row[] = [{ id: "a", v: 1 }];
  const cache = createRowCache<Row>(100, () => t);
  const src = source(rows);
  await cache.get(["a"], src.load);
  rows.length = 0;
  t = 150;
  expect(await cache.get(["a"], src.load)).toEqual([{ id: "a", v: 1 }]);
  await new Promise((r) => setImmediate(r));
  expect(await cache.get(["a"], src.load)).toEqual([null]);
});
