// probeModelOnExamples: linear probes of every probe-able hook point (residual stream and MLP; optionally the
// model's SAE dictionaries) for every concept family of the examples' tags (family-labels.ts), per tower. The
// model runs over the examples in chunks; each hook is pooled to one vector per example (pool-features.ts) and
// kept, then every hook × family gets a seeded train/test split, standardization and a multinomial logistic
// regression (@mmatlas/atlas trainLinearProbe); held-out accuracy is reported with the chance baseline (the
// test split's majority-class rate). Every layer of a family uses the same split. Pure of the database: the
// PROBE_CONCEPTS job (probe-job.ts) and the benchmark (`npm run eval:methods`) both call it.
import { trainLinearProbe, DEFAULT_TEST_FRACTION } from "@mmatlas/atlas";
import { AppError } from "@mmatlas/errors";
import type { Runner } from "@mmatlas/inference";
import { examplePixels, exampleTokens, type ExampleRow } from "../pass/examples";
import { familyLabelsOfTags, probeableFamilies, type ProbeSkip } from "./family-labels";
import { poolFeatures, poolModeOfHook, type PoolMode } from "./pool-features";

export type ProbeTower = "VISION" | "TEXT";

export interface ProbeModelOptions {
  /** seed of the train/test split (default 0) */
  seed?: number;
  /** share of each family's labelled examples held out (default 0.25) */
  testFraction?: number;
  /** at most this many examples per tower (the first ones given; default all) */
  maxExamples?: number;
  /** a family needs at least this many labelled examples (default 20) */
  minExamples?: number;
  /** only these hook names (default every RESID / MLP hook of the model) */
  hooks?: string[];
  /** also probe the features of these SAE dictionaries (manifest names; default none) */
  saes?: string[];
  /** L2 weight of the probe (default @mmatlas/atlas DEFAULT_PROBE_L2) */
  l2?: number;
  /** L-BFGS iterations per probe (default 100) */
  maxIterations?: number;
  /** examples per model call (default 64) */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProbeModelProgress) => void;
}

export interface ProbeModelProgress {
  phase: "features" | "probe";
  /** features: examples run; probe: cells fitted */
  done: number;
  total: number;
  /** 0..1 over both phases */
  fraction: number;
  message: string;
}

export interface ProbeCell {
  tower: ProbeTower;
  /** the hook point probed (for an SAE: the hook it reads) */
  hookName: string;
  /** manifest hook kind (RESID, MLP_POST, …) */
  hookKind: string;
  layer: number;
  /** SAE dictionary whose features were probed, null for the hook's own activations */
  dictionary: string | null;
  pooling: PoolMode;
  family: string;
  /** held-out accuracy */
  accuracy: number;
  /** majority-class rate of the test split */
  chance: number;
  trainAccuracy: number;
  trainCount: number;
  testCount: number;
  /** class names of the family (label order) */
  classes: string[];
  converged: boolean;
}

export interface ProbeModelResult {
  cells: ProbeCell[];
  /** families not probed, with why */
  skipped: ProbeSkip[];
  /** examples run per tower */
  examples: Record<ProbeTower, number>;
  seconds: number;
  /** seconds spent running the model (and pooling) and fitting the probes */
  timings: { featureSeconds: number; probeSeconds: number };
}

export class ProbeCancelled extends Error {
  constructor() {
    super("the probing was cancelled");
    this.name = "ProbeCancelled";
  }
}

interface FeatureSource {
  hookName: string;
  hookKind: string;
  layer: number;
  dictionary: string | null;
  pooling: PoolMode;
  width: number;
  /** pooled features of the examples run so far */
  chunks: Float32Array[];
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** The tower an example row goes through: images to the vision tower, text-only rows to the text tower. */
export function towerOfRow(row: Pick<ExampleRow, "image" | "text">): ProbeTower | null {
  if (row.image) return "VISION";
  if (typeof row.text === "string" && row.text.trim() !== "") return "TEXT";
  return null;
}

export async function probeModelOnExamples(
  runner: Runner,
  rows: readonly ExampleRow[],
  options: ProbeModelOptions = {},
): Promise<ProbeModelResult> {
  const started = Date.now();
  const {
    seed = 0,
    testFraction = DEFAULT_TEST_FRACTION,
    maxExamples = Number.POSITIVE_INFINITY,
    minExamples = 20,
    batchSize = 64,
    signal,
  } = options;
  if (!(testFraction > 0 && testFraction < 1))
    throw AppError.badInput(`testFraction must be in (0, 1), got ${testFraction}`, "testFraction");
  if (!(maxExamples >= 1)) throw AppError.badInput(`maxExamples must be ≥ 1, got ${maxExamples}`, "maxExamples");
  const checkAbort = () => {
    if (signal?.aborted) throw new ProbeCancelled();
  };
  const byTower: Record<ProbeTower, ExampleRow[]> = { VISION: [], TEXT: [] };
  for (const row of rows) {
    const tower = towerOfRow(row);
    if (!tower) continue;
    if (tower === "VISION" && !runner.manifest.image) continue;
    if (tower === "TEXT" && (!runner.manifest.text || !runner.tokenizer)) continue;
    if (byTower[tower].length < maxExamples) byTower[tower].push(row);
  }
  const skipped: ProbeSkip[] = [];
  const plans: { tower: ProbeTower; rows: ExampleRow[]; families: ReturnType<typeof familyLabelsOfTags> }[] = [];
  for (const tower of ["VISION", "TEXT"] as const) {
    if (byTower[tower].length === 0) continue;
    const probeable = probeableFamilies(tower, familyLabelsOfTags(byTower[tower].map((r) => r.tags)), minExamples);
    skipped.push(...probeable.skipped);
    if (probeable.families.length > 0) plans.push({ tower, rows: byTower[tower], families: probeable.families });
  }
  const hookFilter = options.hooks ? new Set(options.hooks) : null;
  const sourcesOf = (tower: ProbeTower): FeatureSource[] => {
    const out: FeatureSource[] = [];
    for (const h of runner.hookPoints(tower)) {
      const pooling = poolModeOfHook(h.kind);
      if (!pooling || (hookFilter && !hookFilter.has(h.name))) continue;
      out.push({
        hookName: h.name,
        hookKind: h.kind,
        layer: h.layer,
        dictionary: null,
        pooling,
        width: h.width,
        chunks: [],
      });
    }
    for (const name of options.saes ?? []) {
      const hook = runner.saeHook(name);
      const pooling = poolModeOfHook(hook.kind);
      if (hook.tower !== tower || !pooling) continue;
      const sae = runner.sae(name);
      out.push({
        hookName: hook.name,
        hookKind: hook.kind,
        layer: hook.layer,
        dictionary: name,
        pooling,
        width: sae.cfg.dSae,
        chunks: [],
      });
    }
    return out.sort((a, b) => a.layer - b.layer || (a.hookName < b.hookName ? -1 : a.hookName > b.hookName ? 1 : 0));
  };
  const sourcesByTower = new Map(plans.map((p) => [p.tower, sourcesOf(p.tower)]));
  const examplesTotal = plans.reduce((n, p) => n + p.rows.length, 0);
  const cellsTotal = plans.reduce((n, p) => n + sourcesByTower.get(p.tower)!.length * p.families.length, 0);
  // the fitting dominates on small models; the split of the progress bar follows the work of each phase roughly
  const featureShare = 0.15;
  const report = (phase: ProbeModelProgress["phase"], done: number, total: number, message: string) =>
    options.onProgress?.({
      phase,
      done,
      total,
      fraction:
        phase === "features"
          ? featureShare * (total ? done / total : 1)
          : featureShare + (1 - featureShare) * (total ? done / total : 1),
      message,
    });

  // phase 1: pooled features of every hook / SAE, chunk by chunk
  let examplesDone = 0;
  for (const plan of plans) {
    const sources = sourcesByTower.get(plan.tower)!;
    if (sources.length === 0) continue;
    const hooks = [...new Set(sources.filter((s) => !s.dictionary).map((s) => s.hookName))];
    const saes = sources.filter((s) => s.dictionary).map((s) => s.dictionary!);
    for (let start = 0; start < plan.rows.length; start += batchSize) {
      checkAbort();
      const chunk = plan.rows.slice(start, start + batchSize);
      let result, readout: number[], valid: number[] | undefined;
      if (plan.tower === "VISION") {
        result = await runner.runPixels(examplePixels(runner, chunk), hooks, { saes, batchSize });
        readout = chunk.map(() => 0); // CLS token
      } else {
        const tokens = exampleTokens(runner, chunk);
        result = await runner.runTokens(tokens, hooks, { saes, batchSize });
        readout = tokens.map((t) => t.eosPosition);
        valid = tokens.map((t) => t.eosPosition + 1);
      }
      for (const s of sources) {
        const out = s.dictionary ? result.saes[s.dictionary] : result.hooks[s.hookName];
        if (!out?.data) throw new Error(`the model returned no activations for ${s.dictionary ?? s.hookName}`);
        const pooled = poolFeatures(out.data, out.dims, s.pooling, readout, valid);
        if (pooled.width !== s.width) s.width = pooled.width;
        s.chunks.push(pooled.features);
      }
      examplesDone += chunk.length;
      report("features", examplesDone, examplesTotal, `${plan.tower.toLowerCase()} activations`);
      await yieldToEventLoop();
    }
  }

  const featureSeconds = (Date.now() - started) / 1000;
  // phase 2: one probe per hook / SAE × family
  const cells: ProbeCell[] = [];
  for (const plan of plans) {
    for (const s of sourcesByTower.get(plan.tower)!) {
      const features = concat(s.chunks, plan.rows.length * s.width);
      s.chunks = [];
      for (const family of plan.families) {
        checkAbort();
        const r = trainLinearProbe(features, s.width, family.labels, {
          seed,
          testFraction,
          ...(options.l2 !== undefined ? { l2: options.l2 } : {}),
          ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
        });
        cells.push({
          tower: plan.tower,
          hookName: s.hookName,
          hookKind: s.hookKind,
          layer: s.layer,
          dictionary: s.dictionary,
          pooling: s.pooling,
          family: family.name,
          accuracy: r.accuracy,
          chance: r.chance,
          trainAccuracy: r.trainAccuracy,
          trainCount: r.trainSize,
          testCount: r.testSize,
          classes: family.classes,
          converged: r.converged,
        });
        report(
          "probe",
          cells.length,
          cellsTotal,
          `${s.dictionary ?? s.hookName} × ${family.name}: ${(r.accuracy * 100).toFixed(1)} % (chance ${(r.chance * 100).toFixed(1)} %)`,
        );
        await yieldToEventLoop();
      }
    }
  }
  return {
    cells,
    skipped,
    examples: { VISION: byTower.VISION.length, TEXT: byTower.TEXT.length },
    seconds: Math.round((Date.now() - started) / 100) / 10,
    timings: {
      featureSeconds: Math.round(featureSeconds * 10) / 10,
      probeSeconds: Math.round(((Date.now() - started) / 1000 - featureSeconds) * 10) / 10,
    },
  };
}

function concat(chunks: Float32Array[], length: number): Float32Array {
  if (chunks.length === 1 && chunks[0].length === length) return chunks[0];
  const out = new Float32Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
