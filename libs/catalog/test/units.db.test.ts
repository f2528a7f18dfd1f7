// Unit pages against a real database: complete, duplicate-free pagination in (hook, index, id) order,
// every filter, lookups by id and slug, and refused arguments.
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { countUnits, getModel, getUnit, listUnits, type UnitFilter } from "../src";

jest.setTimeout(120_000);

let db: TestDatabase;
let modelId: string;
const hooks: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const model = await createBareModel(db.prisma);
  modelId = model.id;
  const user = await db.prisma.user.create({ data: { email: "a@example.org", displayName: "a", passwordHash: "x" } });
  for (const [layer, name] of ["vision.blocks.0.hook_resid_post", "vision.blocks.1.mlp.hook_post"].entries()) {
    const h = await db.prisma.hookPoint.create({
      data: { modelId, name, tower: "VISION", layer, kind: layer ? "MLP" : "RESID", width: 8, tensor: name },
    });
    hooks.push(h.id);
    for (let index = 0; index < 12; index++) {
      const unit = await db.prisma.unit.create({
        data: {
          slug: `m/${name}/${index}`,
          modelId,
          hookPointId: h.id,
          kind: index % 4 === 0 ? "SAE_FEATURE" : "NEURON",
          index,
          labelState: index % 3 === 0 ? "LABELED" : index % 5 === 0 ? "DISPUTED" : "UNLABELED",
          currentLabel: index % 3 === 0 ? `Red thing ${index}` : null,
          topAutoLabel: index === 7 ? "striped square" : null,
        },
      });
      if (layer === 1 && index === 2)
        await db.prisma.annotation.create({
          data: { unitId: unit.id, authorId: user.id, label: "Purple zigzag", status: "PROPOSED" },
        });
      if (layer === 1 && index === 4)
        await db.prisma.annotation.create({
          data: { unitId: unit.id, authorId: user.id, label: "purple draft", status: "DRAFT" },
        });
    }
  }
});
afterAll(async () => {
  await db?.close();
});

async function all(filter: UnitFilter | null, first: number) {
  const out: { hookPointId: string; index: number; id: string }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listUnits(db.prisma, { filter, first, after });
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error("pagination did not end");
}

it("visits every unit once, in (hook point, index, id) order, whatever the page size", async () => {
  for (const first of [1, 5, 7, 24, 100]) {
    const units = await all(null, first);
    expect(units).toHaveLength(24);
    const keys = units.map((u) => `${u.hookPointId}|${String(u.index).padStart(3, "0")}|${u.id}`);
    expect(keys).toEqual([...keys].sort());
  }
});

it("filters by hook, kind, label state and text, and counts the same", async () => {
  const cases: [UnitFilter, number][] = [
    [{ modelId }, 24],
    [{ hookPointId: hooks[1] }, 12],
    [{ hookName: "vision.blocks.0.hook_resid_post" }, 12],
    [{ kind: "SAE_FEATURE" }, 6],
    [{ labelState: "LABELED" }, 8],
    [{ labelState: "DISPUTED", hookPointId: hooks[0] }, 2], // indexes 5 and 10
    [{ search: "red THING" }, 8],
    [{ search: "striped" }, 2],
    [{ search: "zigzag" }, 1],
    [{ search: "purple draft" }, 0], // drafts are not searchable
  ];
  for (const [filter, expected] of cases) {
    expect([filter, (await all(filter, 5)).length]).toEqual([filter, expected]);
    expect(await countUnits(db.prisma, filter)).toBe(expected);
  }
});

it("finds units by id or slug, models by id or name, and refuses bad arguments", async () => {
  const unit = await getUnit(db.prisma, "m/vision.blocks.1.mlp.hook_post/3");
  expect(unit.index).toBe(3);
  expect((await getUnit(db.prisma, unit.id)).slug).toBe(unit.slug);
  expect((await getModel(db.prisma, "m")).id).toBe(modelId);
  await expect(getUnit(db.prisma, "m/none/1")).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(getModel(db.prisma, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(listUnits(db.prisma, { first: 101 })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "first" },
  });
  await expect(listUnits(db.prisma, { after: "bm9wZQ" })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "after" },
  });
  await expect(listUnits(db.prisma, { filter: { search: "x".repeat(201) } })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "search" },
  });
});

it("reads a unit exactly as Prisma does: dates, floats, JSON columns and nulls", async () => {
  const unit = await db.prisma.unit.create({
    data: {
      slug: "m/extra/1",
      modelId,
      hookPointId: hooks[0],
      kind: "SAE_FEATURE",
      index: 99,
      maxActivation: 1 / 3,
      density: 1e-9,
      multimodalScore: -0.25,
      histogram: { edges: [0, 0.5, 1], counts: [3, 1] },
      autoLabels: [{ label: "red circle", score: 0.7, method: "clip-dissect" }],
      stats: { heads: null, effect: { "color:red": -1.5e-3 } },
      topAutoLabel: "red circle",
      currentLabel: 'it\'s "red"\n',
    },
  });
  const byPrisma = await db.prisma.unit.findUniqueOrThrow({ where: { id: unit.id } });
  const bare = await db.prisma.unit.findUniqueOrThrow({ where: { slug: "m/vision.blocks.0.hook_resid_post/1" } });
  expect(await getUnit(db.prisma, unit.id)).toEqual(byPrisma);
  expect(await getUnit(db.prisma, unit.slug)).toEqual(byPrisma);
  expect(await getUnit(db.prisma, bare.id)).toEqual(bare);
  expect((await getUnit(db.prisma, unit.id)).createdAt.getTime()).toBe(byPrisma.createdAt.getTime());
});
