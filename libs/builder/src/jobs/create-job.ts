// Creating and cancelling atlas build jobs. createAtlasBuildJob checks everything it can without loading the
// model (model, dataset, hook and dictionary names, SAE widths, the pass's memory; an unchosen batch size is
// lowered until the pass fits) so callers get a typed error at once; the worker checks the rest (SAE weights,
// image bytes, the memory of its own machine) and fails the job with a stored error. The model and the dataset
// may be given by name or id; the job's params store their ids.
import { modelDirectory, resolveDatasetId, resolveModelId, runtimeManifest } from "@mmatlas/catalog";
import type { Job, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { parseBuildParams, type AtlasBuildParams } from "../params";
import { planUnitSets, type UnitSetPlan } from "../plan/build-plan";
import { buildMemoryBudget, fitBatchSize, modelMemoryBytes, passMemory, type PassMemory } from "../plan/memory-plan";
import { modelGraphBytes } from "../plan/model-graph-bytes";
import { queueJob } from "./queue-job";

export type AtlasBuildInput = Partial<AtlasBuildParams> & Pick<AtlasBuildParams, "modelId" | "datasetId">;

/** A build as it would be queued: its parameters (batch size fitted), unit sets and the pass's memory. */
export interface AtlasBuildPlanSummary {
  params: AtlasBuildParams;
  sets: UnitSetPlan[];
  memory: PassMemory;
  /** bytes the pass may use on this machine (buildMemoryBudget) */
  budget: number;
}

/** Every check of createAtlasBuildJob, without queueing anything (the CLI's --dry-run). */
export async function planAtlasBuild(prisma: PrismaClient, input: AtlasBuildInput): Promise<AtlasBuildPlanSummary> {
  const parsed = parseBuildParams(input);
  const params: AtlasBuildParams = {
    ...parsed,
    modelId: await resolveModelId(prisma, parsed.modelId),
    datasetId: await resolveDatasetId(prisma, parsed.datasetId),
  };
  const model = await prisma.model.findUnique({
    where: { id: params.modelId },
    include: { hookPoints: true, dictionaries: true },
  });
  if (!model) throw AppError.notFound("model", params.modelId);
  const dataset = await prisma.dataset.findUnique({ where: { id: params.datasetId } });
  if (!dataset) throw AppError.notFound("dataset", params.datasetId);
  // hook and dictionary names, SAE widths and the pass's memory, from the stored rows (no sessions opened)
  const manifest = runtimeManifest(model, model.hookPoints, model.dictionaries);
  const sets = planUnitSets(
    manifest,
    model,
    model.hookPoints,
    model.dictionaries,
    params.hooks,
    params.dictionaries,
    params.maxUnits,
  );
  const budget = buildMemoryBudget();
  const modelBytes = modelMemoryBytes(modelGraphBytes(modelDirectory(model), manifest));
  const batchSizeChosen = input.batchSize !== undefined && input.batchSize !== null;
  params.batchSize = fitBatchSize(sets, { ...params, batchSizeChosen }, budget, modelBytes);
  return { params, sets, memory: passMemory(sets, params.k, params.batchSize, modelBytes), budget };
}

/** Queues the build a plan describes (a caller that showed the plan first need not plan it again). */
export function queueAtlasBuild(
  prisma: PrismaClient,
  plan: AtlasBuildPlanSummary,
  userId?: string | null,
): Promise<Job> {
  return queueJob(prisma, "ATLAS_BUILD", plan.params, userId);
}

export async function createAtlasBuildJob(
  prisma: PrismaClient,
  input: AtlasBuildInput,
  userId?: string | null,
): Promise<Job> {
  return queueAtlasBuild(prisma, await planAtlasBuild(prisma, input), userId);
}

/**
 * Marks a job CANCELLED unless it already ended. A QUEUED job never starts; a RUNNING one stops at its next
 * checkpoint (its executor sees the status change). Returns the job row after the change.
 */
export async function cancelJob(prisma: PrismaClient, jobId: string): Promise<Job> {
  const job = await prisma.job.findUnique({ where: { id: jobId } });
  if (!job) throw AppError.notFound("job", jobId);
  if (job.status === "QUEUED" || job.status === "RUNNING") {
    await prisma.job.updateMany({
      where: { id: jobId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date(), error: "cancelled" },
    });
  }
  return (await prisma.job.findUnique({ where: { id: jobId } }))!;
}
