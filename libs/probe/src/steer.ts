// probeSteer(): steer one unit on your own image and read out what changes. The unit's direction (an SAE
// feature's decoder row, or a neuron's basis vector) times `strength` is added to its hook point at every
// position (X → X + strength·d, real ONNX inference through a graph with an additive input at the hook, so
// strength 0 reproduces the plain run), and the image embedding is compared before vs after: zero-shot class
// probabilities over class prompts, the nearest captions of the atlas's datasets, and the unit's own activation.
import type { Dictionary, HookPoint, Model, PrismaClient, Unit } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { checkProbeText, decodeBase64Image, maxImageBytes, maxImagePixels } from "./decode-input";
import type { ProbeModelRunner, TowerActivations } from "./model-runner";
import { prepareProbeImage } from "./prepare-image";
import { findUnit } from "./probe";
import { probeRegistryFor, type ProbeRegistry } from "./registry";
import { captionBank, classEmbeddings, DEFAULT_STEER_CLASSES } from "./text-bank";
import { maxOf, unitColumn } from "./unit-values";
import {
  classShifts,
  cosines,
  nearestCaptions,
  normalizeRows,
  zeroShotProbabilities,
  type ClassShift,
} from "./zero-shot";

export const MAX_STEER_CLASSES = 64;
export const DEFAULT_TOP_CAPTIONS = 5;
export const MAX_TOP_CAPTIONS = 20;
/** Largest |strength| accepted (activation units; the built-in model's units peak at a few units). */
export const MAX_STEER_STRENGTH = 1000;

export interface SteerInput {
  /** model id or name */
  modelId: string;
  /** base64 PNG/JPEG (a data: URL is accepted) */
  image: string;
  /** unit id or slug: a neuron or SAE feature of the image tower */
  unitId: string;
  /** added multiple of the unit's direction (activation units; 0 = no change) */
  strength: number;
  /** zero-shot class prompts (default DEFAULT_STEER_CLASSES) */
  classes?: string[] | null;
  /** nearest captions listed before and after (1..20, default 5) */
  topCaptions?: number | null;
}

export interface SteerCaption {
  text: string;
  /** cosine similarity to the image embedding before / after steering */
  before: number;
  after: number;
}

export interface SteerResult {
  model: Model;
  unit: Unit;
  hookPoint: HookPoint;
  dictionary: Dictionary | null;
  strength: number;
  /** "SAE_DECODER": the feature's decoder row at the SAE's hook; "NEURON_BASIS": +strength on the neuron itself */
  direction: "SAE_DECODER" | "NEURON_BASIS";
  /** L2 norm of the direction (the edit's size is |strength| × this) */
  directionNorm: number;
  /** the unit's own activation (max over positions) without and with the edit, read through the hook */
  unitBefore: number;
  unitAfter: number;
  /** per class prompt, in the given order */
  classes: ClassShift[];
  /** nearest captions of the plain image / of the steered image, best first */
  captionsBefore: SteerCaption[];
  captionsAfter: SteerCaption[];
  /** captions searched (distinct TEXT examples) */
  captionCount: number;
  /** cosine between the image embedding before and after */
  embeddingCosine: number;
  latencyMs: number;
}

export interface SteerOptions {
  registry?: ProbeRegistry;
  maxImageBytes?: number;
  maxImagePixels?: number;
}

function checkStrength(strength: number): number {
  if (typeof strength !== "number" || !Number.isFinite(strength) || Math.abs(strength) > MAX_STEER_STRENGTH)
    throw AppError.badInput(`strength must be a number in −${MAX_STEER_STRENGTH}..${MAX_STEER_STRENGTH}`, "strength");
  return strength;
}

function checkClasses(classes: string[] | null | undefined): readonly string[] {
  if (classes == null) return DEFAULT_STEER_CLASSES;
  if (!Array.isArray(classes) || classes.length < 2 || classes.length > MAX_STEER_CLASSES)
    throw AppError.badInput(`give 2..${MAX_STEER_CLASSES} class prompts`, "classes");
  const out = classes.map((c) => {
    try {
      return checkProbeText(c).trim();
    } catch {
      throw AppError.badInput("every class prompt must be a non-empty text", "classes");
    }
  });
  if (new Set(out).size !== out.length) throw AppError.badInput("class prompts must differ", "classes");
  return out;
}

function checkTopCaptions(k: number | null | undefined): number {
  if (k == null) return DEFAULT_TOP_CAPTIONS;
  if (!Number.isInteger(k) || k < 1 || k > MAX_TOP_CAPTIONS)
    throw AppError.badInput(`topCaptions must be an integer in 1..${MAX_TOP_CAPTIONS}`, "topCaptions");
  return k;
}

/** The unit's activation (max over positions) in one run. */
function unitValue(act: TowerActivations, unit: Unit, hook: HookPoint, dictionary: Dictionary | null): number {
  if (dictionary) {
    const data = act.saes[dictionary.name];
    if (!data)
      throw AppError.badInput(`dictionary ${dictionary.name} cannot be run (not in the model folder)`, "unitId");
    return maxOf(unitColumn(data, act.positions, dictionary.dSae, unit.index));
  }
  const data = act.hooks[hook.name];
  if (!data) throw AppError.badInput(`hook point ${hook.name} is not in the model's ONNX graph`, "unitId");
  return maxOf(unitColumn(data.data, act.positions, hook.width, unit.index));
}

/** Runs one steering probe. Typed AppErrors: BAD_USER_INPUT (field named), NOT_FOUND, UNAVAILABLE. */
export async function probeSteer(
  prisma: PrismaClient,
  input: SteerInput,
  opts: SteerOptions = {},
): Promise<SteerResult> {
  const started = performance.now();
  if (input.image == null) throw AppError.badInput("give an image to steer on", "image");
  if (!input.unitId) throw AppError.badInput("give the unitId to steer", "unitId");
  const strength = checkStrength(input.strength);
  const classLabels = checkClasses(input.classes);
  const k = checkTopCaptions(input.topCaptions);
  const pixelLimit = opts.maxImagePixels ?? maxImagePixels();
  const bytes = decodeBase64Image(input.image, opts.maxImageBytes ?? maxImageBytes(), pixelLimit);

  const registry = opts.registry ?? probeRegistryFor(prisma);
  const rows = await registry.rows(input.modelId);
  const unit = await findUnit(prisma, rows, input.unitId);
  const hook = rows.hookPoints.find((h) => h.id === unit.hookPointId)!;
  if (hook.tower !== "VISION")
    throw AppError.badInput(`${hook.name} is on the ${hook.tower} tower: steering acts on the image tower`, "unitId");
  const dictionary = unit.dictionaryId ? (rows.dictionaries.find((d) => d.id === unit.dictionaryId) ?? null) : null;

  const runner: ProbeModelRunner = await registry.runner(rows);
  const direction = runner.steeringDirection(unit.kind, hook, dictionary, unit.index);
  const textsReady = Promise.all([classEmbeddings(runner, classLabels), captionBank(prisma, runner)]);
  textsReady.catch(() => undefined); // awaited below; a failure there is reported once
  const image = await prepareProbeImage(bytes, {
    inputSize: runner.manifest.image!.preprocess.shortestEdge ?? runner.manifest.image!.preprocess.size,
    maxPixels: pixelLimit,
    keepAspect: runner.manifest.image!.preprocess.resize === "clip",
  });
  const { before, after } = await runner.runImageSteered(image, { hook, dictionary, direction, strength });
  const [classEmbeds, captions] = await textsReady;

  const dim = runner.embedDim;
  const imgBefore = normalizeRows(before.embeds, dim),
    imgAfter = normalizeRows(after.embeds, dim);
  const probs = (img: Float32Array) => zeroShotProbabilities(img, classEmbeds, dim, runner.logitScale);
  const simBefore = cosines(imgBefore, captions.embeds, dim),
    simAfter = cosines(imgAfter, captions.embeds, dim);
  const listed = (sims: Float64Array): SteerCaption[] =>
    nearestCaptions(sims, k).map(({ index }) => ({
      text: captions.texts[index],
      before: simBefore[index],
      after: simAfter[index],
    }));
  return {
    model: rows.model,
    unit,
    hookPoint: hook,
    dictionary,
    strength,
    direction: unit.kind === "SAE_FEATURE" ? "SAE_DECODER" : "NEURON_BASIS",
    directionNorm: Math.hypot(...direction),
    unitBefore: unitValue(before, unit, hook, dictionary),
    unitAfter: unitValue(after, unit, hook, dictionary),
    classes: classShifts(classLabels, probs(imgBefore), probs(imgAfter)),
    captionsBefore: listed(simBefore),
    captionsAfter: listed(simAfter),
    captionCount: captions.texts.length,
    embeddingCosine: cosines(imgBefore, imgAfter, dim)[0],
    latencyMs: performance.now() - started,
  };
}
