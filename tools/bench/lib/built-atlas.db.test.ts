// readBuiltAtlas on an atlas the product really built (the built-in model, a tiny shapes dataset): it finds the
// model, its MLP hook points with their neuron counts and a vision neuron with top activations, and bench:api's
// "built" scenarios ask only for units and hook points that exist. An empty database names the command to run.
import { createAtlasBuildJob, executeJob, ingestShapesDataset } from "@mmatlas/builder";
import { getUnit, registerModelFromManifest } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { rng, scenarios } from "./api-scenarios";
import { neuronSlug, readBuiltAtlas, type SqlRows } from "./built-atlas";

jest.setTimeout(300_000);

const HOOKS = ["vision.blocks.1.mlp.hook_post", "vision.blocks.0.attn.hook_pattern", "text.blocks.0.mlp.hook_post"];

let db: TestDatabase;
const rowsOf =
  (prisma: PrismaClient): SqlRows =>
  (text, params) =>
    prisma.$queryRawUnsafe(text, ...params);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

test("an empty database: an error that names the command building one", async () => {
  await expect(readBuiltAtlas(rowsOf(db.prisma))).rejects.toThrow(/BENCH_LARGE_KEEP=1 npm run bench:large/);
});

test("a built atlas: its model, MLP hooks, neuron counts and a vision neuron with top activations", async () => {
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(db.prisma, { name: "built-atlas", seed: 5, images: 32, texts: 16 });
  const job = await createAtlasBuildJob(db.prisma, {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: HOOKS,
    k: 4,
    batchSize: 16,
    probeSize: 16,
    causalUnits: 0,
    maxUnits: 12,
  });
  const done = await executeJob(db.prisma, job.id);
  expect(done.error).toBeNull();
  expect(done.status).toBe("SUCCEEDED");

  const built = await readBuiltAtlas(rowsOf(db.prisma));
  expect(built.modelId).toBe(model.id);
  expect(built.modelName).toBe(model.name);
  // vision first, then text; attention hooks are not MLP hooks
  expect(built.mlpHooks.map((h) => [h.name, h.tower])).toEqual([
    ["vision.blocks.1.mlp.hook_post", "VISION"],
    ["text.blocks.0.mlp.hook_post", "TEXT"],
  ]);
  for (const h of built.mlpHooks)
    expect(h.units).toBe(await db.prisma.unit.count({ where: { hookPointId: h.id, kind: "NEURON" } }));
  expect(built.mlpUnits).toBe(built.mlpHooks[0].units + built.mlpHooks[1].units);
  expect(built.units).toBe(await db.prisma.unit.count({ where: { modelId: model.id } }));
  expect(built.units).toBeGreaterThan(built.mlpUnits); // + the attention heads

  const sample = await db.prisma.unit.findUniqueOrThrow({ where: { id: built.sampleVisionUnitId } });
  expect(sample.hookPointId).toBe(built.mlpHooks[0].id);
  expect(await db.prisma.topActivation.count({ where: { unitId: sample.id } })).toBeGreaterThan(0);

  // the unit-page requests name real neurons by the builder's slugs; the model-page filters real hook points
  expect(neuronSlug(built, built.mlpHooks[0], sample.index)).toBe(sample.slug);
  const [unitPage, modelPage] = scenarios(built.mlpUnits, "built", built);
  const r = rng(3);
  for (let i = 0; i < 20; i++) {
    const { variables } = JSON.parse(unitPage.body(r)) as { variables: { id: string } };
    expect((await getUnit(db.prisma, variables.id)).modelId).toBe(model.id);
    const page = JSON.parse(modelPage.body(r)) as { variables: { id: string; filter: { hookPointId?: string } } };
    expect(page.variables.id).toBe(model.id);
    if (page.variables.filter.hookPointId)
      expect(built.mlpHooks.map((h) => h.id)).toContain(page.variables.filter.hookPointId);
  }
});
