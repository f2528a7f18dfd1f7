// probe(): one uploaded image or typed text through a model → the chosen unit's activation with its
// per-patch / per-token values (heatmap), and the top-N units of a chosen hook point or dictionary.
import type { Dictionary, HookPoint, Model, PrismaClient, Unit, UnitKind } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { checkProbeText, decodeBase64Image, maxImageBytes, maxImagePixels } from "./decode-input";
import type { ProbeModelRows, ProbeModelRunner, TowerActivations } from "./model-runner";
import { prepareProbeImage } from "./prepare-image";
import { checkLensTexts, logitLensFor, type ProbeLogitLens } from "./logit-lens";
import { probeRegistryFor, type ProbeRegistry } from "./registry";
import {
  headActivation,
  headMaxima,
  headRow,
  maxOf,
  maxOverPositions,
  topN as rankTop,
  unitColumn,
} from "./unit-values";

export const DEFAULT_TOP_N = 10;
export const MAX_TOP_N = 100;

export interface ProbeInput {
  /** model id or name */
  modelId: string;
  /** base64 PNG/JPEG (a data: URL is accepted); exactly one of image / text */
  image?: string | null;
  text?: string | null;
  /** unit id or slug whose activation (and heatmap) is returned */
  unitId?: string | null;
  /** hook point (id or name) whose top units are returned; defaults to the unit's */
  hookPointId?: string | null;
  /** dictionary (id or name) whose top SAE features are returned; defaults to the unit's */
  dictionaryId?: string | null;
  topN?: number | null;
  /** also read every layer and position out through ln_final + proj against concept texts (logit lens) */
  logitLens?: boolean | null;
  /** concept texts of the logit lens (2..256; default: the shapes world's concept words) */
  lensTexts?: string[] | null;
}

export interface ProbeUnitActivation {
  unit: Unit;
  /** the unit's activation on the input: max over positions (heads: max attention from the pooled token) */
  value: number;
  /** per patch (row-major gridSize × gridSize) for images, per token (up to <eos>) for texts */
  values: number[];
  /** value at the CLS position (images only) */
  clsValue: number | null;
}

export interface ProbeTopUnit {
  kind: UnitKind;
  index: number;
  value: number;
  /** the atlas row of this unit, when the atlas holds one */
  unit: Unit | null;
}

export interface ProbeResult {
  model: Model;
  modality: "IMAGE" | "TEXT";
  /** patches per side of the heatmap (images) */
  gridSize: number | null;
  /** tokens the text was split into, up to and including <eos> (texts) */
  tokens: string[] | null;
  unit: ProbeUnitActivation | null;
  hookPoint: HookPoint | null;
  dictionary: Dictionary | null;
  topUnits: ProbeTopUnit[];
  /** the logit-lens grid (null unless asked for) */
  logitLens: ProbeLogitLens | null;
  /** wall time inside probe(): lookups, decoding, inference, ranking (and the logit lens when asked for) */
  latencyMs: number;
}

export interface ProbeOptions {
  registry?: ProbeRegistry;
  /** decoded image byte limit (default PROBE_MAX_IMAGE_BYTES or 2 MiB) */
  maxImageBytes?: number;
  /** decoded image pixel limit, width × height (default PROBE_MAX_IMAGE_PIXELS or 4096²) */
  maxImagePixels?: number;
}

interface Selection {
  hook: HookPoint;
  dictionary: Dictionary | null;
}

const towerWord = (t: string) => (t === "VISION" ? "an image" : "a text");

function findHook(rows: ProbeModelRows, idOrName: string): HookPoint {
  const h = rows.hookPoints.find((x) => x.id === idOrName || x.name === idOrName);
  if (!h) throw AppError.notFound("HookPoint", idOrName);
  return h;
}

function findDictionary(rows: ProbeModelRows, idOrName: string): Dictionary {
  const d = rows.dictionaries.find((x) => x.id === idOrName || x.name === idOrName);
  if (!d) throw AppError.notFound("Dictionary", idOrName);
  return d;
}

export async function findUnit(prisma: PrismaClient, rows: ProbeModelRows, idOrSlug: string): Promise<Unit> {
  const unit = await prisma.unit.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] } });
  if (!unit) throw AppError.notFound("Unit", idOrSlug);
  if (unit.modelId !== rows.model.id) throw AppError.badInput(`unit ${idOrSlug} belongs to another model`, "unitId");
  return unit;
}

/** Where top units are ranked: the given dictionary / hook point, else the unit's own. */
function selection(rows: ProbeModelRows, input: ProbeInput, unit: Unit | null): Selection | null {
  if (input.dictionaryId) {
    const dictionary = findDictionary(rows, input.dictionaryId);
    const hook = rows.hookPoints.find((h) => h.id === dictionary.hookPointId)!;
    if (input.hookPointId && findHook(rows, input.hookPointId).id !== hook.id)
      throw AppError.badInput(
        `dictionary ${dictionary.name} reads ${hook.name}, not ${input.hookPointId}`,
        "dictionaryId",
      );
    return { hook, dictionary };
  }
  if (input.hookPointId) return { hook: findHook(rows, input.hookPointId), dictionary: null };
  if (unit) {
    const hook = rows.hookPoints.find((h) => h.id === unit.hookPointId)!;
    return {
      hook,
      dictionary: unit.dictionaryId ? (rows.dictionaries.find((d) => d.id === unit.dictionaryId) ?? null) : null,
    };
  }
  return null;
}

/** Per-position values and activation of one unit (the unit kind decides which tensor it reads). */
function unitActivation(
  act: TowerActivations,
  runner: ProbeModelRunner,
  sel: Selection,
  kind: UnitKind,
  index: number,
): { value: number; all: Float32Array } {
  if (kind === "SAE_FEATURE") {
    if (!sel.dictionary) throw AppError.badInput("an SAE feature needs a dictionary", "unitId");
    const data = act.saes[sel.dictionary.name];
    if (!data)
      throw AppError.badInput(
        `dictionary ${sel.dictionary.name} cannot be run (not in the model folder)`,
        "dictionaryId",
      );
    checkIndex(index, sel.dictionary.dSae, "SAE feature");
    const all = unitColumn(data, act.positions, sel.dictionary.dSae, index, act.valid);
    return { value: maxOf(all), all };
  }
  const data = hookData(act, sel.hook);
  if (kind === "ATTENTION_HEAD") {
    if (sel.hook.kind !== "ATTN_PATTERN")
      throw AppError.badInput(`hook point ${sel.hook.name} holds no attention heads`, "hookPointId");
    checkIndex(index, sel.hook.width, "head");
    const all = headRow(data, sel.hook.width, act.positions, index, act.query, act.valid);
    return { value: headActivation(all, act.query), all };
  }
  if (sel.hook.kind === "ATTN_PATTERN")
    throw AppError.badInput(`hook point ${sel.hook.name} holds attention heads, not neurons`, "hookPointId");
  checkIndex(index, sel.hook.width, "neuron");
  const all = unitColumn(data, act.positions, sel.hook.width, index, act.valid);
  return { value: maxOf(all), all };
}

function hookData(act: TowerActivations, hook: HookPoint): Float32Array {
  const t = act.hooks[hook.name];
  if (!t) throw AppError.badInput(`hook point ${hook.name} is not in the model's ONNX graph`, "hookPointId");
  return t.data;
}

function checkIndex(index: number, width: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= width)
    throw AppError.badInput(`${what} index ${index} is out of range 0..${width - 1}`, "unitId");
}

/** Activation of every unit of the selection, and their kind. */
function layerActivations(act: TowerActivations, sel: Selection): { kind: UnitKind; values: Float32Array } {
  if (sel.dictionary) {
    const data = act.saes[sel.dictionary.name];
    if (!data)
      throw AppError.badInput(
        `dictionary ${sel.dictionary.name} cannot be run (not in the model folder)`,
        "dictionaryId",
      );
    return { kind: "SAE_FEATURE", values: maxOverPositions(data, act.positions, sel.dictionary.dSae, act.valid) };
  }
  const data = hookData(act, sel.hook);
  if (sel.hook.kind === "ATTN_PATTERN")
    return { kind: "ATTENTION_HEAD", values: headMaxima(data, sel.hook.width, act.positions, act.query, act.valid) };
  return { kind: "NEURON", values: maxOverPositions(data, act.positions, sel.hook.width, act.valid) };
}

async function topUnits(
  prisma: PrismaClient,
  rows: ProbeModelRows,
  act: TowerActivations,
  sel: Selection,
  n: number,
): Promise<ProbeTopUnit[]> {
  const { kind, values } = layerActivations(act, sel);
  const ranked = rankTop(values, Math.min(n, values.length));
  const units = await prisma.unit.findMany({
    where: {
      modelId: rows.model.id,
      hookPointId: sel.hook.id,
      dictionaryId: sel.dictionary?.id ?? null,
      kind,
      index: { in: ranked.map((r) => r.index) },
    },
  });
  const byIndex = new Map(units.map((u) => [u.index, u]));
  return ranked.map((r) => ({ kind, index: r.index, value: r.value, unit: byIndex.get(r.index) ?? null }));
}

function checkTopN(topN: number | null | undefined): number {
  if (topN == null) return DEFAULT_TOP_N;
  if (!Number.isInteger(topN) || topN < 1 || topN > MAX_TOP_N)
    throw AppError.badInput(`topN must be an integer in 1..${MAX_TOP_N}`, "topN");
  return topN;
}

/** Runs one probe. Typed AppErrors for bad input (BAD_USER_INPUT) and unknown ids (NOT_FOUND). */
export async function probe(prisma: PrismaClient, input: ProbeInput, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const started = performance.now();
  const hasImage = input.image != null,
    hasText = input.text != null;
  if (hasImage === hasText) throw AppError.badInput("give exactly one of image or text", hasImage ? "text" : "image");
  const n = checkTopN(input.topN);
  // decode / check the upload before touching the database or the model
  const pixelLimit = opts.maxImagePixels ?? maxImagePixels();
  const bytes = hasImage ? decodeBase64Image(input.image!, opts.maxImageBytes ?? maxImageBytes(), pixelLimit) : null;
  const text = hasText ? checkProbeText(input.text!) : null;
  const lensConcepts = checkLensTexts(input.lensTexts);

  const registry = opts.registry ?? probeRegistryFor(prisma);
  const rows = await registry.rows(input.modelId);
  const unit = input.unitId ? await findUnit(prisma, rows, input.unitId) : null;
  const sel = selection(rows, input, unit);
  if (!unit && !sel && !input.logitLens)
    throw AppError.badInput("give a unitId, a hookPointId or a dictionaryId (or ask for the logit lens)", "unitId");
  const tower = bytes ? "VISION" : "TEXT";
  const unitHook = unit ? rows.hookPoints.find((h) => h.id === unit.hookPointId)! : null;
  for (const [h, field] of [
    [unitHook, "unitId"],
    [sel?.hook ?? null, sel?.dictionary ? "dictionaryId" : "hookPointId"],
  ] as const)
    if (h && h.tower !== tower)
      throw AppError.badInput(`${h.name} is on the ${h.tower} tower: probe it with ${towerWord(h.tower)}`, field);

  const runner = await registry.runner(rows);
  const unitDictionary = unit?.dictionaryId
    ? (rows.dictionaries.find((d) => d.id === unit.dictionaryId) ?? null)
    : null;
  for (const d of [unitDictionary, sel?.dictionary ?? null]) if (d) runner.assertAvailable(d); // a broken SAE fails only its own probes
  // images are decoded (and large ones shrunk) off the event loop before the model's preprocessing sees them
  const image =
    bytes && runner.hasImage
      ? await prepareProbeImage(bytes, {
          inputSize: runner.manifest.image!.preprocess.shortestEdge ?? runner.manifest.image!.preprocess.size,
          maxPixels: pixelLimit,
          keepAspect: runner.manifest.image!.preprocess.resize === "clip",
        })
      : bytes;
  const act = image ? await runner.runImage(image) : await runner.runText(text!);
  const prefix = act.tower === "VISION" ? act.positions - (runner.gridSize ?? 0) ** 2 : 0;

  let unitResult: ProbeUnitActivation | null = null;
  if (unit) {
    const unitSel: Selection = { hook: unitHook!, dictionary: unitDictionary };
    const { value, all } = unitActivation(act, runner, unitSel, unit.kind, unit.index);
    unitResult = { unit, value, values: Array.from(all.subarray(prefix)), clsValue: prefix > 0 ? all[0] : null };
  }
  const ranked = sel ? await topUnits(prisma, rows, act, sel, n) : [];
  const lens = input.logitLens ? await logitLensFor(runner, act, lensConcepts) : null;
  return {
    model: rows.model,
    modality: bytes ? "IMAGE" : "TEXT",
    gridSize: bytes ? runner.gridSize : null,
    tokens: act.tokens ?? null,
    unit: unitResult,
    hookPoint: sel?.hook ?? null,
    dictionary: sel?.dictionary ?? null,
    topUnits: ranked,
    logitLens: lens,
    latencyMs: performance.now() - started,
  };
}
