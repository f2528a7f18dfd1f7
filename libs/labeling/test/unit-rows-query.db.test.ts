// The unit page's annotation and comment reads (named statements over JSON rows) return what Prisma returns:
// the same rows and values, drafts only for their author, comments oldest first.
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { commentsOfUnits, visibleAnnotationsOfUnits } from "../src/unit-rows-query";

jest.setTimeout(120_000);

let db: TestDatabase;
const unitIds: string[] = [];
let alice: string, bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "RESID", width: 4, tensor: "h" },
  });
  alice = (await db.prisma.user.create({ data: { email: "a@example.org", displayName: "alice", passwordHash: "x" } }))
    .id;
  bob = (await db.prisma.user.create({ data: { email: "b@example.org", displayName: "bob", passwordHash: "x" } })).id;
  for (let u = 0; u < 3; u++)
    unitIds.push(
      (
        await db.prisma.unit.create({
          data: { slug: `m/h/${u}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: u },
        })
      ).id,
    );
  for (const [i, status] of (["PROPOSED", "DRAFT", "ACCEPTED", "REJECTED", "DRAFT"] as const).entries()) {
    const a = await db.prisma.annotation.create({
      data: {
        unitId: unitIds[i % 2],
        authorId: i === 4 ? bob : alice,
        label: `label "${i}"\n`,
        status,
        tags: i ? ["color", `t${i}`] : [],
        confidence: i === 2 ? 1 / 3 : null,
        voteScore: i - 2,
        description: i === 0 ? "ünïcode ✓" : "",
      },
    });
    await db.prisma.comment.create({
      data: { unitId: unitIds[i % 2], annotationId: i === 3 ? a.id : null, authorId: bob, body: `comment ${i}` },
    });
  }
});
afterAll(async () => {
  await db?.close();
});

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

it.each([
  ["anonymous", null],
  ["alice", "alice"],
  ["bob", "bob"],
] as const)("annotations as %s match Prisma's, drafts only for their author", async (_, who) => {
  const viewer = who === "alice" ? alice : who === "bob" ? bob : null;
  const got = await visibleAnnotationsOfUnits(db.prisma, unitIds, viewer);
  const want = await db.prisma.annotation.findMany({
    where: {
      unitId: { in: unitIds },
      ...(viewer ? { OR: [{ status: { not: "DRAFT" } }, { authorId: viewer }] } : { status: { not: "DRAFT" } }),
    },
  });
  expect(byId(got)).toEqual(byId(want));
  expect(got.filter((a) => a.status === "DRAFT")).toHaveLength(viewer ? 1 : 0);
  expect(got.every((a) => a.createdAt instanceof Date)).toBe(true);
});

it("comments match Prisma's, oldest first", async () => {
  const got = await commentsOfUnits(db.prisma, unitIds, null);
  const want = await db.prisma.comment.findMany({
    where: { unitId: { in: unitIds } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  expect(got).toEqual(want);
  expect(got).toHaveLength(5);
  expect(await commentsOfUnits(db.prisma, [unitIds[2]], null)).toEqual([]);
});
