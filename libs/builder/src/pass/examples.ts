// Reads the dataset in stream order (images first, then texts; ascending Example.index within each) and turns
// rows into model inputs. A corrupt item (undecodable image, missing text) fails with the example it came from.
import { sqlReaderOf, type NamedStatement, type PrismaClient } from "@mmatlas/db";
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

/** the pass's read, in SQL of its own (the hot read of a build): image bytes travel as base64 text, which the
 *  drivers hand over far faster than bytea (PGlite parses bytea's hex form in JavaScript: ~5× slower per batch) */
export const READ_STATEMENTS: Record<TowerName, NamedStatement> = {
  VISION: {
    name: "builder_read_examples_vision",
    text: `SELECT id, index, encode(image, 'base64') AS image64, text, tags FROM "Example"
      WHERE "datasetId" = $1 AND modality IN ('IMAGE', 'IMAGE_TEXT') AND index > $2 ORDER BY index ASC LIMIT $3`,
  },
  TEXT: {
    name: "builder_read_examples_text",
    text: `SELECT id, index, encode(image, 'base64') AS image64, text, tags FROM "Example"
      WHERE "datasetId" = $1 AND modality = 'TEXT' AND index > $2 ORDER BY index ASC LIMIT $3`,
  },
};

/**
 * Refreshes the planner's statistics of "Example" before a pass reads it. PGlite never runs autovacuum, and
 * PostgreSQL's may not have run yet right after an import; without statistics the read below takes the
 * (datasetId, modality) index and sorts the tower's every row per batch (O(N) per batch, O(N²) per pass: 0.2 s a
 * batch at 20k examples) instead of an index range scan on (datasetId, index) that stops after `take` rows.
 */
export async function analyzeExamples(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe('ANALYZE "Example"');
}

/** The next `take` examples of a tower after `afterIndex` (ascending index). */
export async function readExamples(
  prisma: PrismaClient,
  datasetId: string,
  tower: TowerName,
  afterIndex: number,
  take: number,
): Promise<ExampleRow[]> {
  const rows = await sqlReaderOf(prisma).rows<{
    id: string;
    index: number;
    image64: string | null;
    text: string | null;
    tags: string[] | null;
  }>(READ_STATEMENTS[tower], [datasetId, afterIndex, take]);
  return rows.map((r) => ({
    id: r.id,
    index: Number(r.index),
    text: r.text,
    tags: r.tags ?? [],
    image: r.image64 === null ? null : new Uint8Array(Buffer.from(r.image64, "base64")),
  }));
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
      throw AppError.badInput(
        `dataset example ${row.index} (${row.id}): corrupt image: ${(e as Error).message}`,
        "datasetId",
      );
    }
  });
  return out;
}

export function exampleTokens(runner: Runner, rows: ExampleRow[]): TokenizedText[] {
  return rows.map((row) => {
    if (typeof row.text !== "string" || row.text.trim() === "")
      throw AppError.badInput(`dataset example ${row.index} (${row.id}) has no text`, "datasetId");
    return runner.tokenizer!.encode(row.text);
  });
}
