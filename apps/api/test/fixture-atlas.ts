// Seeds a small atlas for API tests: one model with a hook point and an SAE, a text dataset, and `units`
// units with top activations, written straight through Prisma (the atlas builder is another lib).
import type { PrismaClient } from "@mmatlas/db";
import { createBareHookPoint } from "@mmatlas/db/testing";

export interface FixtureAtlas {
  modelId: string;
  hookPointId: string;
  dictionaryId: string;
  unitIds: string[];
  slugs: string[];
}

export async function seedAtlas(prisma: PrismaClient, units: number): Promise<FixtureAtlas> {
  const model = await prisma.model.create({
    data: {
      name: "fixture-model",
      displayName: "Fixture",
      modality: "IMAGE_TEXT",
      architecture: "clip-vit",
      onnxFiles: {},
      config: {},
      directory: "fixture",
    },
  });
  const hook = await createBareHookPoint(prisma, model.id, 256, "vision.blocks.0.mlp.hook_post");
  const dict = await prisma.dictionary.create({
    data: {
      modelId: model.id,
      hookPointId: hook.id,
      name: "fixture-sae",
      architecture: "TOPK",
      dIn: 256,
      dSae: 512,
      weightsPath: "saes/x",
      cfg: {},
    },
  });
  const dataset = await prisma.dataset.create({ data: { name: "fixture-captions", modality: "TEXT", size: 4 } });
  const texts = ["a red circle", "a blue square", "a green triangle", "a red cross"];
  const examples = await Promise.all(
    texts.map((text, index) =>
      prisma.example.create({
        data: { datasetId: dataset.id, index, modality: "TEXT", text, tags: [`color:${text.split(" ")[1]}`] },
      }),
    ),
  );
  const unitIds: string[] = [];
  const slugs: string[] = [];
  for (let i = 0; i < units; i++) {
    const sae = i % 2 === 1;
    const slug = `fixture-model/${hook.name}/${sae ? "fixture-sae" : "neurons"}/${i}`;
    const unit = await prisma.unit.create({
      data: {
        slug,
        modelId: model.id,
        hookPointId: hook.id,
        dictionaryId: sae ? dict.id : null,
        kind: sae ? "SAE_FEATURE" : "NEURON",
        index: i,
        maxActivation: 1 + i / 10,
        density: 0.01 * (i % 7),
        histogram: { edges: [0, 1, 2], counts: [5, i] },
        autoLabels: [{ label: i % 3 === 0 ? "red" : "blue", score: 0.8, method: "wpmi" }],
        topAutoLabel: i % 3 === 0 ? "red" : "blue",
      },
    });
    await prisma.topActivation.createMany({
      data: examples.slice(0, 3).map((ex, rank) => ({
        unitId: unit.id,
        exampleId: ex.id,
        rank,
        maxValue: 3 - rank,
        values: [0.1 * rank, 1, 0, 0.5],
      })),
    });
    unitIds.push(unit.id);
    slugs.push(slug);
  }
  return { modelId: model.id, hookPointId: hook.id, dictionaryId: dict.id, unitIds, slugs };
}

/**
 * A LabelScore row for a fixture unit's label (as the SCORE_LABELS job writes it) with the given detection
 * AUROC and no localization or tag scores; `extra` sets any other field.
 */
export function labelScoreRow(
  unitId: string,
  label: string,
  auroc: number | null,
  extra: Record<string, unknown> = {},
) {
  return {
    unitId,
    labelKey: label.toLowerCase(),
    label,
    prompt: `a ${label} shape`,
    sources: ["auto:wpmi"],
    method: "model-similarity",
    version: 1,
    datasetId: "d",
    heldOutExamples: 512,
    detectionAuroc: auroc,
    balancedAccuracy: auroc,
    activatingExamples: 40,
    nonActivatingExamples: 40,
    localization: null,
    localizationExamples: 0,
    tagAuroc: null,
    tagPositives: null,
    tagNegatives: null,
    notes: [],
    ...extra,
  };
}
