// The unit-page cache (TOP activations by unit): hits skip the database, the least recently used unit goes first
// when it is full, and a finished build (a Job row changing) empties it; read through the real loaders on the
// test database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { createCatalogLoaders } from "../src/loaders";
import { createUnitPageCache } from "../src/unit-page-cache";

jest.setTimeout(120_000);

let db: TestDatabase;
const units: string[] = [];

beforeAll(async () => {
  process.env.UNIT_PAGE_CACHE_ENTRIES = "2";
  process.env.UNIT_PAGE_CACHE_CHECK_MS = "0";
  db = await createTestDatabase();
  const model = await createBareModel(db.prisma, "TEXT");
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "TEXT", layer: 0, kind: "RESID", width: 3, tensor: "h" },
  });
  const dataset = await db.prisma.dataset.create({ data: { name: "d", modality: "TEXT" } });
  const example = await db.prisma.example.create({
    data: { datasetId: dataset.id, index: 0, modality: "TEXT", text: "a red dog" },
  });
  for (let u = 0; u < 3; u++) {
    const unit = await db.prisma.unit.create({
      data: { slug: `m/h/${u}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: u },
    });
    units.push(unit.id);
    await db.prisma.topActivation.create({
      data: { unitId: unit.id, exampleId: example.id, band: "TOP", rank: 0, maxValue: u, values: [u] },
    });
  }
});
afterAll(async () => {
  delete process.env.UNIT_PAGE_CACHE_ENTRIES;
  delete process.env.UNIT_PAGE_CACHE_CHECK_MS;
  await db?.close();
});

/** the unit's top value as a fresh request (new loaders) sees it */
const topValue = async (unitId: string) =>
  (await createCatalogLoaders(db.prisma).topActivationsByUnit.load(unitId))[0].maxValue;
const setTopValue = (unitId: string, v: number) =>
  db.prisma.topActivation.updateMany({ where: { unitId }, data: { maxValue: v } });
const settle = () => new Promise((r) => setTimeout(r, 50)); // the background stamp read

it("serves a cached unit without reading it again, evicts the least recently used, and empties on a finished build", async () => {
  const [a, b, c] = units;
  expect(await topValue(a)).toBe(0); // no stamp known yet: not kept
  await settle();
  expect(await topValue(a)).toBe(0); // now kept
  await setTopValue(a, 10);
  expect(await topValue(a)).toBe(0); // hit: the cached rows, not the database's
  expect(await topValue(b)).toBe(1); // kept: a, b
  expect(await topValue(a)).toBe(0); // a is now the most recent
  expect(await topValue(c)).toBe(2); // full: b (least recent) goes; kept: a, c
  await setTopValue(b, 11);
  expect(await topValue(b)).toBe(11); // miss: read again; a (least recent now) goes
  await setTopValue(c, 12);
  expect(await topValue(c)).toBe(2); // still cached
  expect(await topValue(a)).toBe(10); // evicted: read again

  // a build finishes: its Job row changes, and the next request's stamp check empties the cache
  const job = await db.prisma.job.create({ data: { kind: "ATLAS_BUILD", status: "RUNNING", params: {} } });
  await topValue(a); // starts the stamp read
  await settle();
  expect(await topValue(a)).toBe(10);
  await setTopValue(a, 20);
  await settle();
  expect(await topValue(a)).toBe(10); // cached again
  await db.prisma.job.update({ where: { id: job.id }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
  await topValue(a);
  await settle();
  expect(await topValue(a)).toBe(20);
});

it("keeps nothing with 0 entries and never keeps a value loaded while the build stamp changed", async () => {
  let stamp = "s1";
  let loads = 0;
  const load = async (keys: string[]) => {
    loads++;
    return keys.map((k) => `${k}@${stamp}`);
  };
  const off = createUnitPageCache<string>({ maxEntries: 0, checkMs: 0 }, async () => stamp);
  await off.get(["x"], load);
  await off.get(["x"], load);
  expect(loads).toBe(2);
  expect(off.size).toBe(0);

  const cache = createUnitPageCache<string>({ maxEntries: 5, checkMs: 0 }, async () => stamp);
  await cache.get(["x"], load);
  await settle();
  expect(await cache.get(["x"], load)).toEqual(["x@s1"]);
  expect(await cache.get(["x"], load)).toEqual(["x@s1"]);
  expect(cache.size).toBe(1);
  stamp = "s2"; // a build finished
  const slow = cache.get(["y"], async (keys) => {
    await settle();
    return load(keys);
  }); // loading across the change
  await settle();
  await slow;
  expect(cache.size).toBe(0); // x dropped by the change, y (loaded across it) not kept
  expect(await cache.get(["x"], load)).toEqual(["x@s2"]);
});
