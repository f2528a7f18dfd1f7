// After the default atlas is ready: queues one HEAD_DECOMPOSITION job of the built-in model on the default dataset
// when the model has no decomposition rows and no such job is waiting or running (the API's job runner picks it
// up, so startup never waits for it; it takes a few seconds on the built-in model).
import type { Job, PrismaClient } from "@mmatlas/db";
import { createHeadDecompositionJob } from "./head-decomposition-job";

export async function queueDefaultHeadDecomposition(
  prisma: PrismaClient,
  modelId: string,
  datasetId: string,
  log?: (msg: string) => void,
): Promise<Job | null> {
  if ((await prisma.headDecomposition.count({ where: { modelId } })) > 0) return null;
  const pending = await prisma.job.findFirst({
    where: {
      kind: "HEAD_DECOMPOSITION",
      status: { in: ["QUEUED", "RUNNING"] },
      params: { path: ["modelId"], equals: modelId },
    },
  });
  if (pending) return null;
  const job = await createHeadDecompositionJob(prisma, { modelId, datasetId });
  log?.(`queued the head decomposition of the default atlas (job ${job.id})`);
  return job;
}
