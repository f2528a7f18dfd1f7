// Reads the dataset in stream order (images first, then texts; ascending Example.index within each) and turns
// rows into model inputs. A corrupt item (undecodable image, missing text) fails with the example it came from.
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { preprocessImage, type Runner, type TokenizedText } from "@mmatlas/inference";
import type { TowerName } from "../plan/build-plan";

export interface ExampleRow {
  id: string;
  index: number;
  image: Uint8Array | null;
  text: string | null;
  tags: string[];
}

const IMAGE_MODALITIES = ["IMAGE", "IMAGE_TEXT"] as const;

export function towerWhere(datasetId: string, tower: TowerName) {
  return tower === "VISION"
    ? { datasetId, modality: { in: [...IMAGE_MODALITIES] } }
    : { datasetId, modality: "TEXT" as const };
}

export async function countTowerExamples(prisma: PrismaClient, datasetId: string, tower: TowerName): Promise<number> {
  return prisma.example.count({ where: towerWhere(datasetId, tower) });
}

/** The next `take` examples of a tower after `afterIndex` (ascending index). */
export async function readExamples(prisma: PrismaClient, datasetId: string, tower: TowerName, afterIndex: number, take: number): Promise<ExampleRow[]> {
  return prisma.example.findMany({
    where: { ...towerWhere(datasetId, tower), index: { gt: afterIndex } },
    orderBy: { index: "asc" },
    take,
    select: { id: true, index: true, image: true, text: true, tags: true },
  });
}

/** Normalized pixels [n × 3 × size × size] of image examples. */
export function examplePixels(runner: Runner, rows: ExampleRow[]): Float32Array {
  const spec = runner.manifest.image!.preprocess;
  const per = 3 * spec.size * spec.size;
  const out = new Float32Array(rows.length * per);
  rows.forEach((row, i) => {
    if (!row.image) throw AppError.badInput(`dataset example ${row.index} (${row.id}) has no image`, "datasetId");
    try {
      out.set(preprocessImage(row.image, spec, row.index), i * per);
    } catch (e) {
      throw AppError.badInput(`dataset example ${row.index} (${row.id}): corrupt image: ${(e as Error).message}`, "datasetId");
    }
  });
  return out;
}

export function exampleTokens(runner: Runner, rows: ExampleRow[]): TokenizedText[] {
  return rows.map((row) => {
    if (typeof row.text !== "string" || row.text.trim() === "") throw AppError.badInput(`dataset example ${row.index} (${row.id}) has no text`, "datasetId");
    return runner.tokenizer!.encode(row.text);
  });
}
