// Ingests a shapes-world dataset (libs/model-zoo generator) into Dataset/Example rows: images as PNG bytes with
// their ground-truth tags and caption, then text-only captions. Idempotent: examples are keyed by
// (datasetId, index) and inserted with skipDuplicates, so a re-run (or a crash midway) never duplicates rows.
import type { Dataset, PrismaClient } from "@mmatlas/db";
import { generateCaptionCorpus, generateShapesWorld } from "@mmatlas/model-zoo";

export interface ShapesDatasetOptions {
  name: string;
  seed: number;
  images: number;
  texts: number;
  description?: string;
}

export const DEFAULT_SHAPES_DATASET: ShapesDatasetOptions = {
  name: "shapes-world-probe",
  seed: 20261122,
  images: 2048,
  texts: 1024,
  description: "Generated shapes world (seed 20261122): 2048 labelled 32×32 images, then 1024 captions.",
};

const CHUNK = 256;

export async function ingestShapesDataset(prisma: PrismaClient, opts: ShapesDatasetOptions): Promise<Dataset> {
  const size = opts.images + opts.texts;
  const description =
    opts.description ??
    `Generated shapes world (seed ${opts.seed}): ${opts.images} images, then ${opts.texts} captions.`;
  const dataset = await prisma.dataset.upsert({
    where: { name: opts.name },
    create: {
      name: opts.name,
      description,
      modality: opts.texts > 0 && opts.images > 0 ? "IMAGE_TEXT" : opts.images > 0 ? "IMAGE" : "TEXT",
      size,
    },
    update: {},
  });
  const have = await prisma.example.count({ where: { datasetId: dataset.id } });
  if (have >= size) return dataset;
  for (let start = 0; start < opts.images; start += CHUNK) {
    const count = Math.min(CHUNK, opts.images - start);
    const examples = generateShapesWorld({ seed: opts.seed, count, offset: start, png: true });
    await prisma.example.createMany({
      skipDuplicates: true,
      data: examples.map((ex) => ({
        datasetId: dataset.id,
        index: ex.index,
        modality: "IMAGE" as const,
        image: new Uint8Array(ex.png!),
        text: ex.caption,
        tags: ex.tags,
        meta: { source: "shapes-world", seed: opts.seed, kind: ex.scene.kind },
      })),
    });
  }
  const captions = generateCaptionCorpus({ seed: opts.seed, count: opts.texts });
  for (let start = 0; start < captions.length; start += CHUNK) {
    await prisma.example.createMany({
      skipDuplicates: true,
      data: captions.slice(start, start + CHUNK).map((c, i) => ({
        datasetId: dataset.id,
        index: opts.images + start + i,
        modality: "TEXT" as const,
        text: c.text,
        tags: c.tags,
        meta: { source: "shapes-world-captions", seed: opts.seed },
      })),
    });
  }
  return prisma.dataset.update({
    where: { id: dataset.id },
    data: { size: await prisma.example.count({ where: { datasetId: dataset.id } }) },
  });
}
