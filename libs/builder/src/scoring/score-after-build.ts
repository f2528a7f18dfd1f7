// Label scoring after an atlas build: when an ATLAS_BUILD job succeeds, executeJob queues one SCORE_LABELS job for
// the neurons / SAE features that build wrote (Unit.stats.jobId), so a user's own atlas gets its label scores
// without anyone asking. Skipped when the build's params say `scoreLabels: false` (the default atlas, which scores
// itself on its own held-out set; benchmarks). A SCORE_LABELS job of the model that is still QUEUED absorbs the
// new units rather than a second one being queued. The held-out examples follow the job's own rule (heldOutSource:
// `<dataset>-scoring` when it exists, else the build dataset's examples after the build's probe set).
// Never fails the build: a failure to queue is stored on it as metrics.labelScoringError, the build stays SUCCEEDED.
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import { parseBuildParams } from "../params";
import { createScoreLabelsJob, MAX_UNIT_IDS } from "./score-job";

const SCORED_KINDS = ["NEURON", "SAE_FEATURE"] as const;

/**
 * The unit ids a SCORE_LABELS job after build `jobId` should score: null = every scored unit of the model (the
 * build wrote all of them, or more than one job may name), [] = none (a build of attention heads only).
 */
export async function unitIdsToScoreAfterBuild(
  prisma: PrismaClient,
  modelId: string,
  jobId: string,
): Promise<string[] | null> {
  const scored = { modelId, kind: { in: [...SCORED_KINDS] }, topActivations: { some: {} } };
  const written = await prisma.unit.findMany({
    where: { ...scored, stats: { path: ["jobId"], equals: jobId } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (written.length === 0) return [];
  if (written.length > MAX_UNIT_IDS) return null;
  const all = await prisma.unit.count({ where: scored });
  return all === written.length ? null : written.map((u) => u.id);
}

/** unit ids of both jobs (null = the whole model), null when the union is longer than a job may name */
export function mergeUnitIds(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || b === null) return null;
  const union = [...new Set([...a, ...b])];
  return union.length > MAX_UNIT_IDS ? null : union;
}

/** whether a queued job's units already cover the wanted ones */
export function coversUnitIds(queued: string[] | null, wanted: string[] | null): boolean {
  if (queued === null) return true;
  if (wanted === null) return false;
  const have = new Set(queued);
  return wanted.every((u) => have.has(u));
}

interface QueuedScoreParams {
  modelId?: string;
  unitIds?: string[] | null;
  heldOutDatasetId?: string | null;
}

/**
 * Queues (or extends a queued) SCORE_LABELS job for the units build `build` wrote; null when the build opted out,
 * wrote no scorable units, or is not an atlas build that wrote its units. Returns the QUEUED job to hand to a runner.
 */
export async function queueLabelScoringAfterBuild(prisma: PrismaClient, build: Job): Promise<Job | null> {
  if (build.kind !== "ATLAS_BUILD") return null; // called once the build wrote its units
  const params = parseBuildParams(build.params);
  if (!params.scoreLabels) return null;
  const wanted = await unitIdsToScoreAfterBuild(prisma, params.modelId, build.id);
  if (wanted !== null && wanted.length === 0) return null;
  const queued = await prisma.job.findMany({
    where: { kind: "SCORE_LABELS", status: "QUEUED", params: { path: ["modelId"], equals: params.modelId } },
    orderBy: { createdAt: "asc" },
  });
  for (const job of queued) {
    const p = job.params as QueuedScoreParams;
    if (p.heldOutDatasetId) continue; // scores on a chosen held-out set: not the build's rule
    const have = p.unitIds ?? null;
    if (coversUnitIds(have, wanted)) return job;
    const merged = mergeUnitIds(have, wanted);
    // only while it is still QUEUED: a worker that claimed it meanwhile reads its params after the claim
    const { count } = await prisma.job.updateMany({
      where: { id: job.id, status: "QUEUED" },
      data: { params: { ...(job.params as object), unitIds: merged } as Prisma.InputJsonValue },
    });
    if (count === 1) return prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  }
  return createScoreLabelsJob(prisma, { modelId: params.modelId, unitIds: wanted }, build.createdById);
}

/**
 * executeJob's step once a build's units are written, before the build is marked SUCCEEDED (so anyone told of
 * the success finds its scoring job): queues the label scoring and returns what to store on the build's metrics
 * (labelScoringJobId, or labelScoringError when queueing failed) and the job to hand to the runner. Never throws.
 */
export async function queueLabelScoringOfBuild(
  prisma: PrismaClient,
  build: Job,
): Promise<{ metrics: Record<string, string>; followUpJobId: string | null }> {
  try {
    const job = await queueLabelScoringAfterBuild(prisma, build);
    return job
      ? { metrics: { labelScoringJobId: job.id }, followUpJobId: job.id }
      : { metrics: {}, followUpJobId: null };
  } catch (e) {
    return { metrics: { labelScoringError: e instanceof Error ? e.message : String(e) }, followUpJobId: null };
  }
}

/** hands a queued follow-up job to the runner; a failing hand-off leaves it QUEUED for a runner's next start */
export async function handOffFollowUpJob(
  jobId: string | null,
  handOff: ((jobId: string) => Promise<void> | void) | undefined,
): Promise<void> {
  if (!jobId || !handOff) return;
  try {
    await handOff(jobId);
  } catch {
    // the job stays QUEUED: a runner takes it at its next start (or poll)
  }
}

/** the model's QUEUED or RUNNING SCORE_LABELS job (the oldest), else its latest one; null when it never had one */
export async function latestLabelScoringJob(prisma: PrismaClient, modelId: string): Promise<Job | null> {
  const ofModel = { kind: "SCORE_LABELS" as const, params: { path: ["modelId"], equals: modelId } };
  return (
    (await prisma.job.findFirst({
      where: { ...ofModel, status: { in: ["QUEUED", "RUNNING"] } },
      orderBy: [{ status: "desc" }, { createdAt: "asc" }],
    })) ?? (await prisma.job.findFirst({ where: ofModel, orderBy: { createdAt: "desc" } }))
  );
}
