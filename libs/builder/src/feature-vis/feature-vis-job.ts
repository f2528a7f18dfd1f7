// The FEATURE_VISUALIZATION job: optimises one input image per image-tower unit of the built-in model
// (@mmatlas/model-zoo FeatureVisualizer: tfjs, decorrelated DCT parameterisation, jitter, TV + L2, Adam, fixed
// seed) and stores it with the achieved activation next to the unit's dataset max (FeatureVisualization, one row
// per unit, upserted batch by batch). Units are taken shallow layers first; with `budgetSeconds`, the job stops
// after the batch that uses the budget up and the rest are left for on-demand requests (`deferred`).
import type { Prisma, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { dictionaryFolder, modelDirectory, resolveModelId } from "@mmatlas/catalog";
import {
  DEFAULT_FEATURE_VIS_OPTIONS,
  FEATURE_VIS_VERSION,
  FeatureVisualizer,
  IMAGE_SIZE,
  type VisTarget,
} from "@mmatlas/model-zoo";
import { featureVisSupport, hasDifferentiableWeights, type FeatureVisUnavailableCode } from "./feature-vis-support";
import { assertUnitsOfModel, queueJob } from "../jobs/queue-job";

export interface FeatureVisParams {
  modelId: string;
  /** null: every image unit of the model that can be visualized and has no image of this version yet */
  unitIds: string[] | null;
  /** stop after the batch that reaches this many seconds (the remaining units come on demand); null: no limit */
  budgetSeconds: number | null;
  steps: number;
  seed: number;
  /** images optimised together */
  batchSize: number;
}

export const MAX_FEATURE_VIS_UNIT_IDS = 10_000;

export function parseFeatureVisParams(raw: unknown): FeatureVisParams {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw AppError.badInput("feature visualization parameters must be an object", "params");
  const p = raw as Record<string, unknown>;
  if (typeof p.modelId !== "string" || !p.modelId) throw AppError.badInput("modelId is required", "modelId");
  let unitIds: string[] | null = null;
  if (p.unitIds !== undefined && p.unitIds !== null) {
    if (
      !Array.isArray(p.unitIds) ||
      p.unitIds.length === 0 ||
      p.unitIds.length > MAX_FEATURE_VIS_UNIT_IDS ||
      p.unitIds.some((x) => typeof x !== "string" || !x)
    )
      throw AppError.badInput(`unitIds must be 1..${MAX_FEATURE_VIS_UNIT_IDS} unit ids`, "unitIds");
    unitIds = [...new Set(p.unitIds as string[])];
  }
  const int = (v: unknown, f: string, d: number, min: number, max: number) => {
    if (v === undefined || v === null) return d;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw AppError.badInput(`${f} must be an integer in [${min}, ${max}]`, f);
    return v as number;
  };
  return {
    modelId: p.modelId,
    unitIds,
    budgetSeconds:
      p.budgetSeconds === undefined || p.budgetSeconds === null
        ? null
        : int(p.budgetSeconds, "budgetSeconds", 0, 1, 86_400),
    steps: int(p.steps, "steps", DEFAULT_FEATURE_VIS_OPTIONS.steps, 1, 2048),
    seed: int(p.seed, "seed", DEFAULT_FEATURE_VIS_OPTIONS.seed, 0, 2 ** 31 - 1),
    batchSize: int(p.batchSize, "batchSize", DEFAULT_FEATURE_VIS_OPTIONS.batchSize, 1, 1024),
  };
}

/** Queues a FEATURE_VISUALIZATION job (refused for models without differentiable weights). */
export async function createFeatureVisualizationJob(
  prisma: PrismaClient,
  input: Partial<FeatureVisParams> & { modelId: string },
  userId?: string | null,
) {
  const parsed = parseFeatureVisParams(input);
  const params = { ...parsed, modelId: await resolveModelId(prisma, parsed.modelId) };
  const model = await prisma.model.findUniqueOrThrow({ where: { id: params.modelId } });
  if (!hasDifferentiableWeights(model))
    throw AppError.unavailable(
      `feature visualization is unavailable for ${model.name}: imported ONNX models have no gradients in onnxruntime-node`,
      { code: "IMPORTED_MODEL" },
    );
  if (params.unitIds) await assertUnitsOfModel(prisma, params.unitIds, params.modelId);
  return queueJob(prisma, "FEATURE_VISUALIZATION", params, userId);
}

export class FeatureVisCancelled extends Error {
  constructor() {
    super("the feature visualization was cancelled");
    this.name = "FeatureVisCancelled";
  }
}

export interface FeatureVisRunResult {
  /** units that got an image */
  units: number;
  /** units left for on-demand requests (budget used up) */
  deferred: number;
  /** units that cannot be visualized, by reason code */
  unavailable: Partial<Record<FeatureVisUnavailableCode, number>>;
  seconds: number;
  /** images per second of optimisation (loading excluded) */
  unitsPerSecond: number | null;
}

export interface FeatureVisRunOptions {
  signal?: AbortSignal;
  /** units done / units to do, with a message */
  report?: (p: { done: number; total: number; message: string }) => void;
  /** called after each stored batch; false stops the job as cancelled */
  stillRunning?: () => Promise<boolean>;
}

const layerOf = (hook: string) => Number(/^vision\.blocks\.(\d+)\./.exec(hook)?.[1] ?? 0);

export async function runFeatureVisualization(
  prisma: PrismaClient,
  params: FeatureVisParams,
  opts: FeatureVisRunOptions = {},
): Promise<FeatureVisRunResult> {
  const started = Date.now();
  const model = await prisma.model.findUniqueOrThrow({ where: { id: params.modelId } });
  const units = await prisma.unit.findMany({
    where: params.unitIds
      ? { id: { in: params.unitIds }, modelId: model.id }
      : {
          modelId: model.id,
          kind: { in: ["NEURON", "SAE_FEATURE"] },
          hookPoint: { tower: "VISION" },
          OR: [{ featureVisualization: null }, { featureVisualization: { version: { lt: FEATURE_VIS_VERSION } } }],
        },
    include: { hookPoint: true, dictionary: { include: { hookPoint: true } } },
  });
  const unavailable: FeatureVisRunResult["unavailable"] = {};
  const todo: { unit: (typeof units)[number]; hook: string }[] = [];
  for (const u of units) {
    const support = featureVisSupport({ ...u, model });
    if (!support.available) unavailable[support.code] = (unavailable[support.code] ?? 0) + 1;
    else todo.push({ unit: u, hook: (u.dictionary?.hookPoint ?? u.hookPoint).name });
  }
  todo.sort(
    (a, b) =>
      layerOf(a.hook) - layerOf(b.hook) ||
      a.hook.localeCompare(b.hook) ||
      (a.unit.dictionary?.name ?? "").localeCompare(b.unit.dictionary?.name ?? "") ||
      a.unit.index - b.unit.index,
  );
  const result: FeatureVisRunResult = { units: 0, deferred: 0, unavailable, seconds: 0, unitsPerSecond: null };
  if (!todo.length) return { ...result, seconds: (Date.now() - started) / 1000 };
  const vis = await FeatureVisualizer.open(modelDirectory(model));
  const options = {
    ...DEFAULT_FEATURE_VIS_OPTIONS,
    steps: params.steps,
    seed: params.seed,
    batchSize: params.batchSize,
  };
  let optimiseMs = 0;
  try {
    const targets: VisTarget[] = todo.map(({ unit, hook }) =>
      unit.kind === "SAE_FEATURE" && unit.dictionary
        ? {
            kind: "sae",
            hook,
            index: unit.index,
            // the name, not the row id: the same seed gives the same image in every database
            saeKey: unit.dictionary.name,
            sae: vis.sae(dictionaryFolder(model, unit.dictionary)),
          }
        : { kind: "neuron", hook, index: unit.index },
    );
    const total = todo.length;
    for (let s = 0; s < total; s += params.batchSize) {
      if (opts.signal?.aborted) throw new FeatureVisCancelled();
      // the first batch always runs: a budget smaller than loading the weights still makes progress
      if (s > 0 && params.budgetSeconds !== null && (Date.now() - started) / 1000 >= params.budgetSeconds) {
        result.deferred = total - s;
        break;
      }
      const batch = todo.slice(s, s + params.batchSize);
      const t0 = Date.now();
      const images = await vis.visualize(targets.slice(s, s + batch.length), options, {
        signal: opts.signal,
        onProgress: (done, all) =>
          opts.report?.({
            done: s + Math.floor((done / all) * batch.length),
            total,
            message: `optimising ${batch[0].hook} (${s + 1}–${s + batch.length} of ${total})`,
          }),
      });
      optimiseMs += Date.now() - t0;
      await prisma.$transaction(
        images.map((img, i) => {
          const unit = batch[i].unit;
          const data = {
            image: new Uint8Array(img.png),
            width: IMAGE_SIZE,
            height: IMAGE_SIZE,
            activation: img.activation,
            startActivation: img.startActivation,
            datasetMax: unit.maxActivation,
            steps: options.steps,
            seed: options.seed,
            version: FEATURE_VIS_VERSION,
            options: { ...options } as unknown as Prisma.InputJsonValue,
            createdAt: new Date(),
          };
          return prisma.featureVisualization.upsert({
            where: { unitId: unit.id },
            create: { unitId: unit.id, ...data },
            update: data,
          });
        }),
      );
      result.units += batch.length;
      opts.report?.({ done: result.units, total, message: `${result.units} of ${total} units visualized` });
      if (opts.stillRunning && !(await opts.stillRunning())) throw new FeatureVisCancelled();
    }
  } catch (e) {
    if (opts.signal?.aborted) throw new FeatureVisCancelled();
    throw e;
  } finally {
    vis.dispose();
  }
  result.seconds = (Date.now() - started) / 1000;
  result.unitsPerSecond = optimiseMs > 0 ? Math.round((result.units / (optimiseMs / 1000)) * 100) / 100 : null;
  return result;
}
