// Creating and cancelling atlas build jobs. createAtlasBuildJob checks everything it can without loading the
// model (model, dataset, hook and dictionary names) so callers get a typed error at once; the worker checks the
// rest (SAE weights, image bytes) and fails the job with a stored error. The model and the dataset may be given
// by name or id; the job's params store their ids.
import { resolveDatasetId, resolveModelId } from "@mmatlas/catalog";
import type { Job, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { closeNames } from "@mmatlas/inference";
import { parseBuildParams, type AtlasBuildParams } from "../params";
import { queueJob } from "./queue-job";

export type AtlasBuildInput = Partial<AtlasBuildParams> & Pick<AtlasBuildParams, "modelId" | "datasetId">;

export async function createAtlasBuildJob(
  prisma: PrismaClient,
  input: AtlasBuildInput,
  userId?: string | null,
): Promise<Job> {
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
  const hooks = model.hookPoints.map((h) => h.name);
  for (const h of params.hooks) {
    if (!hooks.includes(h)) {
      const close = closeNames(h, hooks);
      throw AppError.badInput(
        `unknown hook "${h}" for model ${model.name}${close.length ? ` (did you mean ${close.join(", ")}?)` : ""}`,
        "hooks",
      );
    }
  }
  const dicts = model.dictionaries.map((d) => d.name);
  for (const d of params.dictionaries) {
    if (!dicts.includes(d))
      throw AppError.badInput(
        `unknown dictionary "${d}" for model ${model.name}; dictionaries: ${dicts.join(", ") || "(none)"}`,
        "dictionaries",
      );
  }
  return queueJob(prisma, "ATLAS_BUILD", params, userId);
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
