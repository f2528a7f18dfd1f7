// A tiny atlas for porting tests: one model, one hook point (width 4), three units with top activations
// on a two-text dataset. Slugs are deterministic so two databases hold "the same atlas".
import type { PrismaClient } from "@mmatlas/db";
import { createBareHookPoint } from "@mmatlas/db/testing";

export async function seedTinyAtlas(prisma: PrismaClient) {
  const model = await prisma.model.create({
    data: {
      name: "tiny",
      displayName: "Tiny",
      modality: "IMAGE_TEXT",
      architecture: "clip-vit",
      onnxFiles: {},
      config: {},
      directory: "tiny",
    },
  });
  const hook = await createBareHookPoint(prisma, model.id, 4);
  const dataset = await prisma.dataset.create({ data: { name: "tiny-texts", modality: "TEXT", size: 2 } });
  const ex = [
    await prisma.example.create({
      data: { datasetId: dataset.id, index: 0, modality: "TEXT", text: "a red circle", tags: ["color:red"] },
    }),
    await prisma.example.create({
      data: { datasetId: dataset.id, index: 1, modality: "TEXT", text: "a blue square", tags: [] },
    }),
  ];
  const units = [];
  for (let i = 0; i < 3; i++) {
    const u = await prisma.unit.create({
      data: {
        slug: `tiny/${hook.name}/neurons/${i}`,
        modelId: model.id,
        hookPointId: hook.id,
        kind: "NEURON",
        index: i,
        maxActivation: 1 + i,
        density: 0.5,
        autoLabels: [{ label: i === 0 ? "red" : "blue", score: 0.9, method: "clip-dissect" }],
        topAutoLabel: i === 0 ? "red" : "blue",
      },
    });
    await prisma.topActivation.createMany({
      data: ex.map((e, rank) => ({ unitId: u.id, exampleId: e.id, rank, maxValue: 2 - rank, values: [0.5, 2 - rank] })),
    });
    units.push(u);
  }
  return { model, hook, dataset, units };
}
