// Reads and on-demand requests of feature visualizations: a unit's image with its status (AVAILABLE, NOT_COMPUTED
// with the job that will compute it, or UNAVAILABLE with the reason), and visualizeUnit's request rule (one
// pending job per unit; at most MAX_PENDING_PER_USER pending requests per user).
import type { Job, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { FEATURE_VIS_VERSION } from "@mmatlas/model-zoo";
import { createFeatureVisualizationJob } from "./feature-vis-job";
import { featureVisSupport, type FeatureVisUnavailableCode } from "./feature-vis-support";

export type FeatureVisStatus = "AVAILABLE" | "NOT_COMPUTED" | "UNAVAILABLE";

export interface UnitFeatureVisualization {
  unitId: string;
  status: FeatureVisStatus;
  /** why UNAVAILABLE (null otherwise) */
  reason: string | null;
  reasonCode: FeatureVisUnavailableCode | null;
  /** PNG bytes (AVAILABLE only) */
  png: Uint8Array | null;
  width: number | null;
  height: number | null;
  activation: number | null;
  startActivation: number | null;
  datasetMax: number | null;
  steps: number | null;
  seed: number | null;
  version: number | null;
  createdAt: Date | null;
  /** the queued/running job that will (re)compute it, if any */
  pendingJobId: string | null;
}

/** queued + running on-demand requests one user may have */
export const MAX_PENDING_PER_USER = 2;

/**
 * Queued/running FEATURE_VISUALIZATION jobs whose units include `unit`: explicit ids, or (`wholeModel`) a job of the
 * whole model, which covers the units without an image of the current version.
 */
async function pendingJobsFor(
  prisma: PrismaClient,
  unit: { id: string; modelId: string },
  wholeModel = true,
): Promise<Job[]> {
  const active = await prisma.job.findMany({
    where: { kind: "FEATURE_VISUALIZATION", status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "asc" },
    take: 200,
  });
  return active.filter((j) => {
    const p = j.params as { modelId?: string; unitIds?: string[] | null };
    return p.modelId === unit.modelId && (p.unitIds == null ? wholeModel : p.unitIds.includes(unit.id));
  });
}

export async function readUnitFeatureVisualization(
  prisma: PrismaClient,
  unitId: string,
): Promise<UnitFeatureVisualization> {
  const unit = await prisma.unit.findUnique({
    where: { id: unitId },
    include: {
      model: { select: { name: true, directory: true } },
      hookPoint: true,
      dictionary: { include: { hookPoint: true } },
      featureVisualization: true,
    },
  });
  if (!unit) throw AppError.notFound("unit", unitId);
  const empty = {
    unitId,
    reason: null,
    reasonCode: null,
    png: null,
    width: null,
    height: null,
    activation: null,
    startActivation: null,
    datasetMax: unit.maxActivation,
    steps: null,
    seed: null,
    version: null,
    createdAt: null,
    pendingJobId: null,
  };
  const support = featureVisSupport(unit);
  if (!support.available) return { ...empty, status: "UNAVAILABLE", reason: support.reason, reasonCode: support.code };
  const fv = unit.featureVisualization;
  const current = !!fv && fv.version >= FEATURE_VIS_VERSION;
  const pending = (await pendingJobsFor(prisma, unit, !current))[0]?.id ?? null;
  if (!fv) return { ...empty, status: "NOT_COMPUTED", pendingJobId: pending };
  return {
    ...empty,
    status: "AVAILABLE",
    png: fv.image,
    width: fv.width,
    height: fv.height,
    activation: fv.activation,
    startActivation: fv.startActivation,
    datasetMax: fv.datasetMax,
    steps: fv.steps,
    seed: fv.seed,
    version: fv.version,
    createdAt: fv.createdAt,
    pendingJobId: pending,
  };
}

/**
 * Queues the visualization of one unit for `userId`: the pending job that already covers the unit when there is
 * one; UNAVAILABLE (typed reason) for units that cannot be visualized; RATE_LIMITED when the user already has
 * MAX_PENDING_PER_USER pending requests.
 */
export async function requestUnitVisualization(
  prisma: PrismaClient,
  unitId: string,
  userId: string | null,
): Promise<{ job: Job; created: boolean }> {
  const unit = await prisma.unit.findUnique({
    where: { id: unitId },
    include: {
      model: { select: { name: true, directory: true } },
      hookPoint: true,
      dictionary: { include: { hookPoint: true } },
    },
  });
  if (!unit) throw AppError.notFound("unit", unitId);
  const support = featureVisSupport(unit);
  if (!support.available) throw AppError.unavailable(support.reason, { code: support.code, unitId });
  const explicit = (await pendingJobsFor(prisma, unit)).find(
    (j) => (j.params as { unitIds?: string[] | null }).unitIds != null,
  );
  if (explicit) return { job: explicit, created: false };
  if (userId) {
    const mine = await prisma.job.count({
      where: { kind: "FEATURE_VISUALIZATION", status: { in: ["QUEUED", "RUNNING"] }, createdById: userId },
    });
    if (mine >= MAX_PENDING_PER_USER)
      throw AppError.rateLimited(
        `you already have ${mine} feature visualizations queued or running; wait until one finishes`,
        30,
      );
  }
  const job = await createFeatureVisualizationJob(prisma, { modelId: unit.modelId, unitIds: [unit.id] }, userId);
  return { job, created: true };
}
