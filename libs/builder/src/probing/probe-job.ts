// The PROBE_CONCEPTS job: linear probes of every hook point of a model (and its SAE dictionaries) for the concept
// families of a dataset's tags (probe-model.ts). Parameters are checked when the job is created (model and dataset
// exist, the dataset has examples the model can run and concept tags); the results replace the (model, dataset)'s
// earlier ProbeResult rows in one transaction, and only while the job is still RUNNING, so a failed or cancelled
// job leaves the stored results as they were.
import type { Job, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { resolveDatasetId, resolveModelId } from "@mmatlas/catalog";
import { openModelRunner } from "../run/atlas-build";
import { readExamples, type ExampleRow } from "../pass/examples";
import type { TowerName } from "../plan/build-plan";
import { probeModelOnExamples, ProbeCancelled, type ProbeModelProgress, type ProbeModelResult } from "./probe-model";
import { queueJob } from "../jobs/queue-job";

export interface ProbeConceptsParams {
  modelId: string;
  datasetId: string;
  /** seed of the train/test split */
  seed: number;
  testFraction: number;
  /** examples per tower (the first ones of the dataset) */
  maxExamples: number;
  /** also probe the model's SAE dictionaries (those with at most MAX_PROBED_SAE_WIDTH features) */
  includeSaes: boolean;
}

export const DEFAULT_PROBE_MAX_EXAMPLES = 2048;
/** SAEs wider than this are not probed (the probe's cost grows with width × classes) */
export const MAX_PROBED_SAE_WIDTH = 4096;

export function parseProbeParams(raw: unknown): ProbeConceptsParams {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw AppError.badInput("probing parameters must be an object", "params");
  const p = raw as Record<string, unknown>;
  for (const f of ["modelId", "datasetId"] as const)
    if (typeof p[f] !== "string" || (p[f] as string).length === 0) throw AppError.badInput(`${f} is required`, f);
  const int = (v: unknown, f: string, d: number, min: number, max: number) => {
    if (v === undefined || v === null) return d;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw AppError.badInput(`${f} must be an integer in [${min}, ${max}]`, f);
    return v as number;
  };
  let testFraction = 0.25;
  if (p.testFraction !== undefined && p.testFraction !== null) {
    if (typeof p.testFraction !== "number" || !(p.testFraction >= 0.05 && p.testFraction <= 0.5))
      throw AppError.badInput("testFraction must be a number in [0.05, 0.5]", "testFraction");
    testFraction = p.testFraction;
  }
  if (p.includeSaes !== undefined && p.includeSaes !== null && typeof p.includeSaes !== "boolean")
    throw AppError.badInput("includeSaes must be a boolean", "includeSaes");
  return {
    modelId: p.modelId as string,
    datasetId: p.datasetId as string,
    seed: int(p.seed, "seed", 0, 0, 2 ** 31 - 1),
    testFraction,
    maxExamples: int(p.maxExamples, "maxExamples", DEFAULT_PROBE_MAX_EXAMPLES, 20, 100_000),
    includeSaes: (p.includeSaes as boolean | undefined) ?? true,
  };
}

/** the towers a model has (from its registered hook points) */
async function towersOfModel(prisma: PrismaClient, modelId: string): Promise<Set<TowerName>> {
  const rows = await prisma.hookPoint.findMany({ where: { modelId }, select: { tower: true }, distinct: ["tower"] });
  return new Set(rows.map((r) => r.tower));
}

/**
 * Checks a probing request: the model and dataset exist, the dataset has examples for a tower of the model
 * (images for a vision tower, texts for a text tower), and some of those carry `family:value` concept tags.
 */
export async function validateProbeRequest(
  prisma: PrismaClient,
  input: { modelId: string; datasetId: string },
): Promise<{ modelId: string; datasetId: string }> {
  const modelId = await resolveModelId(prisma, input.modelId);
  const datasetId = await resolveDatasetId(prisma, input.datasetId);
  const [model, dataset] = await Promise.all([
    prisma.model.findUnique({ where: { id: modelId }, select: { name: true } }),
    prisma.dataset.findUnique({ where: { id: datasetId }, select: { name: true, modality: true } }),
  ]);
  if (!model) throw AppError.notFound("model", input.modelId);
  if (!dataset) throw AppError.notFound("dataset", input.datasetId);
  const towers = await towersOfModel(prisma, modelId);
  const modalities: ("IMAGE" | "IMAGE_TEXT" | "TEXT")[] = [
    ...(towers.has("VISION") ? (["IMAGE", "IMAGE_TEXT"] as const) : []),
    ...(towers.has("TEXT") ? (["TEXT"] as const) : []),
  ];
  const usable = await prisma.example.count({ where: { datasetId, modality: { in: modalities } } });
  if (usable === 0)
    throw AppError.badInput(
      `dataset ${dataset.name} (${dataset.modality}) has no examples for the ${[...towers].join(" / ").toLowerCase() || "(none)"} tower(s) of model ${model.name}`,
      "datasetId",
    );
  const tagged = await prisma.example.count({
    where: { datasetId, modality: { in: modalities }, tags: { isEmpty: false } },
  });
  if (tagged === 0)
    throw AppError.badInput(
      `dataset ${dataset.name} has no concept tags (family:value, e.g. color:red or an ImageFolder class:<name>) to probe`,
      "datasetId",
    );
  return { modelId, datasetId };
}

/** Queues a PROBE_CONCEPTS job; an active job of the same model and dataset is returned instead of a second one. */
export async function createProbeConceptsJob(
  prisma: PrismaClient,
  input: Partial<ProbeConceptsParams> & { modelId: string; datasetId: string },
  userId?: string | null,
): Promise<Job> {
  const parsed = parseProbeParams(input);
  const params = { ...parsed, ...(await validateProbeRequest(prisma, parsed)) };
  const active = await activeProbeJob(prisma, params.modelId, params.datasetId);
  if (active) return active;
  return queueJob(prisma, "PROBE_CONCEPTS", params, userId);
}

/** A QUEUED / RUNNING probing job of the model (and dataset, when given), newest first. */
export async function activeProbeJob(prisma: PrismaClient, modelId: string, datasetId?: string): Promise<Job | null> {
  const jobs = await prisma.job.findMany({
    where: { kind: "PROBE_CONCEPTS", status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return (
    jobs.find((j) => {
      const p = j.params as { modelId?: string; datasetId?: string };
      return p.modelId === modelId && (!datasetId || p.datasetId === datasetId);
    }) ?? null
  );
}

/** The first `max` examples of each tower of a dataset (ascending index), as the builder reads them. */
export async function loadProbeExamples(
  prisma: PrismaClient,
  datasetId: string,
  maxPerTower: number,
  towers: readonly TowerName[] = ["VISION", "TEXT"],
): Promise<ExampleRow[]> {
  const out: ExampleRow[] = [];
  for (const tower of towers) out.push(...(await readExamples(prisma, datasetId, tower, -1, maxPerTower)));
  return out;
}

export interface RunProbeOptions {
  jobId: string;
  signal?: AbortSignal;
  onProgress?: (p: ProbeModelProgress) => void;
}

/** Runs the probes of a job's params and stores them (replacing the (model, dataset)'s earlier rows). */
export async function runProbeConcepts(
  prisma: PrismaClient,
  params: ProbeConceptsParams,
  opts: RunProbeOptions,
): Promise<ProbeModelResult & { stored: number; saesNotProbed: string[] }> {
  const model = await prisma.model.findUnique({ where: { id: params.modelId } });
  if (!model) throw AppError.notFound("model", params.modelId);
  const towers = await towersOfModel(prisma, model.id);
  const rows = await loadProbeExamples(prisma, params.datasetId, params.maxExamples, [...towers]);
  const runner = await openModelRunner(prisma, model);
  let result: ProbeModelResult;
  const saesNotProbed: string[] = [];
  try {
    const saes: string[] = [];
    for (const { name } of params.includeSaes ? runner.manifest.saes : [])
      (runner.sae(name).cfg.dSae <= MAX_PROBED_SAE_WIDTH ? saes : saesNotProbed).push(name);
    result = await probeModelOnExamples(runner, rows, {
      seed: params.seed,
      testFraction: params.testFraction,
      maxExamples: params.maxExamples,
      saes,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
  } finally {
    await runner.close();
  }
  if (result.cells.length === 0)
    throw AppError.badInput(
      `nothing to probe: ${result.skipped.map((s) => s.message).join("; ") || "no examples the model can run"}`,
      "datasetId",
    );
  const stored = await storeProbeResults(prisma, opts.jobId, params, result);
  return { ...result, stored, saesNotProbed };
}

/** Replaces the (model, dataset)'s ProbeResult rows with the job's cells, only while the job is RUNNING. */
export async function storeProbeResults(
  prisma: PrismaClient,
  jobId: string,
  params: Pick<ProbeConceptsParams, "modelId" | "datasetId">,
  result: ProbeModelResult,
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    // locks the job row: a cancel that commits first wins, one that comes later waits for this transaction
    const { count: running } = await tx.job.updateMany({
      where: { id: jobId, status: "RUNNING" },
      data: { progress: 0.99 },
    });
    if (running === 0) throw new ProbeCancelled();
    await tx.probeResult.deleteMany({ where: { modelId: params.modelId, datasetId: params.datasetId } });
    const { count } = await tx.probeResult.createMany({
      data: result.cells.map((c) => ({
        modelId: params.modelId,
        datasetId: params.datasetId,
        jobId,
        tower: c.tower,
        hookName: c.hookName,
        hookKind: c.hookKind,
        layer: c.layer,
        dictionary: c.dictionary,
        pooling: c.pooling,
        family: c.family,
        accuracy: c.accuracy,
        chance: c.chance,
        trainAccuracy: c.trainAccuracy,
        trainCount: c.trainCount,
        testCount: c.testCount,
        classes: c.classes,
      })),
    });
    return count;
  });
}

/** examples per tower of the default atlas's probing job (measured in docs/architecture.md: a few seconds) */
export const DEFAULT_ATLAS_PROBE_EXAMPLES = 1024;

/**
 * Queues one PROBE_CONCEPTS job for the default atlas when its (model, dataset) has no probe results and no
 * probing job is queued or running; the job runner of the API picks it up, so nothing waits for it. Never throws.
 */
export async function queueDefaultProbing(
  prisma: PrismaClient,
  modelId: string,
  datasetId: string,
  log: (msg: string) => void = () => undefined,
): Promise<Job | null> {
  try {
    if ((await prisma.probeResult.count({ where: { modelId, datasetId } })) > 0) return null;
    if (await activeProbeJob(prisma, modelId, datasetId)) return null;
    const job = await createProbeConceptsJob(prisma, {
      modelId,
      datasetId,
      maxExamples: DEFAULT_ATLAS_PROBE_EXAMPLES,
    });
    log(`queued the linear probes of the default atlas (job ${job.id})`);
    return job;
  } catch (e) {
    log(`could not queue the linear probes of the default atlas: ${(e as Error).message}`);
    return null;
  }
}
