// Reads of stored probing results for the API (Model.probing): a model's ProbeResult rows for one dataset (by
// default the one probed most recently), ordered tower → layer → hook → dictionary → family, the families the
// producing job skipped (from its metrics), the datasets the model has results for, and the probing job to follow
// (queued / running first, else the latest of that dataset).
import type { Job, PrismaClient, ProbeResult } from "@mmatlas/db";
import { FAMILY_ORDER, type ProbeSkip } from "./family-labels";

export interface ModelProbing {
  /** null when the model was never probed and no dataset was asked for */
  datasetId: string | null;
  cells: ProbeResult[];
  skipped: ProbeSkip[];
  /** datasets with stored results for the model, most recent first */
  datasetIds: string[];
  job: Job | null;
}

const towerRank = (t: string) => (t === "VISION" ? 0 : 1);
const familyRank = (f: string) => {
  const i = FAMILY_ORDER.indexOf(f);
  return i < 0 ? FAMILY_ORDER.length : i;
};

export function sortProbeCells<T extends Pick<ProbeResult, "tower" | "layer" | "hookName" | "dictionary" | "family">>(
  cells: T[],
): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...cells].sort(
    (a, b) =>
      towerRank(a.tower) - towerRank(b.tower) ||
      a.layer - b.layer ||
      cmp(a.hookName, b.hookName) ||
      cmp(a.dictionary ?? "", b.dictionary ?? "") ||
      familyRank(a.family) - familyRank(b.family) ||
      cmp(a.family, b.family),
  );
}

async function probingJobOf(prisma: PrismaClient, modelId: string, datasetId: string | null): Promise<Job | null> {
  const jobs = await prisma.job.findMany({
    where: { kind: "PROBE_CONCEPTS" },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const mine = jobs.filter((j) => {
    const p = j.params as { modelId?: string; datasetId?: string };
    return p.modelId === modelId && (!datasetId || p.datasetId === datasetId);
  });
  return mine.find((j) => j.status === "QUEUED" || j.status === "RUNNING") ?? mine[0] ?? null;
}

export async function readModelProbing(
  prisma: PrismaClient,
  modelId: string,
  datasetId?: string | null,
): Promise<ModelProbing> {
  const latest = await prisma.probeResult.groupBy({
    by: ["datasetId"],
    where: { modelId },
    _max: { createdAt: true },
  });
  const datasetIds = latest
    .sort((a, b) => (b._max.createdAt?.getTime() ?? 0) - (a._max.createdAt?.getTime() ?? 0))
    .map((r) => r.datasetId);
  let chosen: string | null = datasetId ?? datasetIds[0] ?? null;
  if (!chosen) {
    const job = await probingJobOf(prisma, modelId, null);
    chosen = (job?.params as { datasetId?: string } | undefined)?.datasetId ?? null;
  }
  if (!chosen) return { datasetId: null, cells: [], skipped: [], datasetIds, job: null };
  const [cells, job] = await Promise.all([
    prisma.probeResult.findMany({ where: { modelId, datasetId: chosen } }),
    probingJobOf(prisma, modelId, chosen),
  ]);
  const producer = cells.length
    ? await prisma.job.findUnique({ where: { id: cells[0].jobId }, select: { metrics: true } })
    : null;
  const skipped = ((producer?.metrics as { skipped?: ProbeSkip[] } | null)?.skipped ?? []).filter(
    (s) => typeof s?.family === "string",
  );
  return { datasetId: chosen, cells: sortProbeCells(cells), skipped, datasetIds, job };
}
