// The atlas build of one job: resolve the plan, stream the dataset tower by tower in batches feeding the
// accumulators (checkpoint every `checkpointEvery` batches once `checkpointAfterSeconds` have passed, as the
// CheckpointPacer allows, and at the end of the pass), then finalize unit set by unit set (probe re-run →
// concept-share, CLIP-Dissect, text-alignment and Network Dissection labels, multimodal scores, causal effects →
// idempotent writes; similar units and the set's 2D map → their own idempotent writes), and at last the planner
// statistics of the written tables.
// Resuming from a checkpoint continues exactly where the last committed batch ended.
import { availableParallelism } from "node:os";
import { mixSeed, type ConceptScore, type SnapshotMode } from "@mmatlas/atlas";
import { modelDirectory, runtimeManifest } from "@mmatlas/catalog";
import type { Model, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { createRunner, type Runner, type RunResult } from "@mmatlas/inference";
import type { AtlasBuildParams } from "../params";
import { resolveBuildPlan, type BuildPlan, type TowerName, type UnitSetPlan } from "../plan/build-plan";
import { buildMemoryBudget, fitBatchSize, modelMemoryBytes } from "../plan/memory-plan";
import { modelGraphBytes } from "../plan/model-graph-bytes";
import { BatchReader, type PreparedBatch } from "../pass/batch-reader";
import { analyzeExamples, countTowerExamples } from "../pass/examples";
import { HeadState } from "../pass/head-state";
import { PassCheckpoints } from "../pass/pass-checkpoints";
import { PassProfile } from "../pass/pass-profile";
import { feedSets, inferTower, towerRequest, type SetState } from "../pass/run-batch";
import { UnitSetState } from "../pass/unit-set-state";
import {
  AccumulatorPool,
  AccumulatorWorkersUnavailable,
  accumulatorWorkers,
  accumulatorWorkersRequested,
  type CheckpointEntry,
} from "../pass/accumulator-pool";
import { compactEffect, prepareCausalEval, unitCausalEffect, type CausalEval } from "../finalize/causal";
import { embedTexts, shapesConceptVocabulary, shapesShareVocabulary } from "../finalize/concepts";
import { jointDirections, outputDirections } from "../finalize/directions";
import {
  clipDissectForSet,
  conceptShareForSet,
  imageMultimodalScores,
  textAlignmentForSet,
  type ConceptEmbeddings,
} from "../finalize/labels";
import { runProbe, type ProbeSet } from "../finalize/probe";
import { networkDissectionForSets } from "../finalize/dissection";
import { unitSetNeighbours } from "../finalize/neighbours";
import { headRecords, neuronRecords } from "../finalize/unit-records";
import { writeNeighbours } from "../finalize/write-neighbours";
import { writeUnits } from "../finalize/write-units";
import { textTokenCounts } from "../finalize/text-token-counts";
import { refreshAtlasStatistics } from "../finalize/refresh-statistics";
import type { BuildCheckpoint } from "./checkpoint";
import { CHECKPOINT_BYTES_PER_MS, CheckpointPacer } from "./checkpoint-pacer";
import { etaSeconds, finalizeProgress, passProgress, type JobProgress } from "./progress";

export interface BuildContext {
  prisma: PrismaClient;
  jobId: string;
  params: AtlasBuildParams;
  checkpoint: BuildCheckpoint | null;
  /** persists a checkpoint; throws when the job was cancelled meanwhile */
  saveCheckpoint(c: BuildCheckpoint, progress: JobProgress): Promise<void>;
  report(progress: JobProgress): void;
  signal?: AbortSignal;
}

export class BuildCancelled extends Error {
  constructor() {
    super("the build was cancelled");
    this.name = "BuildCancelled";
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new BuildCancelled();
}

/** Opens a stored model for a build: its folder, with the SAEs of its Dictionary rows (imported ones included). */
export async function openModelRunner(prisma: PrismaClient, model: Model): Promise<Runner> {
  const [hookPoints, dictionaries] = await Promise.all([
    prisma.hookPoint.findMany({ where: { modelId: model.id } }),
    prisma.dictionary.findMany({ where: { modelId: model.id } }),
  ]);
  const manifest = runtimeManifest(model, hookPoints, dictionaries);
  const dir = modelDirectory(model);
  try {
    // BUILD_INFERENCE_WORKER=1: sessions in a worker thread, so inference of batch i+1 can overlap the accumulators
    // of batch i (the pipelined pass); off by default: on the 2-core reference machine it did not raise the pass's
    // examples/s (docs in README, environment variables)
    return await createRunner(manifest, { dir, sessionsInWorker: process.env.BUILD_INFERENCE_WORKER === "1" });
  } catch (e) {
    throw AppError.badInput(`cannot open the model in ${dir}: ${(e as Error).message}`, "modelId");
  }
}

function freshStates(plan: BuildPlan, k: number): Map<string, SetState> {
  return new Map(
    plan.sets.map((s): [string, SetState] => [
      s.key,
      s.kind === "ATTENTION_HEAD"
        ? { kind: "heads", state: HeadState.create(s.units, s.positions) }
        : {
            kind: "units",
            state: UnitSetState.create(s.units, s.positions, k, unitSetSeed(s)),
          },
    ]),
  );
}

function restoreStates(plan: BuildPlan, c: BuildCheckpoint): Map<string, SetState> {
  const out = new Map<string, SetState>();
  for (const s of plan.sets) {
    const snap = c.states[s.key];
    if (!snap)
      throw AppError.badInput(`checkpoint has no state for ${s.key}; the job's parameters changed`, "checkpoint");
    out.set(
      s.key,
      snap.kind === "heads"
        ? { kind: "heads", state: HeadState.restore(snap.snapshot, s.units, s.positions) }
        : { kind: "units", state: UnitSetState.restore(snap.snapshot) },
    );
  }
  return out;
}

/** The states for a checkpoint: copies mid-pass (the pass goes on feeding them while the checkpoint is written),
 * views of the live buffers at the end of the pass (nothing feeds them after it: no copy of up to gigabytes, which
 * the checkpoint would otherwise hold through finalize) */
function snapshotStates(
  states: Map<string, SetState>,
  mode: SnapshotMode,
  pooled: Record<string, CheckpointEntry> = {},
): BuildCheckpoint["states"] {
  const out: BuildCheckpoint["states"] = {};
  for (const [key, st] of states)
    out[key] =
      pooled[key] ??
      (st.kind === "heads"
        ? { kind: "heads", snapshot: st.state.snapshot() }
        : { kind: "units", snapshot: st.state.snapshot(mode) });
  return out;
}

/** seed of a unit set's quantile sampler */
function unitSetSeed(s: UnitSetPlan): number {
  return mixSeed(20261122, s.key.length, s.units);
}

/**
 * With accumulator workers (BUILD_ACCUMULATOR_WORKERS, "auto" by default: real-size models) and a pass to run: the
 * sets (unit sets and attention hooks) of the towers still to stream move into worker threads (their states there;
 * the main thread's copies are not used until collected back).
 */
async function startAccumulatorPool(
  plan: BuildPlan,
  c: BuildCheckpoint,
  states: Map<string, SetState>,
  k: number,
  resumed: boolean,
): Promise<AccumulatorPool | null> {
  const sets = plan.sets.filter((s) => !c.towers[s.tower]!.done);
  // "auto" looks at the unit sets' values per example in the larger tower
  const perTower = new Map<TowerName, number>();
  for (const s of sets)
    if (s.kind !== "ATTENTION_HEAD") perTower.set(s.tower, (perTower.get(s.tower) ?? 0) + s.units * s.positions);
  const workers = accumulatorWorkers(Math.max(0, ...perTower.values()), availableParallelism());
  if (workers === 0 || sets.length === 0) return null;
  try {
    return await AccumulatorPool.start(
      workers,
      sets.map((s) => ({
        key: s.key,
        kind: s.kind === "ATTENTION_HEAD" ? "heads" : "units",
        units: s.units,
        positions: s.positions,
        start: resumed ? { restore: states.get(s.key)! } : { k, seed: unitSetSeed(s) },
      })),
    );
  } catch (e) {
    // "auto" falls back to the main thread when workers cannot start (nothing moved yet); an explicit N fails
    if (!(e instanceof AccumulatorWorkersUnavailable) || accumulatorWorkersRequested()) throw e;
    process.emitWarning(`${e.message}; the build accumulates on the main thread`);
    return null;
  }
}

export async function runAtlasBuild(ctx: BuildContext): Promise<{
  units: number;
  examples: number;
  passSeconds: number;
  examplesPerSecond: number | null;
  timings: Record<string, number>;
}> {
  const { prisma, params, jobId } = ctx;
  const model = await prisma.model.findUnique({ where: { id: params.modelId } });
  if (!model) throw AppError.notFound("model", params.modelId);
  const dataset = await prisma.dataset.findUnique({ where: { id: params.datasetId } });
  if (!dataset) throw AppError.notFound("dataset", params.datasetId);
  const runner = await openModelRunner(prisma, model);
  try {
    const plan = await resolveBuildPlan(prisma, runner, model, params.hooks, params.dictionaries, params.maxUnits);
    // this machine's memory, before any state or session is allocated (the job was planned where it was queued)
    const modelBytes = modelMemoryBytes(modelGraphBytes(runner.dir, runner.manifest));
    fitBatchSize(plan.sets, { ...params, batchSizeChosen: true }, buildMemoryBudget(), modelBytes);
    const totals = new Map<TowerName, number>();
    for (const t of plan.towers) totals.set(t, await countTowerExamples(prisma, dataset.id, t));
    const total = [...totals.values()].reduce((a, b) => a + b, 0);
    if (total === 0)
      throw AppError.badInput(
        `dataset ${dataset.name} has no examples for the ${plan.towers.join(" and ")} tower(s)`,
        "datasetId",
      );

    const c: BuildCheckpoint = ctx.checkpoint ?? {
      kind: "atlas-build",
      version: 1,
      examplesDone: 0,
      finalizedSets: [],
      batches: 0,
      states: {},
      towers: Object.fromEntries(plan.towers.map((t) => [t, { afterIndex: -1, done: false, examples: 0 }])),
    };
    const states = ctx.checkpoint ? restoreStates(plan, c) : freshStates(plan, params.k);
    const setsOf = (tower: TowerName) => plan.sets.filter((s) => s.tower === tower);
    // the onnxruntime sessions of the pass (hooks and SAEs attached: graph surgery + session creation, a fixed cost of
    // opening the model) are opened on one blank example before the pass is timed: its rate (progress, ETA,
    // Job.metrics) is then the streaming throughput, as bench:pipeline's bare inference measures it
    for (const t of plan.towers) {
      if (c.towers[t]!.done) continue;
      const { hooks, saes } = towerRequest(setsOf(t));
      await runner.runBlank(t, hooks, { saes });
    }
    await analyzeExamples(prisma);
    const started = Date.now(),
      doneAtStart = c.examplesDone;
    let passRate: number | null | undefined = undefined; // frozen at the end of the pass (rate() reads it before)
    const rate = () => {
      if (passRate !== undefined) return passRate;
      const s = (Date.now() - started) / 1000;
      return s > 0 && c.examplesDone > doneAtStart ? (c.examplesDone - doneAtStart) / s : null;
    };
    const progress = (phase: "pass" | "finalize", value: number, message: string | null = null): JobProgress => {
      const eps = rate();
      return {
        jobId,
        status: "RUNNING",
        phase,
        progress: value,
        examplesDone: c.examplesDone,
        examplesTotal: total,
        examplesPerSecond: eps === null ? null : Math.round(eps * 10) / 10,
        etaSeconds: phase === "pass" ? etaSeconds(c.examplesDone, total, eps) : null,
        message,
      };
    };
    ctx.report(
      progress(
        "pass",
        passProgress(c.examplesDone, total),
        ctx.checkpoint ? `resuming after ${c.examplesDone} examples` : "starting",
      ),
    );

    // ---- streaming pass ----
    // A software pipeline over the batches of every tower: while onnxruntime runs batch i (off the main thread), the
    // main thread reads and decodes batch i+1; while it runs batch i+1, the main thread feeds batch i to the
    // accumulators and checkpoints (the write overlapping batch i+1 in turn). Batches are fed and committed strictly
    // in stream order, so states and checkpoints are those of a sequential loop.
    const profile = new PassProfile();
    const reader = new BatchReader(
      prisma,
      runner,
      dataset.id,
      plan.towers.filter((t) => !c.towers[t]!.done),
      (t) => c.towers[t]!.afterIndex,
      params.batchSize,
      profile,
    );
    type InFlight = { batch: PreparedBatch; run: Promise<{ result: RunResult; valid?: number[] }> | null };
    const launch = (batch: PreparedBatch | null): InFlight | null => {
      if (!batch) return null;
      const run = batch.input
        ? inferTower(runner, batch.input, setsOf(batch.tower), params.batchSize, { profile, textPositions: "longest" })
        : null;
      run?.catch(() => undefined); // awaited in turn below; never an unhandled rejection meanwhile
      return { batch, run };
    };
    const stateBytes = [...states.values()].reduce((n, s) => n + (s.kind === "units" ? s.state.byteSize() : 0), 0);
    const pacer = new CheckpointPacer(
      {
        every: params.checkpointEvery,
        firstAfterMs: params.checkpointAfterSeconds * 1000,
        // checkpointAfterSeconds 0 asks for checkpoints from the first batch (tests of resuming rely on it)
        expectedCostMs: params.checkpointAfterSeconds > 0 ? stateBytes / CHECKPOINT_BYTES_PER_MS : 0,
      },
      Date.now(),
    );
    const checkpoints = new PassCheckpoints(profile, (start, end) => pacer.record(start, end));
    let pool = await startAccumulatorPool(plan, c, states, params.k, !!ctx.checkpoint);
    let current = launch(await reader.next());
    try {
      while (current) {
        throwIfAborted(ctx.signal);
        const { batch } = current;
        if (batch.error) throw batch.error;
        const upcoming = await reader.next();
        const run = current.run ? await profile.timeAsync("wait.inference", () => current!.run!) : null;
        current = launch(upcoming);
        const pos = c.towers[batch.tower]!;
        if (run) {
          // with accumulator workers: the previous batch is fed before this one goes (one batch in flight)
          if (pool) await profile.timeAsync("wait.accumulators", () => pool!.settle());
          feedSets(runner, batch.tower, batch.rows, setsOf(batch.tower), states, run, profile, pool);
          pos.afterIndex = batch.rows[batch.rows.length - 1].index;
          pos.examples += batch.rows.length;
          c.examplesDone += batch.rows.length;
          c.batches++;
        }
        if (batch.last) pos.done = true;
        // the previous batch's checkpoint was written while this batch was read, run and fed; it ends (and reports)
        // before this batch reports, so progress events stay in order
        await checkpoints.settle();
        const p = progress("pass", passProgress(c.examplesDone, total));
        if (!current || pacer.due(c.batches, Date.now())) {
          // as the pacer allows, and at the end of the pass
          // mid-pass the snapshot copies the states and `copy` the rest, so the write can overlap the next batch
          let pooled: Record<string, CheckpointEntry> = {};
          if (pool && current) pooled = await profile.timeAsync("checkpoint.snapshot", () => pool!.snapshots());
          else if (pool) {
            // end of the pass: the states come back for finalize
            const workerMs = pool.addMilliseconds();
            const back = await profile.timeAsync("wait.accumulators", () => pool!.collect());
            for (const [key, st] of back) states.set(key, st);
            profile.add("accumulate.inWorkers", workerMs);
            pool = null;
          }
          c.states = profile.time("checkpoint.snapshot", () =>
            snapshotStates(states, current ? "copy" : "share", pooled),
          );
          const copy: BuildCheckpoint = {
            ...c,
            towers: structuredClone(c.towers),
            finalizedSets: [...c.finalizedSets],
          };
          checkpoints.start(() => ctx.saveCheckpoint(copy, p));
        } else {
          ctx.report(p);
        }
      }
    } catch (e) {
      await pool?.close();
      await current?.run?.catch(() => undefined); // no model call left running when the runner closes
      await checkpoints.settle().catch(() => undefined);
      throw e;
    }
    const passSeconds = (Date.now() - started) / 1000;
    const timings: Record<string, number> = {
      passSeconds: Math.round(passSeconds * 10) / 10,
      probeSeconds: 0,
      labelSeconds: 0,
      dissectionSeconds: 0,
      causalSeconds: 0,
      neighbourSeconds: 0,
      mapSeconds: 0,
      writeSeconds: 0,
      /** of writeSeconds: planner statistics and the visibility map after the writes (refresh-statistics.ts) */
      statisticsSeconds: 0,
    };
    for (const [step, seconds] of Object.entries(profile.seconds())) timings[`pass.${step}`] = seconds;
    const timed = async <T>(key: string, f: () => Promise<T> | T): Promise<T> => {
      const t = Date.now();
      try {
        return await f();
      } finally {
        timings[key] = Math.round((timings[key] + (Date.now() - t) / 1000) * 10) / 10;
      }
    };
    const examplesPerSecond = rate();
    passRate = examplesPerSecond;

    // ---- finalize ----
    const vocab = shapesConceptVocabulary();
    const emb = await embedTexts(runner, vocab.prompts);
    const shareVocab = shapesShareVocabulary();
    const shareEmb = await embedTexts(runner, shareVocab.prompts);
    // the pass's last checkpoint was written meanwhile; it is stored before finalize writes its own
    const finalWait = performance.now();
    await checkpoints.settle();
    timings["pass.wait.lastCheckpoint"] = Math.round(performance.now() - finalWait) / 1000;
    const concepts: ConceptEmbeddings = { labels: vocab.labels, data: emb.data, dim: emb.dim };
    const probes = new Map<TowerName, ProbeSet | null>();
    let dissections: Map<string, ConceptScore[][]> | null | undefined;
    let causalEval: CausalEval | null | undefined;
    const common = { datasetId: dataset.id, datasetName: dataset.name, jobId, k: params.k };
    let units = 0;
    const nearSeconds = { neighbours: 0, map: 0 };
    let tokenCounts: Map<number, number> | undefined; // text rows keep one value per token
    for (const [i, set] of plan.sets.entries()) {
      units += set.units;
      if (c.finalizedSets.includes(set.key)) continue;
      throwIfAborted(ctx.signal);
      ctx.report(progress("finalize", finalizeProgress(i, plan.sets.length), `labels and writes: ${set.key}`));
      const st = states.get(set.key)!;
      const owner = {
        modelId: model.id,
        hookPointId: set.hookPoint.id,
        dictionaryId: set.dictionary?.id ?? null,
        datasetId: dataset.id,
      };
      if (st.kind === "heads") {
        await timed("writeSeconds", () => writeUnits(prisma, owner, headRecords(model.name, set, st.state, common)));
      } else {
        if (!probes.has(set.tower)) {
          probes.set(
            set.tower,
            await timed("probeSeconds", () =>
              runProbe(
                prisma,
                runner,
                dataset.id,
                set.tower,
                plan.sets.filter((s) => s.tower === set.tower),
                params.probeSize,
                params.batchSize,
              ),
            ),
          );
        }
        const probe = probes.get(set.tower)!;
        const acts = probe?.activations.get(set.key);
        if (set.tower === "VISION" && probe && dissections === undefined) {
          const concepts = shareVocab.families.flatMap((f) => [...f.labels]);
          dissections = await timed("dissectionSeconds", () =>
            networkDissectionForSets(
              prisma,
              runner,
              dataset.id,
              probe.rows,
              plan.sets.filter((s) => s.tower === "VISION"),
              concepts,
              params.batchSize,
            ),
          );
        }
        const { share, clip, align, multimodal } = await timed("labelSeconds", async () => ({
          share:
            probe && acts
              ? conceptShareForSet(
                  { activations: acts, units: set.units, embeds: probe.embeds, probe: probe.rows.length },
                  shareVocab,
                  shareEmb,
                )
              : null,
          clip:
            probe && acts
              ? clipDissectForSet(
                  { activations: acts, units: set.units, embeds: probe.embeds, probe: probe.rows.length },
                  concepts,
                )
              : null,
          align: textAlignmentForSet(await jointDirections(runner, set), set.units, concepts),
          multimodal:
            set.tower === "VISION" && probe && acts
              ? imageMultimodalScores(
                  acts,
                  set.units,
                  probe.rows.map((r) => r.tags),
                  concepts.labels.filter((l) => l !== "typographic"),
                )
              : null,
        }));
        const causalStart = Date.now();
        const causal = new Map<number, unknown>();
        if (set.tower === "VISION" && params.causalUnits > 0 && probe) {
          if (causalEval === undefined)
            causalEval = await prepareCausalEval(runner, probe.rows, params.causalExamples, params.batchSize);
          if (causalEval) {
            for (const u of causalUnitsOf(set, clip, params.causalUnits)) {
              throwIfAborted(ctx.signal);
              const max = st.state.stats.result(u).max ?? 1;
              const eff = await unitCausalEffect(runner, causalEval, set, u, max, params.batchSize);
              causal.set(u, {
                ablate: compactEffect(eff.ablate),
                steer: compactEffect(eff.steer),
                steerScale: Math.round(eff.steerScale * 1e5) / 1e5,
                examples: eff.examples,
                metric: "mean true-class probability (zero-shot color/shape)",
              });
            }
          }
        }
        timings.causalSeconds = Math.round((timings.causalSeconds + (Date.now() - causalStart) / 1000) * 10) / 10;
        await timed("writeSeconds", async () => {
          if (set.tower === "TEXT" && runner.tokenizer)
            tokenCounts ??= await textTokenCounts(prisma, dataset.id, runner.tokenizer);
          const extras = {
            share,
            clip,
            align,
            dissection: dissections?.get(set.key) ?? null,
            multimodal,
            causal,
            common,
          };
          const counts = set.tower === "TEXT" ? tokenCounts : undefined;
          await writeUnits(prisma, owner, neuronRecords(model.name, set, st.state, extras, counts));
        });
        const near = await unitSetNeighbours(
          {
            units: set.units,
            directions: outputDirections(runner, set),
            activations: probe && acts ? { data: acts, probe: probe.rows.length } : null,
          },
          { products: runner.rowProducts() },
        );
        nearSeconds.neighbours += near.seconds.neighbours;
        nearSeconds.map += near.seconds.map;
        timings.neighbourSeconds = Math.round(nearSeconds.neighbours * 100) / 100;
        timings.mapSeconds = Math.round(nearSeconds.map * 100) / 100;
        await timed("writeSeconds", () =>
          writeNeighbours(prisma, owner, set.kind === "SAE_FEATURE" ? "SAE_FEATURE" : "NEURON", near),
        );
      }
      c.finalizedSets.push(set.key);
      await ctx.saveCheckpoint(
        c,
        progress("finalize", finalizeProgress(i + 1, plan.sets.length), `written: ${set.key}`),
      );
    }
    await timed("writeSeconds", () => timed("statisticsSeconds", () => refreshAtlasStatistics(prisma)));
    return { units, examples: c.examplesDone, passSeconds, examplesPerSecond, timings };
  } finally {
    await runner.close();
  }
}

/** the units whose causal effect is measured: strongest CLIP-Dissect label scores first (ties: lower index) */
function causalUnitsOf(set: UnitSetPlan, clip: { score: number }[][] | null, count: number): number[] {
  const order = Array.from({ length: set.units }, (_, u) => u);
  if (clip) order.sort((a, b) => (clip[b][0]?.score ?? -Infinity) - (clip[a][0]?.score ?? -Infinity) || a - b);
  return order.slice(0, count);
}
