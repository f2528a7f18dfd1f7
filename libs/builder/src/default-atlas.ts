// The default atlas of the built-in model (run by `npm start` when the database has none): registers
// clip-shapes, ingests the default shapes dataset, builds every MLP and attention hook plus the TopK SAEs, and
// scores every label of the atlas (SCORE_LABELS); then queues the survey methods' jobs when their results are missing:
// head decomposition (HEAD_DECOMPOSITION), linear probes (PROBE_CONCEPTS), feature visualizations of its image units
// (FEATURE_VISUALIZATION, time-budgeted).
// Sized to finish in well under 3 minutes on 2 cores (see README for the measured time).
import type { Job, PrismaClient } from "@mmatlas/db";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { builtinModelDir } from "@mmatlas/model-zoo";
import type { JobProgress } from "./run/progress";
import { DEFAULT_SHAPES_DATASET, ingestShapesDataset, type ShapesDatasetOptions } from "./dataset/ingest-shapes";
import { createAtlasBuildJob } from "./jobs/create-job";
import { executeJob } from "./jobs/execute-job";
import { createScoreLabelsJob, scoringDatasetName } from "./scoring/score-job";
import { SCORE_VERSION } from "./scoring/label-text";
import { queueDefaultHeadDecomposition } from "./head-decomposition/queue-default";
import { queueDefaultProbing } from "./probing/probe-job";
import { queueDefaultFeatureVisualizations } from "./feature-vis/default-atlas-feature-vis";

export interface DefaultAtlasOptions {
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
  /** build even when units already exist */
  force?: boolean;
  dataset?: ShapesDatasetOptions;
  /** size of the held-out `-scoring` set the labels are scored on: 512 images + 512 captions unless given (tests) */
  scoringSet?: { images: number; texts: number };
  /** units studied per hook point / SAE: all unless given (tests keep the build small) */
  maxUnits?: number;
  log?: (msg: string) => void;
}

export interface DefaultAtlasResult {
  /** null when an atlas already existed and nothing was built */
  job: Job | null;
  modelId: string;
  datasetId: string;
  units: number;
}

export async function buildDefaultAtlas(
  prisma: PrismaClient,
  opts: DefaultAtlasOptions = {},
): Promise<DefaultAtlasResult> {
  const log = opts.log ?? (() => undefined);
  const { model } = await registerModelFromManifest(prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(prisma, opts.dataset ?? DEFAULT_SHAPES_DATASET);
  const existing = await prisma.unit.count({ where: { modelId: model.id, topActivations: { some: {} } } });
  if (existing > 0 && !opts.force) {
    log(`atlas of ${model.name} already present (${existing} units with examples); skipping the build`);
    // an atlas stored before label scores existed, or with scores of an older rule (SCORE_VERSION), is scored once
    const oldest = await prisma.labelScore.findFirst({
      where: { unit: { modelId: model.id } },
      orderBy: { version: "asc" },
      select: { version: true },
    });
    if (!oldest || oldest.version < SCORE_VERSION) await scoreDefaultAtlas(prisma, model.id, opts);
    await queueDefaultMethodJobs(prisma, model.id, dataset.id, log);
    return { job: null, modelId: model.id, datasetId: dataset.id, units: existing };
  }
  // an interrupted default build (e.g. Ctrl-C during npm start) is resumed rather than restarted
  const hookPoints = await prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const dictionaries = await prisma.dictionary.findMany({ where: { modelId: model.id } });
  const params = {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: hookPoints
      .filter((h) => h.kind === "MLP" || h.kind === "ATTN_PATTERN")
      .map((h) => h.name)
      .sort(),
    dictionaries: dictionaries
      .filter((d) => d.architecture === "TOPK")
      .map((d) => d.name)
      .sort(),
    batchSize: 512,
    // the probe is the whole dataset (2048 images, all captions): concept-share labels need a unit's top examples
    // among many (held-out top-label precision 71.5 % with a 512-example probe, 79.5 % with 2048: docs/benchmarks.md)
    probeSize: (opts.dataset ?? DEFAULT_SHAPES_DATASET).images,
    // scored below on its own held-out set (scoreDefaultAtlas), not by the follow-up job of a user's build
    scoreLabels: false,
    ...(opts.maxUnits === undefined ? {} : { maxUnits: opts.maxUnits }),
  };
  const pending = (
    await prisma.job.findMany({
      where: { kind: "ATLAS_BUILD", status: { in: ["QUEUED", "RUNNING", "FAILED", "CANCELLED"] } },
      orderBy: { createdAt: "desc" },
      take: 20,
    })
  ).find((j) => {
    const p = j.params as { modelId?: string; datasetId?: string };
    return p.modelId === model.id && p.datasetId === dataset.id && j.checkpoint !== null;
  });
  // a build stored before the scoreLabels param existed would queue a second scoring: opt it out too
  if (pending && (pending.params as { scoreLabels?: boolean }).scoreLabels !== false)
    await prisma.job.update({
      where: { id: pending.id },
      data: { params: { ...(pending.params as object), scoreLabels: false } },
    });
  const job = pending ?? (await createAtlasBuildJob(prisma, params));
  log(pending ? `resuming default atlas job ${job.id}` : `building the default atlas (job ${job.id})`);
  const done = await executeJob(prisma, job.id, { onProgress: opts.onProgress, signal: opts.signal });
  if (done.status === "SUCCEEDED") await scoreDefaultAtlas(prisma, model.id, opts);
  if (done.status === "SUCCEEDED") await queueDefaultMethodJobs(prisma, model.id, dataset.id, log);
  const units = await prisma.unit.count({ where: { modelId: model.id } });
  return { job: done, modelId: model.id, datasetId: dataset.id, units };
}

/** the held-out examples labels are scored on: the shapes world drawn with another seed (512 images + 512 captions) */
export const SCORING_SEED = 17;

/**
 * Scores every label of the model's atlas (a SCORE_LABELS job run in place) on `<dataset>-scoring`, a shapes
 * world drawn with another seed: the default build's probe set is its whole dataset, so no example of it is held out.
 */
async function scoreDefaultAtlas(prisma: PrismaClient, modelId: string, opts: DefaultAtlasOptions): Promise<Job> {
  const base = opts.dataset ?? DEFAULT_SHAPES_DATASET;
  const scoring = await ingestShapesDataset(prisma, {
    name: scoringDatasetName(base.name),
    seed: base.seed === SCORING_SEED ? SCORING_SEED + 1 : SCORING_SEED,
    images: opts.scoringSet?.images ?? 512,
    texts: opts.scoringSet?.texts ?? 512,
  });
  const job = await createScoreLabelsJob(prisma, { modelId, heldOutDatasetId: scoring.id });
  opts.log?.(`scoring the labels of the default atlas (job ${job.id})`);
  const done = await executeJob(prisma, job.id, { onProgress: opts.onProgress, signal: opts.signal });
  opts.log?.(`label scores: ${done.status}${done.error ? ` (${done.error})` : ""}`);
  return done;
}

/**
 * Queues the survey methods' jobs of the default atlas once each, when it has no results of them: TextSpan head
 * decomposition, linear probes, feature visualizations. The API's job runner picks them up, so start-up never waits;
 * a refusal is only logged and never fails the default atlas.
 */
async function queueDefaultMethodJobs(
  prisma: PrismaClient,
  modelId: string,
  datasetId: string,
  log: (m: string) => void,
): Promise<void> {
  const queues: [string, () => Promise<unknown>][] = [
    ["head decomposition", () => queueDefaultHeadDecomposition(prisma, modelId, datasetId, log)],
    ["linear probes", () => queueDefaultProbing(prisma, modelId, datasetId, log)],
    ["feature visualizations", () => queueDefaultFeatureVisualizations(prisma, modelId, log)],
  ];
  for (const [what, queue] of queues)
    await queue().catch((e: unknown) => log(`${what} not queued: ${(e as Error).message}`));
}
