// The SCORE_LABELS job: scores every label of a set of units (all neurons / SAE features of a model, or the given
// unit ids) — their auto-labels and their annotations — on the held-out examples of the dataset their atlas was
// built from, and stores one LabelScore row per unit and label (replacing the units' earlier rows) plus each
// unit's best score (Unit.bestLabelScore / bestScoredLabel). Prompts are embedded in one text-tower call per
// job; each tower's held-out set is run once per job and each unit set once more for its activations.
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { Runner } from "@mmatlas/inference";
import { resolveDatasetId, resolveModelId } from "@mmatlas/catalog";
import { CONCEPTS } from "@mmatlas/model-zoo";
import { DEFAULT_BUILD_OPTIONS } from "../params";
import { openModelRunner } from "../run/atlas-build";
import { resolveBuildPlan } from "../plan/build-plan";
import { embedTexts, shapesConceptVocabulary } from "../finalize/concepts";
import { labelKey, labelPrompt } from "./label-text";
import { loadScoringSet, unitSetValues, type ScoringSet } from "./scoring-set";
import {
  ScoringCache,
  scoreUnitLabels,
  tagConceptsOf,
  type LabelScoreRecord,
  type LabelToScore,
  type PredictorKind,
  type TextPredictorKind,
} from "./unit-label-scores";
import { assertUnitsOfModel, queueJob } from "../jobs/queue-job";

export interface ScoreLabelsParams {
  modelId: string;
  /** null: every neuron / SAE feature of the model that has examples */
  unitIds: string[] | null;
  /** held-out examples per tower (after the build's probe set) */
  scoreSize: number;
  batchSize: number;
  /** detection predictor of images (ScoringCache.predictor) */
  predictor: PredictorKind;
  /** detection predictor of texts (text units fire on tokens: token-recall by default) */
  textPredictor: TextPredictorKind;
  /** where the held-out examples come from (null: heldOutSource's rule) */
  heldOutDatasetId: string | null;
}

/** name of the held-out dataset of a build dataset (e.g. shapes-world-probe-scoring), found by heldOutSource */
export const scoringDatasetName = (buildDatasetName: string) => `${buildDatasetName}-scoring`;

/**
 * The examples a unit set is scored on: the given held-out dataset; else the dataset named
 * `<build dataset>-scoring` when it exists (the default atlas ingests one: its build's probe set is the whole
 * dataset); else the build dataset's examples after the build's probe set.
 */
async function heldOutSource(
  prisma: PrismaClient,
  buildDatasetId: string,
  heldOutDatasetId: string | null,
  probeSize: number,
): Promise<{ datasetId: string; skip: number }> {
  if (heldOutDatasetId) return { datasetId: heldOutDatasetId, skip: 0 };
  const build = await prisma.dataset.findUnique({ where: { id: buildDatasetId }, select: { name: true } });
  const named = build
    ? await prisma.dataset.findUnique({ where: { name: scoringDatasetName(build.name) }, select: { id: true } })
    : null;
  return named ? { datasetId: named.id, skip: 0 } : { datasetId: buildDatasetId, skip: probeSize };
}

export const DEFAULT_SCORE_SIZE = 512;
export const DEFAULT_PREDICTOR: PredictorKind = "zero-shot";
export const MAX_UNIT_IDS = 10_000;
export const DEFAULT_TEXT_PREDICTOR: TextPredictorKind = "token-recall";
const PREDICTOR_KINDS: PredictorKind[] = ["cosine", "zero-shot", "family-zero-shot"];
const TEXT_PREDICTOR_KINDS: TextPredictorKind[] = [...PREDICTOR_KINDS, "token-recall"];

export function parseScoreParams(raw: unknown): ScoreLabelsParams {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw AppError.badInput("score parameters must be an object", "params");
  const p = raw as Record<string, unknown>;
  if (typeof p.modelId !== "string" || p.modelId.length === 0)
    throw AppError.badInput("modelId is required", "modelId");
  let unitIds: string[] | null = null;
  if (p.unitIds !== undefined && p.unitIds !== null) {
    if (
      !Array.isArray(p.unitIds) ||
      p.unitIds.length === 0 ||
      p.unitIds.length > MAX_UNIT_IDS ||
      p.unitIds.some((x) => typeof x !== "string" || x.length === 0)
    ) {
      throw AppError.badInput(`unitIds must be 1..${MAX_UNIT_IDS} unit ids`, "unitIds");
    }
    unitIds = [...new Set(p.unitIds as string[])];
  }
  const int = (v: unknown, f: string, d: number, min: number, max: number) => {
    if (v === undefined || v === null) return d;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw AppError.badInput(`${f} must be an integer in [${min}, ${max}]`, f);
    return v as number;
  };
  if (p.predictor !== undefined && p.predictor !== null && !PREDICTOR_KINDS.includes(p.predictor as PredictorKind))
    throw AppError.badInput(`predictor must be one of ${PREDICTOR_KINDS.join(", ")}`, "predictor");
  if (
    p.textPredictor !== undefined &&
    p.textPredictor !== null &&
    !TEXT_PREDICTOR_KINDS.includes(p.textPredictor as TextPredictorKind)
  )
    throw AppError.badInput(`textPredictor must be one of ${TEXT_PREDICTOR_KINDS.join(", ")}`, "textPredictor");
  if (
    p.heldOutDatasetId !== undefined &&
    p.heldOutDatasetId !== null &&
    (typeof p.heldOutDatasetId !== "string" || !p.heldOutDatasetId)
  )
    throw AppError.badInput("heldOutDatasetId must be a dataset id", "heldOutDatasetId");
  return {
    modelId: p.modelId,
    unitIds,
    heldOutDatasetId: (p.heldOutDatasetId as string | undefined) ?? null,
    predictor: (p.predictor as PredictorKind | undefined) ?? DEFAULT_PREDICTOR,
    textPredictor: (p.textPredictor as TextPredictorKind | undefined) ?? DEFAULT_TEXT_PREDICTOR,
    scoreSize: int(p.scoreSize, "scoreSize", DEFAULT_SCORE_SIZE, 10, 100_000),
    batchSize: int(p.batchSize, "batchSize", 512, 1, 4096),
  };
}

/**
 * Queues a SCORE_LABELS job, or returns the queued one that already covers the request: the same model and
 * settings, and the whole model or a superset of the units. A queued job reads the labels when it starts, so it
 * scores whatever changed before then; asking again while it waits (a repeated click, a script in a loop) adds
 * no second run of the model.
 */
export async function createScoreLabelsJob(
  prisma: PrismaClient,
  input: Partial<ScoreLabelsParams> & { modelId: string },
  userId?: string | null,
) {
  const parsed = parseScoreParams(input);
  const params = {
    ...parsed,
    modelId: await resolveModelId(prisma, parsed.modelId),
    heldOutDatasetId: parsed.heldOutDatasetId ? await resolveDatasetId(prisma, parsed.heldOutDatasetId) : null,
  };
  if (params.unitIds) await assertUnitsOfModel(prisma, params.unitIds, params.modelId);
  // one look-then-queue at a time across every API node (a transaction-scoped advisory lock), so requests that
  // arrive together cannot each miss the other's job and queue two
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SCORE_LABELS_QUEUE_LOCK}::bigint)`;
    const queued = await tx.job.findMany({
      where: { kind: "SCORE_LABELS", status: "QUEUED" },
      orderBy: { createdAt: "asc" },
    });
    const covering = queued.find((j) => coversRequest(j.params as Partial<ScoreLabelsParams>, params));
    return covering ?? queueJob(tx, "SCORE_LABELS", params, userId);
  });
}

/** advisory lock key of the look-then-queue of SCORE_LABELS jobs ("mmsl") */
const SCORE_LABELS_QUEUE_LOCK = 0x6d6d736c;

/** Whether a queued job with parameters `job` scores everything `wanted` asks for, the same way. */
export function coversRequest(job: Partial<ScoreLabelsParams>, wanted: ScoreLabelsParams): boolean {
  const settings = ["modelId", "heldOutDatasetId", "predictor", "textPredictor", "scoreSize", "batchSize"] as const;
  if (settings.some((k) => (job[k] ?? null) !== wanted[k])) return false;
  if (!Array.isArray(job.unitIds)) return job.unitIds === null; // a whole-model job covers any units of it
  if (wanted.unitIds === null) return false;
  const has = new Set(job.unitIds);
  return wanted.unitIds.every((u) => has.has(u));
}

interface UnitRow {
  id: string;
  kind: string;
  index: number;
  hookPointId: string;
  dictionaryId: string | null;
  autoLabels: unknown;
  stats: unknown;
  hookPoint: { name: string };
  dictionary: { name: string } | null;
  annotations: { id: string; label: string; status: string }[];
}

/** sources of each label of a unit, keyed by normalized label; `eligible` = may become the unit's best label */
export function labelsOfUnit(
  u: Pick<UnitRow, "autoLabels" | "annotations">,
): Map<string, { label: string; sources: string[]; eligible: boolean }> {
  const out = new Map<string, { label: string; sources: string[]; eligible: boolean }>();
  const add = (label: string, source: string, eligible: boolean) => {
    const key = labelKey(label);
    if (!key) return;
    const e = out.get(key) ?? { label: label.trim(), sources: [], eligible: false };
    if (!e.sources.includes(source)) e.sources.push(source);
    e.eligible ||= eligible;
    out.set(key, e);
  };
  for (const l of (Array.isArray(u.autoLabels) ? u.autoLabels : []) as { label?: unknown; method?: unknown }[]) {
    if (typeof l?.label === "string") add(l.label, `auto:${String(l.method ?? "unknown")}`, true);
  }
  // drafts are scored for their author; only proposed / accepted labels can become the unit's best label
  for (const a of u.annotations)
    if (a.status !== "REJECTED") add(a.label, `annotation:${a.id}`, a.status === "PROPOSED" || a.status === "ACCEPTED");
  return out;
}

export interface ScoreLabelsResult {
  units: number;
  labels: number;
  /** units without held-out examples (the build's probe set covers its dataset and no held-out dataset exists) */
  unscored: number;
  seconds: number;
  timings: Record<string, number>;
}
export interface ScoreProgress {
  done: number;
  total: number;
  message: string;
}

/** Runs the scoring of a job's params (the executor stores progress and the result). */
export interface RunScoreOptions {
  report?: (p: ScoreProgress) => void;
  signal?: AbortSignal;
  /** the labels to score per unit (default: its auto-labels and annotations, labelsOfUnit) */
  labelsOf?: (unit: {
    id: string;
    autoLabels: unknown;
    annotations: { id: string; label: string; status: string }[];
  }) => Map<string, { label: string; sources: string[]; eligible: boolean }>;
  /** false: compute only (evaluation), nothing is written */
  write?: boolean;
  onRecords?: (records: LabelScoreRecord[]) => void;
}

export async function runScoreLabels(
  prisma: PrismaClient,
  params: ScoreLabelsParams,
  opts: RunScoreOptions = {},
): Promise<ScoreLabelsResult> {
  const started = Date.now();
  const timings: Record<string, number> = {
    embedSeconds: 0,
    scoringSetSeconds: 0,
    unitSetSeconds: 0,
    scoreSeconds: 0,
    writeSeconds: 0,
  };
  const timed = async <T>(k: string, f: () => Promise<T> | T) => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings[k] += (Date.now() - t) / 1000;
    }
  };
  const model = await prisma.model.findUnique({ where: { id: params.modelId } });
  if (!model) throw AppError.notFound("model", params.modelId);
  const units: UnitRow[] = await prisma.unit.findMany({
    where: {
      modelId: model.id,
      kind: { in: ["NEURON", "SAE_FEATURE"] },
      ...(params.unitIds ? { id: { in: params.unitIds } } : { topActivations: { some: {} } }),
    },
    select: {
      id: true,
      kind: true,
      index: true,
      hookPointId: true,
      dictionaryId: true,
      autoLabels: true,
      stats: true,
      hookPoint: { select: { name: true } },
      dictionary: { select: { name: true } },
      annotations: { select: { id: true, label: true, status: true } },
    },
    orderBy: [{ hookPointId: "asc" }, { dictionaryId: "asc" }, { index: "asc" }],
  });
  const report = (done: number, message: string) => opts.report?.({ done, total: units.length, message });
  if (units.length === 0) return { units: 0, labels: 0, unscored: 0, seconds: 0, timings };
  const runner = await openModelRunner(prisma, model);
  try {
    // one plan over every unit set involved; units are grouped by dataset (their atlas build's)
    const hooks = [...new Set(units.filter((u) => u.kind === "NEURON").map((u) => u.hookPoint.name))];
    const dicts = [...new Set(units.filter((u) => u.dictionary).map((u) => u.dictionary!.name))];
    const plan = await resolveBuildPlan(prisma, runner, model, hooks, dicts);
    const setOf = (u: UnitRow) =>
      plan.sets.find((s) =>
        u.kind === "SAE_FEATURE"
          ? s.dictionary?.id === u.dictionaryId
          : s.kind === "NEURON" && s.hookPoint.id === u.hookPointId,
      );
    const vocabulary = shapesConceptVocabulary();
    const labels = new Map(units.map((u) => [u.id, (opts.labelsOf ?? labelsOfUnit)(u)]));
    const prompts = [
      ...new Set([
        ...vocabulary.prompts,
        ...[...labels.values()].flatMap((m) => [...m.values()].map((l) => labelPrompt(l.label, vocabulary))),
      ]),
    ];
    const embeds = await timed("embedSeconds", () => embedPrompts(runner, prompts, params.batchSize));
    const families = vocabularyFamilies(vocabulary.prompts);
    const references = {
      prompts: vocabulary.prompts,
      families,
      data: concatRows(vocabulary.prompts.map((p) => embeds.get(p)!.embedding)),
    };
    const logitScale = (runner.manifest as unknown as { logitScale?: number }).logitScale ?? 100;
    const probeSizes = await probeSizeOfBuilds(prisma, units);
    let done = 0,
      written = 0,
      unscored = 0;
    const groups = new Map<string, UnitRow[]>();
    for (const u of units) {
      const key = `${datasetOf(u)}\u0000${setOf(u)?.key ?? "-"}`;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    const scoringSets = new Map<string, ScoringSet | null>();
    const tagsOf = new Map<string, ReturnType<typeof tagConceptsOf>>();
    const caches = new Map<string, ScoringCache>();
    for (const [key, group] of groups) {
      if (opts.signal?.aborted) throw new ScoreCancelled();
      const [datasetId] = key.split("\u0000");
      const set = setOf(group[0]);
      if (!set || !datasetId) {
        done += group.length;
        continue;
      }
      const sk = `${datasetId}\u0000${set.tower}`;
      if (!scoringSets.has(sk)) {
        const source = await heldOutSource(
          prisma,
          datasetId,
          params.heldOutDatasetId,
          probeSizes.get(datasetId) ?? DEFAULT_BUILD_OPTIONS.probeSize,
        );
        const cacheKey = [
          model.id,
          model.createdAt.getTime(),
          model.directory,
          source.datasetId,
          set.tower,
          source.skip,
          params.scoreSize,
        ].join("\u0000");
        const cached = scoringSetCache.get(cacheKey);
        const loaded =
          cached !== undefined
            ? cached
            : await timed("scoringSetSeconds", () =>
                loadScoringSet(
                  prisma,
                  runner,
                  source.datasetId,
                  set.tower,
                  source.skip,
                  params.scoreSize,
                  params.batchSize,
                ),
              );
        rememberScoringSet(cacheKey, loaded);
        scoringSets.set(sk, loaded);
      }
      const scoring = scoringSets.get(sk)!;
      if (!scoring) {
        unscored += group.length;
        done += group.length;
        continue;
      }
      report(done, `scoring ${set.key} (${group.length} units)`);
      const values = await timed("unitSetSeconds", () => unitSetValues(runner, set, scoring, params.batchSize));
      const tags = tagsOf.get(sk) ?? tagConceptsOf(scoring.rows);
      tagsOf.set(sk, tags);
      const cache =
        caches.get(sk) ??
        new ScoringCache(
          scoring,
          tags.perExample,
          set.tower === "TEXT" ? params.textPredictor : params.predictor,
          references,
          logitScale,
        );
      caches.set(sk, cache);
      const records: LabelScoreRecord[] = [];
      const best: { id: string; score: number | null; label: string | null }[] = [];
      await timed("scoreSeconds", () => {
        for (const u of group) {
          const unitLabels = [...labels.get(u.id)!.entries()].map(([k, l]): LabelToScore => {
            const prompt = labelPrompt(l.label, vocabulary);
            return {
              key: k,
              label: l.label,
              prompt,
              sources: l.sources,
              embedding: embeds.get(prompt)!.embedding,
              unknownWords: embeds.get(prompt)!.unknown,
              tokenIds: embeds.get(prompt)!.tokenIds,
            };
          });
          const rows = scoreUnitLabels({
            unitId: u.id,
            datasetId: scoring.datasetId,
            scoring,
            values,
            units: set.units,
            channel: u.index,
            labels: unitLabels,
            tagValues: tags.values,
            exampleConcepts: tags.perExample,
            cache,
          });
          records.push(...rows);
          best.push(bestOf(rows, labels.get(u.id)!));
        }
      });
      opts.onRecords?.(records);
      if (opts.write !== false)
        await timed("writeSeconds", () =>
          writeScores(
            prisma,
            group.map((u) => u.id),
            records,
            best,
          ),
        );
      written += records.length;
      done += group.length;
      report(done, `scored ${set.key}`);
    }
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k] * 100) / 100;
    return {
      units: units.length,
      labels: written,
      unscored,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      timings,
    };
  } finally {
    await runner.close();
  }
}

/**
 * The held-out sets (examples, embeddings, read-out maps) of the last few (model, dataset, tower) scored in this
 * process: a unit-scoped rescore after a label edit then only runs its unit set. Keyed by the model row's id,
 * creation time and folder, so a replaced model is read again; a dataset's examples never change once ingested.
 */
const scoringSetCache = new Map<string, ScoringSet | null>();
const SCORING_SET_CACHE_MAX = 4;

function rememberScoringSet(key: string, set: ScoringSet | null): void {
  scoringSetCache.delete(key);
  scoringSetCache.set(key, set);
  while (scoringSetCache.size > SCORING_SET_CACHE_MAX) scoringSetCache.delete(scoringSetCache.keys().next().value!);
}

export class ScoreCancelled extends Error {
  constructor() {
    super("the scoring was cancelled");
    this.name = "ScoreCancelled";
  }
}

const datasetOf = (u: UnitRow) => ((u.stats ?? {}) as { datasetId?: string }).datasetId ?? "";

/** probe size of the build that produced each dataset's units (the scoring set starts after it) */
async function probeSizeOfBuilds(prisma: PrismaClient, units: UnitRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const jobIds = new Map<string, string>();
  for (const u of units) {
    const s = (u.stats ?? {}) as { datasetId?: string; jobId?: string };
    if (s.datasetId && s.jobId && !jobIds.has(s.datasetId)) jobIds.set(s.datasetId, s.jobId);
  }
  for (const [datasetId, jobId] of jobIds) {
    const job = await prisma.job.findUnique({ where: { id: jobId }, select: { params: true } });
    const p = (job?.params ?? {}) as { probeSize?: number };
    out.set(datasetId, typeof p.probeSize === "number" ? p.probeSize : DEFAULT_BUILD_OPTIONS.probeSize);
  }
  return out;
}

/** the concept family (color, shape, size, position, typographic) of each vocabulary prompt, null when unknown */
function vocabularyFamilies(prompts: string[]): (string | null)[] {
  return prompts.map((p) => CONCEPTS.find((c) => c.prompt === p)?.family ?? null);
}

function concatRows(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

/** Normalized text embeddings of prompts (batched), with the words the tokenizer does not know. */
async function embedPrompts(
  runner: Runner,
  prompts: string[],
  batchSize: number,
): Promise<Map<string, { embedding: Float32Array; unknown: string[]; tokenIds: number[] }>> {
  const out = new Map<string, { embedding: Float32Array; unknown: string[]; tokenIds: number[] }>();
  if (prompts.length === 0 || !runner.tokenizer) return out;
  for (let start = 0; start < prompts.length; start += batchSize) {
    const batch = prompts.slice(start, start + batchSize);
    const { data, dim } = await embedTexts(runner, batch);
    batch.forEach((p, i) => {
      const unk = (runner.manifest.text?.tokenizer as { unk?: string } | undefined)?.unk;
      const tokens = runner.tokenizer!.encode(p).tokens;
      const words = p
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      const unknown =
        unk && tokens.includes(unk) ? words.filter((w) => runner.tokenizer!.encode(w).tokens[0] === unk) : [];
      const enc = runner.tokenizer!.encode(p);
      out.set(p, {
        embedding: data.slice(i * dim, (i + 1) * dim),
        unknown,
        tokenIds: enc.ids.slice(0, enc.eosPosition),
      });
    });
  }
  return out;
}

/**
 * The unit's best label: the highest detection AUROC among labels that may be best (auto-labels, proposed or
 * accepted annotations); ties → higher balanced accuracy, then the label key. Null when none is scored.
 */
export function bestOf(
  rows: LabelScoreRecord[],
  labels: Map<string, { eligible: boolean }>,
): { id: string; score: number | null; label: string | null } {
  const eligible = rows.filter((r) => r.detectionAuroc !== null && labels.get(r.labelKey)?.eligible);
  eligible.sort(
    (a, b) =>
      b.detectionAuroc! - a.detectionAuroc! ||
      (b.balancedAccuracy ?? 0) - (a.balancedAccuracy ?? 0) ||
      (a.labelKey < b.labelKey ? -1 : 1),
  );
  const id = rows[0]?.unitId ?? "";
  return eligible.length
    ? { id, score: eligible[0].detectionAuroc, label: eligible[0].label }
    : { id, score: null, label: null };
}

async function writeScores(
  prisma: PrismaClient,
  unitIds: string[],
  records: LabelScoreRecord[],
  best: { id: string; score: number | null; label: string | null }[],
): Promise<void> {
  const bestRows = best.map((b, i) => ({ ...b, id: b.id || unitIds[i] }));
  const col = <K extends keyof LabelScoreRecord>(k: K) => records.map((r) => r[k]);
  const json = <K extends "sources" | "notes">(k: K) => records.map((r) => JSON.stringify(r[k]));
  await prisma.$transaction([
    prisma.labelScore.deleteMany({ where: { unitId: { in: unitIds } } }),
    // one INSERT over arrays (createMany binds every value of every row: ~10× slower at 10k rows)
    prisma.$executeRawUnsafe(
      `INSERT INTO "LabelScore" ("id", "unitId", "labelKey", "label", "prompt", "sources", "method", "version", "datasetId", "heldOutExamples",
         "detectionAuroc", "balancedAccuracy", "activatingExamples", "nonActivatingExamples", "localization", "localizationExamples",
         "tagAuroc", "tagPositives", "tagNegatives", "notes")
       SELECT gen_random_uuid()::text, v.unit, v.key, v.label, v.prompt, ARRAY(SELECT json_array_elements_text(v.sources::json)), v.method, v.version,
         v.dataset, v.held, v.auroc, v.ba, v.act, v.nonact, v.loc, v.locn, v.tag, v.tagp, v.tagn, ARRAY(SELECT json_array_elements_text(v.notes::json))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[], $10::float8[],
         $11::float8[], $12::int[], $13::int[], $14::float8[], $15::int[], $16::float8[], $17::int[], $18::int[], $19::text[])
         AS v(unit, key, label, prompt, sources, method, version, dataset, held, auroc, ba, act, nonact, loc, locn, tag, tagp, tagn, notes)`,
      col("unitId"),
      col("labelKey"),
      col("label"),
      col("prompt"),
      json("sources"),
      col("method"),
      col("version"),
      col("datasetId"),
      col("heldOutExamples"),
      col("detectionAuroc"),
      col("balancedAccuracy"),
      col("activatingExamples"),
      col("nonActivatingExamples"),
      col("localization"),
      col("localizationExamples"),
      col("tagAuroc"),
      col("tagPositives"),
      col("tagNegatives"),
      json("notes"),
    ),
    prisma.$executeRawUnsafe(
      `UPDATE "Unit" AS u SET "bestLabelScore" = v.score, "bestScoredLabel" = v.label
       FROM unnest($1::text[], $2::float8[], $3::text[]) AS v(id, score, label) WHERE u.id = v.id`,
      bestRows.map((b) => b.id),
      bestRows.map((b) => b.score),
      bestRows.map((b) => b.label),
    ),
  ]);
}
