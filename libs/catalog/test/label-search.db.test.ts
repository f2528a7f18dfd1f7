// Label search against a real database: word-start semantics (case and punctuation ignored), both plans (the term
// range for rare queries, the listing-order walk for common ones) equal to a brute-force reading of the labels,
// pages and filters, and the triggers that keep UnitSearchTerm current when labels and annotations change.
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { countUnits, listUnits, type ListingKey, type UnitFilter } from "../src";
import { searchUnitIds } from "../src/label-search";

jest.setTimeout(180_000);

let db: TestDatabase;
let modelId: string;
let userId: string;
const hooks: string[] = [];
const WORDS = ["red", "blue", "green", "stripes", "circle", "tired", "bluebird", "edge"];

/** The reference semantics, on the labels themselves: some word sequence of a label starts with the query. */
const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const matches = (label: string | null, q: string) =>
  label != null && normalize(q) !== "" && ` ${normalize(label)}`.includes(` ${normalize(q)}`);

async function bruteForce(q: string, filter: UnitFilter = {}): Promise<string[]> {
  const units = await db.prisma.unit.findMany({
    where: {
      ...(filter.modelId ? { modelId: filter.modelId } : {}),
      ...(filter.hookPointId ? { hookPointId: filter.hookPointId } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
    },
    orderBy: [{ hookPointId: "asc" }, { index: "asc" }, { id: "asc" }],
    include: { annotations: { where: { status: { in: ["PROPOSED", "ACCEPTED"] } } } },
  });
  // listing order compares ids byte-wise in the database's collation; the ids here are ASCII cuids
  return units
    .filter(
      (u) => matches(u.currentLabel, q) || matches(u.topAutoLabel, q) || u.annotations.some((a) => matches(a.label, q)),
    )
    .map((u) => u.id);
}

async function allPages(q: string, filter: UnitFilter, first: number): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const page = await listUnits(db.prisma, { filter: { ...filter, search: q }, first, after });
    out.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error("pagination did not end");
}

beforeAll(async () => {
  db = await createTestDatabase();
  modelId = (await createBareModel(db.prisma)).id;
  userId = (await db.prisma.user.create({ data: { email: "s@example.org", displayName: "s", passwordHash: "x" } })).id;
  for (const layer of [0, 1]) {
    const name = `vision.blocks.${layer}.mlp.hook_post`;
    hooks.push(
      (
        await db.prisma.hookPoint.create({
          data: { modelId, name, tower: "VISION", layer, kind: "MLP", width: 8, tensor: name },
        })
      ).id,
    );
  }
  // 3,000 units in one statement (the bulk-insert trigger path): labels from a small vocabulary, so "red" is common
  // (above PROBE_LIMIT term rows would need more; the tests choose the plan through searchUnitIds' probe limit)
  await db.prisma.$executeRawUnsafe(
    `insert into "Unit" (id, slug, "modelId", "hookPointId", kind, index, "topAutoLabel", "currentLabel", "updatedAt")
    select 'u' || lpad(i::text, 5, '0'), 'm/' || i, $1, case when i % 2 = 0 then $2 else $3 end, case when i % 5 = 0 then 'SAE_FEATURE'::"UnitKind" else 'NEURON'::"UnitKind" end, i / 2,
      initcap(($4::text[])[1 + i % 8]) || '-' || ($4::text[])[1 + (i / 8) % 8],
      case when i % 7 = 0 then 'the ' || ($4::text[])[1 + (i / 3) % 8] || ' detector #' || i else null end, now()
    from generate_series(0, 2999) i`,
    modelId,
    hooks[0],
    hooks[1],
    WORDS,
  );
});
afterAll(async () => {
  await db?.close();
});

it("matches word starts, ignoring case and punctuation, in current labels and top auto-labels", async () => {
  const cases = [
    "red",
    "RED blue",
    "red-blue",
    "blue",
    "bluebird str",
    "detector 14",
    "the green",
    "stripes  circle",
    "lue",
    "ed",
    "!!!",
    "zebra",
  ];
  for (const q of cases) {
    const want = await bruteForce(q);
    expect([q, await allPages(q, {}, 100)]).toEqual([q, want]);
    expect([q, await countUnits(db.prisma, { search: q })]).toEqual([q, want.length]);
  }
  expect(await bruteForce("lue")).toEqual([]); // mid-word: no match
  expect((await bruteForce("blue")).length).toBeGreaterThan((await bruteForce("bluebird")).length);
});

it("gives the same pages through the term range and the listing-order walk, with filters and cursors", async () => {
  const filters: UnitFilter[] = [
    {},
    { modelId },
    { hookPointId: hooks[1] },
    { kind: "SAE_FEATURE" },
    { modelId, kind: "NEURON" },
  ];
  for (const q of ["red", "blue stripes", "detector", "circle red"]) {
    for (const filter of filters) {
      const want = await bruteForce(q, filter);
      for (const probeLimit of [1, 1_000_000]) {
        // 1: always the walk; 1e6: always the range
        const got: string[] = [];
        let after: ListingKey | null = null;
        for (;;) {
          const ids = await searchUnitIds(db.prisma, q, filter, after, 50, probeLimit);
          got.push(...ids);
          if (ids.length < 50) break;
          const last = await db.prisma.unit.findUniqueOrThrow({ where: { id: ids[ids.length - 1] } });
          after = [last.hookPointId, last.index, last.id];
        }
        expect([q, filter, probeLimit, got]).toEqual([q, filter, probeLimit, want]);
      }
    }
  }
});

it("follows label and annotation changes: proposed and accepted labels are searchable, drafts and rejected ones not", async () => {
  const unit = await db.prisma.unit.findFirstOrThrow({ where: { id: "u00003" } });
  const find = async (q: string) => (await allPages(q, {}, 100)).includes(unit.id);
  expect(await find("zigzag")).toBe(false);
  await db.prisma.unit.update({ where: { id: unit.id }, data: { currentLabel: "Zigzag edges" } });
  expect(await find("zigzag edge")).toBe(true);
  await db.prisma.unit.update({ where: { id: unit.id }, data: { currentLabel: null } });
  expect(await find("zigzag")).toBe(false);

  const a = await db.prisma.annotation.create({
    data: { unitId: unit.id, authorId: userId, label: "Purple spiral", status: "DRAFT" },
  });
  expect(await find("purple")).toBe(false);
  await db.prisma.annotation.update({ where: { id: a.id }, data: { status: "PROPOSED" } });
  expect(await find("purple spiral")).toBe(true);
  await db.prisma.annotation.update({ where: { id: a.id }, data: { label: "Violet spiral" } });
  expect([await find("purple"), await find("violet")]).toEqual([false, true]);
  await db.prisma.annotation.update({ where: { id: a.id }, data: { status: "ACCEPTED" } });
  expect(await find("spiral")).toBe(true);
  await db.prisma.annotation.update({ where: { id: a.id }, data: { status: "REJECTED" } });
  expect(await find("spiral")).toBe(false);
  await db.prisma.annotation.update({ where: { id: a.id }, data: { status: "PROPOSED" } });
  await db.prisma.annotation.delete({ where: { id: a.id } });
  expect(await find("spiral")).toBe(false);

  // a unit's rows go with it
  await db.prisma.unit.delete({ where: { id: unit.id } });
  expect(await db.prisma.unitSearchTerm.count({ where: { unitId: unit.id } })).toBe(0);
});

it("keeps a unit's rows in step with its listing position", async () => {
  const unit = await db.prisma.unit.findFirstOrThrow({ where: { id: "u00010" } });
  await db.prisma.unit.update({ where: { id: unit.id }, data: { index: 99_999 } });
  const rows = await db.prisma.unitSearchTerm.findMany({ where: { unitId: unit.id } });
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect([r.index, r.hookPointId, r.modelId]).toEqual([99_999, unit.hookPointId, unit.modelId]);
});
