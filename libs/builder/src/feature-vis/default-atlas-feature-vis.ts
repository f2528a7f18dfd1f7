// Feature visualizations of the default atlas: once its units exist, one FEATURE_VISUALIZATION job is queued (not
// run: the API's job runner or the worker picks it up, so startup never waits) for its image units that lack an
// image, with a time budget; units past the budget are visualized on demand (visualizeUnit).
import type { Job, PrismaClient } from "@mmatlas/db";
import { FEATURE_VIS_VERSION } from "@mmatlas/model-zoo";
import { createFeatureVisualizationJob } from "./feature-vis-job";
import { hasDifferentiableWeights } from "./feature-vis-support";

/**
 * Seconds of optimisation the default atlas's job may spend (it stops after the batch that reaches it): enough for
 * all 1024 image units on a quiet 2-core machine (≈ 9.6 units/s: ≈ 107 s) and at up to ~3× load; the job yields
 * after every step, so the API stays responsive. See docs/benchmarks.md (the survey's methods) for units/s.
 */
export const DEFAULT_ATLAS_FEATURE_VIS_BUDGET_SECONDS = 300;

/**
 * Queues the default atlas's FEATURE_VISUALIZATION job unless the model has no differentiable weights, no image
 * unit lacks an image, or a whole-model job was already queued, ran or runs. Never throws (returns null instead).
 */
export async function queueDefaultFeatureVisualizations(
  prisma: PrismaClient,
  modelId: string,
  log: (msg: string) => void = () => undefined,
): Promise<Job | null> {
  try {
    const model = await prisma.model.findUniqueOrThrow({ where: { id: modelId } });
    if (!hasDifferentiableWeights(model)) return null;
    const missing = await prisma.unit.count({
      where: {
        modelId,
        kind: { in: ["NEURON", "SAE_FEATURE"] },
        hookPoint: { tower: "VISION", kind: { in: ["MLP", "RESID"] } },
        OR: [{ featureVisualization: null }, { featureVisualization: { version: { lt: FEATURE_VIS_VERSION } } }],
      },
    });
    if (missing === 0) return null;
    const earlier = await prisma.job.findMany({
      where: { kind: "FEATURE_VISUALIZATION", status: { in: ["QUEUED", "RUNNING", "SUCCEEDED"] } },
      select: { params: true },
      orderBy: { createdAt: "desc" },
      take: 50,
    });
    if (
      earlier.some((j) => {
        const p = j.params as { modelId?: string; unitIds?: unknown; version?: number };
        return p.modelId === modelId && p.unitIds == null;
      })
    )
      return null;
    const job = await createFeatureVisualizationJob(prisma, {
      modelId,
      unitIds: null,
      budgetSeconds: DEFAULT_ATLAS_FEATURE_VIS_BUDGET_SECONDS,
    });
    log(
      `queued feature visualizations of ${missing} image units (job ${job.id}, ≤ ${DEFAULT_ATLAS_FEATURE_VIS_BUDGET_SECONDS} s; the rest on demand)`,
    );
    return job;
  } catch (e) {
    log(`feature visualizations not queued: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
