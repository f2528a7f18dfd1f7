// Test fixtures: the built-in model registered in a test database and a tiny generated shapes dataset, plus
// small build parameters, a file-wide fresh database with them (useSmallSetup) and a comparable dump of everything a
// build wrote.
import { registerModelFromManifest } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { ingestShapesDataset } from "../src/dataset/ingest-shapes";

export const SMALL_HOOKS = [
  "vision.blocks.1.mlp.hook_post",
  "vision.blocks.0.attn.hook_pattern",
  "text.blocks.0.mlp.hook_post",
];
export const SMALL_SAES = ["vision.blocks.1.hook_resid_post.topk"];

export async function smallSetup(prisma: PrismaClient, images = 48, texts = 24) {
  const { model } = await registerModelFromManifest(prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(prisma, { name: `tiny-${images}-${texts}`, seed: 99, images, texts });
  const params = {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: SMALL_HOOKS,
    dictionaries: SMALL_SAES,
    k: 5,
    batchSize: 16,
    probeSize: 48,
    causalUnits: 1,
    causalExamples: 16,
    maxUnits: 24,
    // these builds take seconds: checkpoint from the first batch so cancel/resume tests find mid-pass checkpoints
    checkpointAfterSeconds: 0,
  };
  return { model, dataset, params };
}

/**
 * A fresh test database with smallSetup, opened before the file's tests and closed after them; read `db` and
 * `setup` inside tests.
 */
export function useSmallSetup(): { db: TestDatabase; setup: Awaited<ReturnType<typeof smallSetup>> } {
  const ctx = {} as { db: TestDatabase; setup: Awaited<ReturnType<typeof smallSetup>> };
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.setup = await smallSetup(ctx.db.prisma);
  });
  afterAll(() => ctx.db?.close());
  return ctx;
}

/** Everything a build stored for a model, keyed by slug, without ids, timestamps or the job id. */
export async function dumpAtlas(prisma: PrismaClient, modelId: string) {
  const units = await prisma.unit.findMany({
    where: { modelId },
    orderBy: { slug: "asc" },
    include: {
      topActivations: {
        orderBy: [{ band: "asc" }, { bandIndex: "asc" }, { rank: "asc" }],
        include: { example: { select: { index: true } } },
      },
    },
  });
  return units.map((u) => ({
    slug: u.slug,
    kind: u.kind,
    index: u.index,
    maxActivation: u.maxActivation,
    density: u.density,
    histogram: u.histogram,
    autoLabels: u.autoLabels,
    topAutoLabel: u.topAutoLabel,
    multimodalScore: u.multimodalScore,
    stats: { ...(u.stats as Record<string, unknown>), jobId: undefined },
    top: u.topActivations.map((t) => [t.band, t.bandIndex, t.rank, t.example.index, t.maxValue, t.values]),
  }));
}
