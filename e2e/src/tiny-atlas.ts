// Builds a tiny real atlas of the built-in model for page tests with the atlas builder (libs/builder): a
// small generated shapes dataset, one vision MLP layer, one attention-pattern hook, a text MLP layer and an
// SAE, run through real ONNX inference. Takes seconds.
import { createAtlasBuildJob, executeJob, ingestShapesDataset } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import type { PrismaClient } from "@mmatlas/db";
import { BUILTIN_MANIFEST } from "./paths";

export const TINY_HOOKS = [
  "vision.blocks.1.mlp.hook_post",
  "vision.blocks.0.attn.hook_pattern",
  "text.blocks.0.mlp.hook_post",
];
export const TINY_SAES = ["vision.blocks.1.hook_resid_post.topk"];

export interface TinyAtlas {
  modelId: string;
  modelName: string;
  units: number;
}

export async function buildTinyAtlas(
  prisma: PrismaClient,
  opts: { images?: number; texts?: number; maxUnits?: number } = {},
): Promise<TinyAtlas> {
  const { model } = await registerModelFromManifest(prisma, BUILTIN_MANIFEST);
  const dataset = await ingestShapesDataset(prisma, {
    name: "e2e-tiny",
    seed: 7,
    images: opts.images ?? 64,
    texts: opts.texts ?? 32,
  });
  const job = await createAtlasBuildJob(prisma, {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: TINY_HOOKS,
    dictionaries: TINY_SAES,
    k: 8,
    batchSize: 32,
    probeSize: 48,
    causalUnits: 2,
    causalExamples: 16,
    maxUnits: 12,
    // page tests see the atlas as built; those about scores run their SCORE_LABELS job themselves (label-trust),
    // so no follow-up job rescores it in the API's runner mid-test
    scoreLabels: false,
  } as Parameters<typeof createAtlasBuildJob>[1]);
  const done = await executeJob(prisma, job.id);
  if (done.status !== "SUCCEEDED") throw new Error(`tiny atlas build ${done.status}: ${done.error ?? ""}`);
  return { modelId: model.id, modelName: model.name, units: await prisma.unit.count({ where: { modelId: model.id } }) };
}
