// Fixture of the collaboration benches: a bare model with one MLP hook point and `count` neuron units whose
// ids are `<prefix><i>`, created once and reused across runs; each run starts with their collaborative
// documents and annotations removed.
import type { PrismaClient } from "@mmatlas/db";
import { createBareHookPoint } from "@mmatlas/db/testing";

export interface CollabBenchUnits {
  /** the model's name (also its display name's stem and the slugs' prefix) */
  modelName: string;
  displayName: string;
  /** unit ids are `${idPrefix}${i}` */
  idPrefix: string;
  count: number;
}

/** Creates (or reuses) the model, hook point and units, and clears their documents and annotations. */
export async function seedCollabBenchUnits(prisma: PrismaClient, o: CollabBenchUnits): Promise<void> {
  const model =
    (await prisma.model.findUnique({ where: { name: o.modelName } })) ??
    (await prisma.model.create({
      data: {
        name: o.modelName,
        displayName: o.displayName,
        modality: "IMAGE",
        architecture: "vit",
        onnxFiles: {},
        config: {},
        directory: "b",
      },
    }));
  const hook =
    (await prisma.hookPoint.findFirst({ where: { modelId: model.id } })) ??
    (await createBareHookPoint(prisma, model.id, o.count));
  await prisma.unit.createMany({
    skipDuplicates: true,
    data: Array.from({ length: o.count }, (_, i) => ({
      id: `${o.idPrefix}${i}`,
      slug: `${o.modelName}/h/${i}`,
      modelId: model.id,
      hookPointId: hook.id,
      kind: "NEURON" as const,
      index: i,
    })),
  });
  await prisma.collabDocument.deleteMany({ where: { unitId: { startsWith: o.idPrefix } } });
  await prisma.annotation.deleteMany({ where: { unitId: { startsWith: o.idPrefix } } });
}
