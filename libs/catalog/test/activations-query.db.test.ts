// The one-statement top-activations query returns exactly what Prisma's findMany + include returns: the same
// rows in (band index, rank) order, float values bit for bit, tags and meta, units without rows as [], and the
// TOP and QUANTILE bands apart; examples without their image bytes (hasImage instead), which exampleImages reads.
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { activationsByUnit, exampleImages } from "../src/activations-query";

jest.setTimeout(120_000);

let db: TestDatabase;
const unitIds: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const model = await createBareModel(db.prisma, "IMAGE_TEXT");
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "RESID", width: 4, tensor: "h" },
  });
  const dataset = await db.prisma.dataset.create({ data: { name: "d", modality: "IMAGE_TEXT" } });
  const png = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256); // bytes, not a valid PNG: only the round trip matters
  const examples = [];
  for (let i = 0; i < 4; i++)
    examples.push(
      await db.prisma.example.create({
        data: {
          datasetId: dataset.id,
          index: i,
          modality: i % 2 ? "TEXT" : "IMAGE",
          image: i % 2 ? null : png,
          text: i % 2 ? `the word "blue"\n${i}` : null,
          tags: i === 3 ? [] : ["color:red", `n:${i}`],
          meta: i === 0 ? { split: "test", nested: [1, 2.5] } : undefined,
        },
      }),
    );
  for (let u = 0; u < 3; u++) {
    const unit = await db.prisma.unit.create({
      data: { slug: `m/h/${u}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: u },
    });
    unitIds.push(unit.id);
    if (u === 2) continue; // a unit without activations
    for (let rank = 3; rank >= 0; rank--)
      // inserted out of order on purpose
      await db.prisma.topActivation.create({
        data: {
          unitId: unit.id,
          exampleId: examples[(rank + u) % 4].id,
          band: "TOP",
          rank,
          maxValue: 1 / (rank + 3) + u,
          values: [0.1 + rank, -1e-7, 1 / 3, 123456.789e10, 0],
        },
      });
    for (const bandIndex of [2, 1])
      await db.prisma.topActivation.create({
        data: {
          unitId: unit.id,
          exampleId: examples[bandIndex].id,
          band: "QUANTILE",
          bandIndex,
          rank: 0,
          maxValue: bandIndex / 7,
          values: [bandIndex],
        },
      });
  }
});
afterAll(async () => {
  await db?.close();
});

async function viaPrisma(band: "TOP" | "QUANTILE") {
  const rows = await db.prisma.topActivation.findMany({
    where: { unitId: { in: unitIds }, band },
    orderBy: [{ bandIndex: "asc" }, { rank: "asc" }],
    include: { example: true },
  });
  return unitIds.map((id) =>
    rows
      .filter((r) => r.unitId === id)
      .map((r) => {
        const { image, ...example } = r.example;
        return { ...r, example: { ...example, hasImage: image != null } };
      }),
  );
}

it.each(["TOP", "QUANTILE"] as const)("matches Prisma's include for the %s band", async (band) => {
  const got = await activationsByUnit(db.prisma, unitIds, band);
  const want = await viaPrisma(band);
  expect(got.map((g) => g.length)).toEqual(band === "TOP" ? [4, 4, 0] : [2, 2, 0]);
  expect(got).toEqual(want);
  if (band === "TOP") {
    expect(got[0].map((r) => r.rank)).toEqual([0, 1, 2, 3]);
    expect(got.flat().some((r) => "image" in r.example)).toBe(false);
    const withImage = got.flat().find((r) => r.example.hasImage)!;
    const [bytes] = await exampleImages(db.prisma, [withImage.exampleId]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes!]).toEqual(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
  } else expect(got[0].map((r) => r.bandIndex)).toEqual([1, 2]);
});

it("answers in the order of the ids asked for, repeating none", async () => {
  const reversed = [...unitIds].reverse();
  const got = await activationsByUnit(db.prisma, reversed, "TOP");
  expect(got.map((rows) => rows[0]?.unitId ?? null)).toEqual([null, unitIds[1], unitIds[0]]);
  expect(await activationsByUnit(db.prisma, ["no-such-unit"], "TOP")).toEqual([[]]);
});

it("gives the same rows through a transaction client (Prisma's raw query fallback)", async () => {
  const direct = await activationsByUnit(db.prisma, unitIds, "TOP");
  const inTx = await db.prisma.$transaction((tx) =>
    activationsByUnit(tx as unknown as typeof db.prisma, unitIds, "TOP"),
  );
  expect(inTx).toEqual(direct);
});

it("reads image bytes in the order asked for; null for a text example or an unknown id", async () => {
  const examples = await db.prisma.example.findMany({ orderBy: { index: "asc" } });
  const got = await exampleImages(db.prisma, ["no-such-example", examples[1].id, examples[0].id]);
  expect(got[0]).toBeNull();
  expect(got[1]).toBeNull(); // a text example
  expect(got[2]!.length).toBe(300);
});
