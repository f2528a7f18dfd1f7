// Similar units and unit-set maps over GraphQL: Unit.neighbours(kind, first) in rank order with scores and the
// neighbour units, its bounds, and HookPoint.map / Dictionary.map points with label state, label and score.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer;
let atlas: FixtureAtlas;
const q = (query: string, variables?: Record<string, unknown>) => gql(api.url, query, variables);

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  atlas = await seedAtlas(db.prisma, 8); // neurons at even indices, SAE features at odd ones
  const [u0, , u2, , u4, , u6] = atlas.unitIds;
  await db.prisma.unitNeighbour.createMany({
    data: [
      { unitId: u0, kind: "DECODER_COSINE", rank: 0, neighbourId: u4, score: 0.9 },
      { unitId: u0, kind: "DECODER_COSINE", rank: 1, neighbourId: u2, score: 0.5 },
      { unitId: u0, kind: "DECODER_COSINE", rank: 2, neighbourId: u6, score: -0.1 },
      { unitId: u0, kind: "ACTIVATION_CORRELATION", rank: 0, neighbourId: u6, score: 0.7 },
    ],
  });
  await db.prisma.unitMapPoint.createMany({
    data: [
      [u0, 0.1, 0.2],
      [u2, 1, 0],
      [u4, 0.5, 0.5],
      [u6, 0, 1],
    ].map(([unitId, x, y]) => ({
      unitId: unitId as string,
      x: x as number,
      y: y as number,
      source: "DECODER_COSINE" as const,
    })),
  });
  await db.prisma.unit.update({ where: { id: u2 }, data: { currentLabel: "a square", labelState: "LABELED" } });
  await db.prisma.$executeRawUnsafe(`UPDATE "Unit" SET "bestLabelScore" = 0.75 WHERE "id" = $1`, u2);
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

const NEIGHBOURS = `query($id: ID!, $kind: NeighbourKind!, $first: Int) {
  unit(id: $id) { neighbours(kind: $kind, first: $first) { kind rank score unit { id index slug } } }
}`;

it("lists a unit's neighbours of one kind by rank, limited by first", async () => {
  const all = await q(NEIGHBOURS, { id: atlas.unitIds[0], kind: "DECODER_COSINE" });
  expect(all.errors).toBeUndefined();
  expect(all.data.unit.neighbours.map((n: any) => [n.rank, n.unit.index, n.score])).toEqual([
    [0, 4, 0.9],
    [1, 2, 0.5],
    [2, 6, -0.1],
  ]);
  const two = await q(NEIGHBOURS, { id: atlas.slugs[0], kind: "DECODER_COSINE", first: 2 });
  expect(two.data.unit.neighbours.map((n: any) => n.unit.id)).toEqual([atlas.unitIds[4], atlas.unitIds[2]]);
  const corr = await q(NEIGHBOURS, { id: atlas.unitIds[0], kind: "ACTIVATION_CORRELATION" });
  expect(corr.data.unit.neighbours).toEqual([
    {
      kind: "ACTIVATION_CORRELATION",
      rank: 0,
      score: 0.7,
      unit: { id: atlas.unitIds[6], index: 6, slug: atlas.slugs[6] },
    },
  ]);
  const none = await q(NEIGHBOURS, { id: atlas.unitIds[2], kind: "DECODER_COSINE" });
  expect(none.data.unit.neighbours).toEqual([]);
});

it("refuses first outside 1..10 and unknown kinds", async () => {
  const big = await q(NEIGHBOURS, { id: atlas.unitIds[0], kind: "DECODER_COSINE", first: 11 });
  expect(codeOf(big)).toBe("BAD_USER_INPUT");
  const zero = await q(NEIGHBOURS, { id: atlas.unitIds[0], kind: "DECODER_COSINE", first: 0 });
  expect(codeOf(zero)).toBe("BAD_USER_INPUT");
  const kind = await q(NEIGHBOURS, { id: atlas.unitIds[0], kind: "EUCLIDEAN" });
  expect(kind.errors?.length).toBeGreaterThan(0);
});

it("serves the map of a hook point's neurons and of an SAE (null when none is stored)", async () => {
  const res = await q(
    `query($id: ID!) { model(id: $id) {
    hookPoints { id map { source points { unitId index x y labelState label topAutoLabel autoLabelScore bestLabelScore } } }
    dictionaries { id map { source points { unitId } } }
  } }`,
    { id: atlas.modelId },
  );
  expect(res.errors).toBeUndefined();
  const map = res.data.model.hookPoints[0].map;
  expect(map.source).toBe("DECODER_COSINE");
  expect(map.points.map((p: any) => [p.index, p.x, p.y])).toEqual([
    [0, 0.1, 0.2],
    [2, 1, 0],
    [4, 0.5, 0.5],
    [6, 0, 1],
  ]);
  expect(map.points[1]).toMatchObject({
    unitId: atlas.unitIds[2],
    labelState: "LABELED",
    label: "a square",
    topAutoLabel: "blue",
    autoLabelScore: 0.8,
    bestLabelScore: 0.75,
  });
  expect(map.points[2].bestLabelScore).toBeNull();
  expect(map.points[0]).toMatchObject({ labelState: "UNLABELED", label: "red", topAutoLabel: "red" });
  expect(res.data.model.dictionaries[0].map).toBeNull(); // the SAE's features have no stored map
});

it("unitMap(hookPointId, dictionaryId) reads the same map; unknown or mismatched ids are NOT_FOUND", async () => {
  const MAP = `query($h: ID!, $d: ID) { unitMap(hookPointId: $h, dictionaryId: $d) { source points { index } } }`;
  const neurons = await q(MAP, { h: atlas.hookPointId });
  expect(neurons.data.unitMap.points.map((p: any) => p.index)).toEqual([0, 2, 4, 6]);
  expect((await q(MAP, { h: atlas.hookPointId, d: atlas.dictionaryId })).data.unitMap).toBeNull();
  expect(codeOf(await q(MAP, { h: "nope" }))).toBe("NOT_FOUND");
  expect(codeOf(await q(MAP, { h: "nope", d: atlas.dictionaryId }))).toBe("NOT_FOUND");
});
