// Reads of stored head decompositions for the API (Unit.headDecomposition, Query.headDecompositions): one unit's
// row with its rank among the model's heads, or all of a model's rows ranked by share (largest first), each with
// the name of the dataset it was computed on. Malformed JSON columns read as empty lists.
import type { PrismaClient } from "@mmatlas/db";
import type { HeadRecord } from "./head-decomposition-job";

export interface StoredHeadDecomposition extends HeadRecord {
  unitId: string;
  modelId: string;
  sampleSize: number;
  datasetId: string;
  /** null when the dataset was deleted since */
  datasetName: string | null;
  jobId: string | null;
  version: number;
  computedAt: Date;
  /** 1 = largest share among the model's heads */
  rank: number;
  /** heads of the model with a stored result */
  heads: number;
}

type Row = Awaited<ReturnType<PrismaClient["headDecomposition"]["findMany"]>>[number];

async function withContext(
  prisma: PrismaClient,
  rows: Row[],
  rankOf: (row: Row, i: number) => number,
  heads: number,
): Promise<StoredHeadDecomposition[]> {
  const ids = [...new Set(rows.map((r) => r.datasetId))];
  const datasets = ids.length
    ? await prisma.dataset.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    : [];
  const names = new Map(datasets.map((d) => [d.id, d.name]));
  return rows.map((r, i) => ({
    unitId: r.unitId,
    modelId: r.modelId,
    layer: r.layer,
    head: r.head,
    share: r.share,
    meanNorm: r.meanNorm,
    texts: Array.isArray(r.texts) ? (r.texts as HeadRecord["texts"]) : [],
    ablation: Array.isArray(r.ablation) ? (r.ablation as HeadRecord["ablation"]) : [],
    sampleSize: r.sampleSize,
    datasetId: r.datasetId,
    datasetName: names.get(r.datasetId) ?? null,
    jobId: r.jobId,
    version: r.version,
    computedAt: r.computedAt,
    rank: rankOf(r, i),
    heads,
  }));
}

/** The unit's stored decomposition, ranked among its model's heads (ties share a rank); null before a run. */
export async function readUnitHeadDecomposition(
  prisma: PrismaClient,
  unitId: string,
): Promise<StoredHeadDecomposition | null> {
  const row = await prisma.headDecomposition.findUnique({ where: { unitId } });
  if (!row) return null;
  const [above, heads] = await Promise.all([
    prisma.headDecomposition.count({ where: { modelId: row.modelId, share: { gt: row.share } } }),
    prisma.headDecomposition.count({ where: { modelId: row.modelId } }),
  ]);
  const [read] = await withContext(prisma, [row], () => above + 1, heads);
  return read;
}

/** A model's stored decompositions, largest share first (then layer, head), ranked 1..n in that order. */
export async function readModelHeadDecompositions(
  prisma: PrismaClient,
  modelId: string,
): Promise<StoredHeadDecomposition[]> {
  const rows = await prisma.headDecomposition.findMany({
    where: { modelId },
    orderBy: [{ share: "desc" }, { layer: "asc" }, { head: "asc" }],
  });
  return withContext(prisma, rows, (_, i) => i + 1, rows.length);
}
