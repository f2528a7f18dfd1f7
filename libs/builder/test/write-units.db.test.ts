// The atlas build's final writes (writeUnits) on a fresh database (PGlite, or PostgreSQL under TEST_DATABASE_URL):
// per-position values read back exactly at float32 precision, a rewrite replaces rows without duplicating them and
// keeps human labels, annotations and comments, a failing chunk leaves the stored units untouched, and a
// transaction client (no driver of its own) writes the same rows inside the caller's transaction. writeNeighbours
// (binary COPY on the driver, unnest INSERTs through a transaction client) stores the same neighbours and map
// points either way, and a rewrite replaces them.
import { type PrismaClient } from "@mmatlas/db";
import { createBareHookPoint, createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import type { UnitSetNeighbours } from "../src/finalize/neighbours";
import { writeNeighbours } from "../src/finalize/write-neighbours";
import { writeUnits, type TopRow, type UnitOwner, type UnitRecord } from "../src/finalize/write-units";

jest.setTimeout(120_000);

let db: TestDatabase;
let owner: UnitOwner;

beforeAll(async () => {
  db = await createTestDatabase();
  const model = await db.prisma.model.create({
    data: {
      name: "writes-test",
      displayName: "writes",
      modality: "IMAGE_TEXT",
      architecture: "clip",
      onnxFiles: {},
      config: {},
      directory: "/nonexistent",
    },
  });
  const hook = await createBareHookPoint(db.prisma, model.id, 8);
  const dataset = await db.prisma.dataset.create({ data: { name: "writes-test", modality: "IMAGE", size: 40 } });
  await db.prisma.example.createMany({
    data: Array.from({ length: 40 }, (_, index) => ({ datasetId: dataset.id, index, modality: "IMAGE" as const })),
  });
  owner = { modelId: model.id, hookPointId: hook.id, dictionaryId: null, datasetId: dataset.id };
});
afterAll(() => db?.close());

/** Values that decimal text and float32 handle differently: thirds, tiny, huge, negative, many digits. */
const AWKWARD = [1 / 3, -2 / 3, 1e-7, 123456.789, -0.000123456, 3.4e38, 0, 7.25, 0.1, 2.718281828459045];

function record(slug: string, index: number, shift: number, rows = 4): UnitRecord {
  const top: TopRow[] = Array.from({ length: rows }, (_, rank) => ({
    exampleIndex: (index * 7 + rank * 3 + shift) % 40,
    band: rank < 3 ? "TOP" : "QUANTILE",
    bandIndex: rank < 3 ? 0 : 1,
    rank: rank < 3 ? rank : 0,
    maxValue: 10 - rank + shift / 1000,
    values: rank % 2 ? AWKWARD.map((v) => v * (shift + 1)) : Float32Array.from(AWKWARD, (v) => v - shift),
  }));
  return {
    slug,
    kind: "NEURON",
    index,
    maxActivation: 10 + shift,
    density: 0.25,
    histogram: { edges: [0, 1], counts: [shift] },
    autoLabels: [{ label: `concept ${shift}`, score: 0.5, method: "clip-dissect" }],
    topAutoLabel: `concept ${shift}`,
    multimodalScore: 0.125,
    stats: { mean: 1.5, shift },
    top,
  };
}

const slugs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `writes-test/${prefix}/${i}`);

async function stored(prisma: PrismaClient, slugList: string[]) {
  return prisma.unit.findMany({
    where: { slug: { in: slugList } },
    orderBy: { index: "asc" },
    include: {
      topActivations: {
        orderBy: [{ band: "asc" }, { bandIndex: "asc" }, { rank: "asc" }],
        include: { example: { select: { index: true } } },
      },
    },
  });
}

/** What a stored row must hold: float32 of every written value (non-finite values as 0). */
const asFloat32 = (values: ArrayLike<number>) => Array.from(values, (v) => (Number.isFinite(v) ? Math.fround(v) : 0));

function expectStoredAs(units: Awaited<ReturnType<typeof stored>>, records: UnitRecord[]) {
  expect(units.map((u) => u.slug)).toEqual(records.map((r) => r.slug));
  units.forEach((u, i) => {
    const r = records[i];
    expect([u.maxActivation, u.density, u.topAutoLabel, u.multimodalScore, u.stats]).toEqual([
      r.maxActivation,
      r.density,
      r.topAutoLabel,
      r.multimodalScore,
      r.stats,
    ]);
    expect(u.topActivations).toHaveLength(r.top.length);
    const bySlot = new Map(r.top.map((t) => [`${t.band}/${t.bandIndex}/${t.rank}`, t]));
    for (const t of u.topActivations) {
      const w = bySlot.get(`${t.band}/${t.bandIndex}/${t.rank}`)!;
      expect(t.example.index).toBe(w.exampleIndex);
      expect(t.maxValue).toBe(w.maxValue);
      expect(t.values.map((v) => Math.fround(v))).toEqual(asFloat32(w.values)); // exact at float32 precision
    }
  });
}

test("values round-trip exactly at float32 precision, short decimals read back as written", async () => {
  const records = slugs("roundtrip", 3).map((s, i) => record(s, i, 0));
  records[0].top[0].values = [NaN, Infinity, -Infinity, 1.5];
  records[1].top[1].values = [];
  await writeUnits(db.prisma, owner, records);
  const units = await stored(
    db.prisma,
    records.map((r) => r.slug),
  );
  expectStoredAs(units, records);
  expect(units[0].topActivations.find((t) => t.band === "TOP" && t.rank === 0)!.values).toEqual([0, 0, 0, 1.5]);
  expect(units[1].topActivations.find((t) => t.band === "TOP" && t.rank === 1)!.values).toEqual([]);
  // a value with ≤ 7 significant digits (what the builder stores, rounded to 6 decimals) reads back as that decimal
  expect(units[2].topActivations.find((t) => t.band === "TOP" && t.rank === 1)!.values[8]).toBe(0.1);
});

test("a rewrite replaces the rows (never duplicates) and keeps human labels, annotations and comments", async () => {
  const first = slugs("rebuild", 300).map((s, i) => record(s, i, 0)); // more than one transaction's chunk
  await writeUnits(db.prisma, owner, first);
  const before = await stored(
    db.prisma,
    first.map((r) => r.slug),
  );
  expectStoredAs(before, first);

  const user = await db.prisma.user.create({
    data: { email: "writes-test@example.org", displayName: "w", passwordHash: "x" },
  });
  const labeled = before[5];
  await db.prisma.unit.update({
    where: { id: labeled.id },
    data: { currentLabel: "red circles", labelState: "LABELED" },
  });
  const annotation = await db.prisma.annotation.create({
    data: { unitId: labeled.id, authorId: user.id, label: "red circles", status: "ACCEPTED" },
  });
  await db.prisma.comment.create({ data: { unitId: labeled.id, authorId: user.id, body: "looks right" } });

  const second = slugs("rebuild", 300).map((s, i) => record(s, i, 2)); // different examples, values and fields
  await writeUnits(db.prisma, owner, second);
  await writeUnits(db.prisma, owner, second); // and once more: idempotent
  const after = await stored(
    db.prisma,
    second.map((r) => r.slug),
  );
  expectStoredAs(after, second);
  expect(after.map((u) => u.id)).toEqual(before.map((u) => u.id)); // same units, updated in place
  expect(
    await db.prisma.topActivation.count({ where: { unit: { slug: { startsWith: "writes-test/rebuild/" } } } }),
  ).toBe(300 * 4);
  expect(after[5]).toMatchObject({ currentLabel: "red circles", labelState: "LABELED" });
  expect(after[5].updatedAt.getTime()).toBeGreaterThanOrEqual(before[5].updatedAt.getTime());
  expect(Math.abs(after[5].createdAt.getTime() - before[5].createdAt.getTime())).toBe(0);
  expect(await db.prisma.annotation.findMany({ where: { unitId: labeled.id }, select: { id: true } })).toEqual([
    { id: annotation.id },
  ]);
  expect(await db.prisma.comment.count({ where: { unitId: labeled.id } })).toBe(1);
  // the unit search index still finds the human label and the new auto label
  const terms = (
    await db.prisma.unitSearchTerm.findMany({ where: { unitId: labeled.id }, select: { term: true } })
  ).map((t) => t.term);
  expect(terms).toEqual(expect.arrayContaining(["red circles", "circles", "concept 2"]));
  expect(terms).not.toContain("concept 0");
});

test("a chunk that fails midway leaves its units as they were: no half-written unit", async () => {
  const good = slugs("atomic", 4).map((s, i) => record(s, i, 0));
  await writeUnits(db.prisma, owner, good);
  const bad = slugs("atomic", 5).map((s, i) => record(s, i, 3));
  bad[2].top[1] = { ...bad[2].top[1], rank: 0 }; // two TOP rows of rank 0: the unique index refuses the insert
  await expect(writeUnits(db.prisma, owner, bad)).rejects.toThrow();
  expectStoredAs(await stored(db.prisma, slugs("atomic", 5)), good); // old fields and rows, no fifth unit

  const missing = [record("writes-test/atomic/0", 0, 4)];
  missing[0].top[0] = { ...missing[0].top[0], exampleIndex: 999 };
  await expect(writeUnits(db.prisma, owner, missing)).rejects.toThrow(
    /example 999 of dataset .* disappeared during the build/,
  );
  expectStoredAs(await stored(db.prisma, slugs("atomic", 4)), good);
});

test("inside a caller's transaction (a transaction client) it writes the same rows, and rolls back with it", async () => {
  const records = slugs("in-tx", 3).map((s, i) => record(s, i, 1));
  await db.prisma.$transaction((tx) => writeUnits(tx as unknown as PrismaClient, owner, records), { timeout: 60_000 });
  expectStoredAs(
    await stored(
      db.prisma,
      records.map((r) => r.slug),
    ),
    records,
  );

  const rolledBack = slugs("in-tx-rollback", 2).map((s, i) => record(s, i, 1));
  await expect(
    db.prisma.$transaction(
      async (tx) => {
        await writeUnits(tx as unknown as PrismaClient, owner, rolledBack);
        throw new Error("caller gives up");
      },
      { timeout: 60_000 },
    ),
  ).rejects.toThrow("caller gives up");
  expect(await db.prisma.unit.count({ where: { slug: { in: rolledBack.map((r) => r.slug) } } })).toBe(0);
});

/** neighbours of 6 units on a ring (i → i+1, i+2; unit 5 has one), scores shifted by `shift`; a map with unit 4 unplaced */
function ringNeighbours(shift: number): UnitSetNeighbours {
  const n = 6,
    k = 2;
  const indices = new Int32Array(n * k),
    scores = new Float32Array(n * k),
    counts = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    counts[u] = u === 5 ? 1 : 2;
    for (let r = 0; r < counts[u]; r++) {
      indices[u * k + r] = (u + r + 1 + shift) % n;
      scores[u * k + r] = 0.9 - r * 0.25 - u / 100 - shift / 1000;
    }
  }
  const x = Float32Array.from({ length: n }, (_, u) => (u === 4 ? NaN : u / 5));
  const y = Float32Array.from({ length: n }, (_, u) => 1 - u / 10 - shift / 100);
  return {
    lists: [{ kind: "DECODER_COSINE", lists: { n, k, indices, scores, counts } }],
    map: { source: "DECODER_COSINE", layout: { x, y, placed: n - 1, epochs: 1 } },
    seconds: { neighbours: 0, map: 0 },
  };
}

async function storedNeighbours(prisma: PrismaClient, prefix: string) {
  const units = await prisma.unit.findMany({ where: { slug: { startsWith: `writes-test/${prefix}/` } } });
  const ids = units.map((u) => u.id);
  const indexOf = new Map(units.map((u) => [u.id, u.index]));
  const neighbours = await prisma.unitNeighbour.findMany({ where: { unitId: { in: ids } } });
  const points = await prisma.unitMapPoint.findMany({ where: { unitId: { in: ids } } });
  return {
    neighbours: neighbours
      .map((r) => `${indexOf.get(r.unitId)}/${r.kind}/${r.rank}→${indexOf.get(r.neighbourId)} ${r.score}`)
      .sort(),
    points: points.map((p) => `${indexOf.get(p.unitId)} ${p.x} ${p.y} ${p.source}`).sort(),
  };
}

test("neighbours and map points: the same rows by COPY and through a transaction client; a rewrite replaces them", async () => {
  const expected = (shift: number) => {
    const { lists, map } = ringNeighbours(shift);
    const l = lists[0].lists;
    const neighbours: string[] = [];
    for (let u = 0; u < l.n; u++)
      for (let r = 0; r < l.counts[u]; r++)
        neighbours.push(
          `${u}/DECODER_COSINE/${r}→${l.indices[u * l.k + r]} ${Math.round(l.scores[u * l.k + r] * 1e6) / 1e6}`,
        );
    const points: string[] = [];
    for (let u = 0; u < l.n; u++)
      if (Number.isFinite(map!.layout.x[u]))
        points.push(
          `${u} ${Math.round(map!.layout.x[u] * 1e6) / 1e6} ${Math.round(map!.layout.y[u] * 1e6) / 1e6} DECODER_COSINE`,
        );
    return { neighbours: neighbours.sort(), points: points.sort() };
  };
  // units of their own hook point, so the other tests' units of `owner` are not among them
  const hook = await db.prisma.hookPoint.create({
    data: {
      modelId: owner.modelId,
      name: "vision.blocks.1.mlp.hook_post",
      tower: "VISION",
      layer: 1,
      kind: "MLP",
      width: 6,
      tensor: "t1",
    },
  });
  const ringOwner = { ...owner, hookPointId: hook.id };
  await writeUnits(
    db.prisma,
    ringOwner,
    slugs("ring", 6).map((slug, i) => record(slug, i, 0, 1)),
  );

  await writeNeighbours(db.prisma, ringOwner, "NEURON", ringNeighbours(0));
  const first = await storedNeighbours(db.prisma, "ring");
  expect(first).toEqual(expected(0));
  expect(first.neighbours).toHaveLength(11);
  expect(first.points).toHaveLength(5);

  await writeNeighbours(db.prisma, ringOwner, "NEURON", ringNeighbours(1)); // a rebuild: replaced, not added
  expect(await storedNeighbours(db.prisma, "ring")).toEqual(expected(1));

  await db.prisma.$transaction(
    (tx) => writeNeighbours(tx as unknown as PrismaClient, ringOwner, "NEURON", ringNeighbours(2)),
    { timeout: 60_000 },
  );
  expect(await storedNeighbours(db.prisma, "ring")).toEqual(expected(2));
});
