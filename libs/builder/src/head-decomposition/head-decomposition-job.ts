// The HEAD_DECOMPOSITION job: TextSpan-style decomposition of every vision attention head of a model (Gandelsman
// et al., ICLR 2024) over the first `sampleSize` images of a dataset. Per head: its share of the image embedding
// (heads/head-share: mean ‖e_{l,h}‖² / Σ over all direct terms), the k concept texts that greedily span its output
// (heads/textspan; vocabulary: the shapes world's concept prompts plus the dataset's `class:` names) and the
// zero-shot accuracy of each task with the head mean-ablated (shapes world: color and shape on single-object
// images; ImageFolder datasets: their classes). Rows of the model are replaced in one transaction.
import path from "node:path";
import { readFileSync } from "node:fs";
import { directShares, meanAblate, textSpan, zeroShotAccuracy } from "@mmatlas/atlas";
import { modelDirectory, resolveDatasetId, resolveModelId, runtimeManifest } from "@mmatlas/catalog";
import type { Model, Prisma, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { createRunner, decodeModel, type HookPointSpec, type Runner } from "@mmatlas/inference";
import { embedTexts, shapesConceptVocabulary, zeroShotTasks } from "../finalize/concepts";
import { examplePixels, readExamples, type ExampleRow } from "../pass/examples";
import { decomposeImages, headTermColumn, type DecompositionHooks, type ImageDecomposition } from "./decompose-images";
import { headDecompositionSupport, loadHeadWeights, unavailableError, type HeadWeights } from "./head-weights";
import { blockResidual } from "./layer-input";
import { queueJob } from "../jobs/queue-job";

/** bump when the method changes (stored rows carry it) */
export const HEAD_DECOMPOSITION_VERSION = 1;
export const DEFAULT_HEAD_SAMPLE_SIZE = 512;
export const DEFAULT_SPAN_TEXTS = 5;
/** name of the hook point added to the runner for layer 0's input */
export const LAYER_INPUT_HOOK = "vision.hook_resid_pre_0";
/** names of the hook points added for each block's resid_mid */
const residMidHook = (l: number) => `vision.blocks.${l}.decomposition.resid_mid`;

export interface HeadDecompositionParams {
  modelId: string;
  datasetId: string;
  sampleSize: number;
  spanTexts: number;
  batchSize: number;
}

export function parseHeadDecompositionParams(raw: unknown): HeadDecompositionParams {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw AppError.badInput("head decomposition parameters must be an object", "params");
  const p = raw as Record<string, unknown>;
  for (const f of ["modelId", "datasetId"] as const)
    if (typeof p[f] !== "string" || !(p[f] as string)) throw AppError.badInput(`${f} is required`, f);
  const int = (v: unknown, f: string, d: number, min: number, max: number) => {
    if (v === undefined || v === null) return d;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw AppError.badInput(`${f} must be an integer in [${min}, ${max}]`, f);
    return v as number;
  };
  return {
    modelId: p.modelId as string,
    datasetId: p.datasetId as string,
    sampleSize: int(p.sampleSize, "sampleSize", DEFAULT_HEAD_SAMPLE_SIZE, 8, 4096),
    spanTexts: int(p.spanTexts, "spanTexts", DEFAULT_SPAN_TEXTS, 1, 20),
    batchSize: int(p.batchSize, "batchSize", 64, 1, 1024),
  };
}

/** Queues a HEAD_DECOMPOSITION job (model and dataset by id or name; refused when the method is unavailable). */
export async function createHeadDecompositionJob(
  prisma: PrismaClient,
  input: Partial<HeadDecompositionParams> & { modelId: string; datasetId: string },
  userId?: string | null,
) {
  const parsed = parseHeadDecompositionParams(input);
  const params = {
    ...parsed,
    modelId: await resolveModelId(prisma, parsed.modelId),
    datasetId: await resolveDatasetId(prisma, parsed.datasetId),
  };
  const model = await prisma.model.findUniqueOrThrow({ where: { id: params.modelId } });
  const support = modelHeadDecompositionSupport(model);
  if (!support.available) throw unavailableError(support);
  const images = await prisma.example.count({
    where: { datasetId: params.datasetId, modality: { in: ["IMAGE", "IMAGE_TEXT"] } },
  });
  if (images === 0) throw AppError.badInput("the dataset has no images", "datasetId");
  return queueJob(prisma, "HEAD_DECOMPOSITION", params, userId);
}

/** Whether the decomposition can run on a model (optionally: on one of its units). Cheap: manifest and files only. */
export function modelHeadDecompositionSupport(
  model: Pick<Model, "name" | "config" | "directory">,
  unit?: { kind: string; tower: string },
) {
  let manifest;
  try {
    manifest = runtimeManifest(model, [], []);
  } catch (e) {
    return { available: false, code: "NO_MANIFEST" as const, reason: (e as Error).message };
  }
  return headDecompositionSupport(manifest, modelDirectory(model), unit);
}

export interface HeadProgress {
  done: number;
  total: number;
  phase: "pass" | "finalize";
  message: string;
}

export interface HeadDecompositionResult {
  heads: number;
  /** heads whose ATTENTION_HEAD unit exists (an atlas of the attention hooks creates them) and got a row */
  stored: number;
  images: number;
  seconds: number;
  /** max over images of 1 − cos(rebuilt embedding, the model's embedding) */
  embeddingMismatch: number;
  /** max |Σ_h c_{l,h} + b_O − (resid_mid − resid_pre)| at CLS / max |resid_mid − resid_pre| (null: no resid_mid) */
  attentionMismatch: number | null;
  /** Σ of all heads' shares */
  headShare: number;
  timings: Record<string, number>;
}

export class HeadDecompositionCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

/** The model's runner with a hook point on layer 0's input, and the hook names the decomposition reads. */
export async function openDecompositionRunner(
  prisma: PrismaClient,
  model: Model,
  extraTensors: { name: string; tensor: string }[] = [],
): Promise<{ runner: Runner; hooks: DecompositionHooks; layers: number }> {
  const hookPoints = await prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const manifest = runtimeManifest(model, hookPoints, []);
  const dir = modelDirectory(model);
  const vision = manifest.hookPoints.filter((h) => h.tower === "VISION");
  const layers = Math.max(-1, ...vision.map((h) => h.layer)) + 1;
  const find = (kind: string, l: number) => vision.find((h) => h.kind === kind && h.layer === l);
  const residPost: string[] = [],
    pattern: string[] = [];
  for (let l = 0; l < layers; l++) {
    const r = find("RESID", l),
      p = find("ATTN_PATTERN", l);
    if (!r || !p)
      throw unavailableError({
        available: false,
        code: "NO_LAYER_INPUT",
        reason: `vision layer ${l} has no ${r ? "attention pattern" : "residual"} hook point`,
      });
    residPost.push(r.name);
    pattern.push(p.name);
  }
  if (layers === 0)
    throw unavailableError({ available: false, code: "NO_LAYER_INPUT", reason: "no vision hook points" });
  const graph = decodeModel(readFileSync(path.join(dir, manifest.image!.onnx)), manifest.image!.onnx);
  const blocks = Array.from({ length: layers }, (_, l) =>
    blockResidual(graph, find("RESID", l)!.tensor, find("ATTN_PATTERN", l)!.tensor),
  );
  const input = blocks[0]?.input;
  if (!input)
    throw unavailableError({
      available: false,
      code: "NO_LAYER_INPUT",
      reason: "cannot find the residual stream entering vision block 0 in the image graph",
    });
  const template = find("RESID", 0)!;
  const extra: HookPointSpec[] = [
    { ...template, name: LAYER_INPUT_HOOK, tensor: input },
    // resid_mid of every block, when the graph has them all: checks the rebuilt attention outputs
    ...(blocks.every((b) => b) ? blocks.map((b, l) => ({ ...template, name: residMidHook(l), tensor: b!.mid })) : []),
    ...extraTensors.map((t) => ({ ...template, name: t.name, tensor: t.tensor })),
  ];
  const runner = await createRunner({ ...manifest, hookPoints: [...manifest.hookPoints, ...extra] }, { dir });
  const residMid = blocks.every((b) => b) ? blocks.map((_, l) => residMidHook(l)) : null;
  return { runner, hooks: { layerInput: LAYER_INPUT_HOOK, residPost, pattern, residMid, cls: 0 }, layers };
}

interface Task {
  name: string;
  labels: string[];
  prompts: string[];
  truth: number[];
}

/** Zero-shot tasks of the sample: shapes-world color/shape (single-object, non-typographic), else `class:` tags. */
function tasksOf(rows: ExampleRow[]): Task[] {
  const classes = [
    ...new Set(rows.flatMap((r) => r.tags.filter((t) => t.startsWith("class:")).map((t) => t.slice(6)))),
  ];
  const tasks: Task[] = [];
  if (classes.length >= 2)
    tasks.push({
      name: "class",
      labels: classes,
      prompts: classes.map((c) => `a photo of a ${c.split("/").pop()!.replace(/[_-]+/g, " ")}.`),
      truth: rows.map((r) => classes.findIndex((c) => r.tags.includes(`class:${c}`))),
    });
  for (const t of zeroShotTasks()) {
    const truth = rows.map((r) =>
      r.tags.includes("count:1") && !r.tags.includes("typographic")
        ? t.labels.findIndex((l) => r.tags.includes(`${t.family}:${l}`))
        : -1,
    );
    if (truth.some((x) => x >= 0)) tasks.push({ name: t.family, labels: t.labels, prompts: t.prompts, truth });
  }
  return tasks;
}

/** Concept vocabulary: the shapes world's concept prompts, plus the sample's class names. */
function vocabularyOf(tasks: Task[]): { labels: string[]; prompts: string[] } {
  const v = shapesConceptVocabulary();
  const cls = tasks.find((t) => t.name === "class");
  if (cls)
    cls.labels.forEach((l, i) => {
      if (!v.prompts.includes(cls.prompts[i])) {
        v.labels.push(l);
        v.prompts.push(cls.prompts[i]);
      }
    });
  return v;
}

export interface HeadRecord {
  layer: number;
  head: number;
  share: number;
  meanNorm: number;
  texts: { text: string; prompt: string; explainedVariance: number }[];
  ablation: { task: string; examples: number; before: number; after: number; delta: number }[];
}

/** Per-head figures from a decomposition (pure apart from the inputs). */
export function headRecords(
  dec: ImageDecomposition,
  vocab: { labels: string[]; prompts: string[] },
  textEmbeds: Float32Array,
  tasks: { name: string; classEmbeds: Float32Array; classes: number; truth: number[] }[],
  k: number,
): HeadRecord[] {
  const { n, embedDim: e, layers: L, heads: H } = dec;
  const shares = directShares(dec.norms2, n, dec.terms);
  const before = tasks.map((t) => zeroShotAccuracy(dec.z, n, t.classEmbeds, t.classes, e, t.truth));
  const out: HeadRecord[] = [];
  for (let l = 0; l < L; l++)
    for (let h = 0; h < H; h++) {
      const term = dec.headTerms[l * H + h];
      let norm = 0;
      for (let a = 0; a < n; a++) norm += Math.sqrt(dec.norms2[a * dec.terms + headTermColumn(l, h, H)]);
      const span = textSpan(term, n, textEmbeds, vocab.prompts.length, e, k);
      const ablated = meanAblate(dec.z, term, n, e);
      out.push({
        layer: l,
        head: h,
        share: shares[headTermColumn(l, h, H)],
        meanNorm: norm / n,
        texts: span.map((s) => ({
          text: vocab.labels[s.index],
          prompt: vocab.prompts[s.index],
          explainedVariance: round(s.explainedVariance),
        })),
        ablation: tasks.flatMap((t, i) => {
          const b = before[i];
          const a = zeroShotAccuracy(ablated, n, t.classEmbeds, t.classes, e, t.truth);
          return b && a
            ? [
                {
                  task: t.name,
                  examples: b.examples,
                  before: round(b.accuracy),
                  after: round(a.accuracy),
                  delta: round(a.accuracy - b.accuracy),
                },
              ]
            : [];
        }),
      });
    }
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function runHeadDecomposition(
  prisma: PrismaClient,
  params: HeadDecompositionParams,
  opts: { jobId?: string | null; signal?: AbortSignal; report?: (p: HeadProgress) => void; write?: boolean } = {},
): Promise<HeadDecompositionResult & { records: HeadRecord[] }> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const lap = (k: string, t: number) => (timings[k] = Math.round((Date.now() - t) / 10) / 100);
  const model = await prisma.model.findUnique({ where: { id: params.modelId } });
  if (!model) throw AppError.notFound("model", params.modelId);
  const dataset = await prisma.dataset.findUnique({ where: { id: params.datasetId } });
  if (!dataset) throw AppError.notFound("dataset", params.datasetId);
  const support = modelHeadDecompositionSupport(model);
  if (!support.available) throw unavailableError(support);
  let t = Date.now();
  const { runner, hooks, layers } = await openDecompositionRunner(prisma, model);
  const weights: HeadWeights = loadHeadWeights(runner.manifest, runner.dir, layers);
  const rows = await readExamples(prisma, params.datasetId, "VISION", -1, params.sampleSize);
  if (rows.length === 0) throw AppError.badInput("the dataset has no images", "datasetId");
  const pixels = examplePixels(runner, rows);
  lap("openSeconds", t);
  const report = (p: HeadProgress) => opts.report?.(p);
  report({ done: 0, total: rows.length, phase: "pass", message: `decomposing ${rows.length} images` });
  t = Date.now();
  const dec = await decomposeImages(runner, pixels, rows.length, weights, hooks, {
    batchSize: params.batchSize,
    signal: opts.signal,
    onBatch: (done) =>
      report({ done, total: rows.length, phase: "pass", message: `decomposing ${rows.length} images` }),
  }).catch((e: unknown) => {
    if (opts.signal?.aborted) throw new HeadDecompositionCancelled();
    throw e;
  });
  lap("decomposeSeconds", t);
  if (opts.signal?.aborted) throw new HeadDecompositionCancelled();
  report({ done: rows.length, total: rows.length, phase: "finalize", message: "TextSpan and mean-ablation" });
  t = Date.now();
  const tasks = tasksOf(rows);
  const vocab = vocabularyOf(tasks);
  const texts = await embedTexts(runner, vocab.prompts);
  if (texts.dim !== dec.embedDim)
    throw AppError.badInput(`text embeddings are ${texts.dim} wide, image embeddings ${dec.embedDim}`, "modelId");
  const taskEmbeds = [];
  for (const task of tasks) {
    const emb = await embedTexts(runner, task.prompts);
    taskEmbeds.push({ name: task.name, classEmbeds: emb.data, classes: task.labels.length, truth: task.truth });
  }
  lap("embedTextsSeconds", t);
  t = Date.now();
  const records = headRecords(dec, vocab, texts.data, taskEmbeds, params.spanTexts);
  lap("spanSeconds", t);
  const embeddingMismatch = mismatch(dec);
  let stored = 0;
  if (opts.write !== false) {
    t = Date.now();
    stored = await writeHeadDecompositions(prisma, model.id, params, records, opts.jobId ?? null, rows.length);
    lap("writeSeconds", t);
  }
  return {
    heads: records.length,
    stored,
    images: rows.length,
    seconds: (Date.now() - started) / 1000,
    embeddingMismatch,
    attentionMismatch: dec.attentionMismatch,
    headShare: records.reduce((s, r) => s + r.share, 0),
    timings,
    records,
  };
}

/** max over images of 1 − cos(z, model embedding): the linearised read-out reproduces the model's output. */
function mismatch(dec: ImageDecomposition): number {
  let worst = 0;
  const e = dec.embedDim;
  for (let a = 0; a < dec.n; a++) {
    let dot = 0,
      zz = 0,
      mm = 0;
    for (let i = 0; i < e; i++) {
      const z = dec.z[a * e + i],
        m = dec.modelEmbeds[a * e + i];
      dot += z * m;
      zz += z * z;
      mm += m * m;
    }
    worst = Math.max(worst, 1 - dot / (Math.sqrt(zz * mm) || 1));
  }
  return worst;
}

/** Replaces the model's rows in one transaction (nothing half-written when it fails). */
async function writeHeadDecompositions(
  prisma: PrismaClient,
  modelId: string,
  params: HeadDecompositionParams,
  records: HeadRecord[],
  jobId: string | null,
  images: number,
): Promise<number> {
  const units = await prisma.unit.findMany({
    where: { modelId, kind: "ATTENTION_HEAD", hookPoint: { tower: "VISION" } },
    select: { id: true, index: true, hookPoint: { select: { layer: true } } },
  });
  const unitOf = new Map(units.map((u) => [`${u.hookPoint.layer}:${u.index}`, u.id]));
  const data = records.flatMap((r) => {
    const unitId = unitOf.get(`${r.layer}:${r.head}`);
    return unitId
      ? [
          {
            unitId,
            modelId,
            layer: r.layer,
            head: r.head,
            share: r.share,
            meanNorm: r.meanNorm,
            texts: r.texts as unknown as Prisma.InputJsonValue,
            ablation: r.ablation as unknown as Prisma.InputJsonValue,
            sampleSize: images,
            datasetId: params.datasetId,
            jobId,
            version: HEAD_DECOMPOSITION_VERSION,
          },
        ]
      : [];
  });
  await prisma.$transaction([
    prisma.headDecomposition.deleteMany({ where: { modelId } }),
    prisma.headDecomposition.createMany({ data }),
  ]);
  return data.length;
}
