// Causal effects of image-tower units: ablate a neuron (set it to 0) and steer a unit (add its direction times
// its max activation) through the inference intervention API, and measure the change in zero-shot color and
// shape classification (mean probability of the true class per concept) on single-object probe images.
import { causalEffects, zeroShotScores, type CausalEffectSummary } from "@mmatlas/atlas";
import { neuronDirection, type Intervention, type Runner } from "@mmatlas/inference";
import type { UnitSetPlan } from "../plan/build-plan";
import { examplePixels, type ExampleRow } from "../pass/examples";
import { embedTexts, normalizeRows, similarities, zeroShotTasks } from "./concepts";

export interface CausalEval {
  pixels: Float32Array;
  examples: number;
  /** per task: class embeddings, labels and each example's true class (−1 none) */
  tasks: { labels: string[]; classEmbeds: Float32Array; truth: number[] }[];
  labels: string[];
  dim: number;
  logitScale: number;
  /** per concept (tasks concatenated): mean true-class probability without intervention */
  before: number[];
}

export interface UnitCausalEffect {
  ablate: CausalEffectSummary | null;
  steer: CausalEffectSummary;
  steerScale: number;
  examples: number;
}

/** Single-object, non-typographic images from the probe rows; null when there are none. */
export async function prepareCausalEval(
  runner: Runner,
  rows: ExampleRow[],
  count: number,
  batchSize: number,
): Promise<CausalEval | null> {
  const chosen = rows.filter((r) => r.tags.includes("count:1") && !r.tags.includes("typographic")).slice(0, count);
  if (chosen.length === 0) return null;
  const tasks = [];
  let dim = 0;
  for (const task of zeroShotTasks()) {
    const emb = await embedTexts(runner, task.prompts);
    dim = emb.dim;
    tasks.push({
      labels: task.labels,
      classEmbeds: emb.data,
      truth: chosen.map((r) => task.labels.findIndex((l) => r.tags.includes(`${task.family}:${l}`))),
    });
  }
  const logitScale = (runner.manifest as unknown as { logitScale?: number }).logitScale ?? 100;
  const evalSet: CausalEval = {
    pixels: examplePixels(runner, chosen),
    examples: chosen.length,
    tasks,
    labels: tasks.flatMap((t) => t.labels),
    dim,
    logitScale,
    before: [],
  };
  evalSet.before = await zeroShotTrueProbabilities(runner, evalSet, undefined, batchSize);
  return evalSet;
}

async function zeroShotTrueProbabilities(
  runner: Runner,
  ev: CausalEval,
  intervention: Intervention | undefined,
  batchSize: number,
): Promise<number[]> {
  const { embeds } = await runner.runPixels(ev.pixels, [], { intervention, batchSize });
  const img = normalizeRows(embeds.data, ev.dim);
  const out: number[] = [];
  for (const task of ev.tasks) {
    const logits = similarities(img, ev.examples, task.classEmbeds, task.labels.length, ev.dim, ev.logitScale);
    const z = zeroShotScores(logits, task.labels.length, task.truth);
    out.push(...z.meanTrueProbability.map((p) => p ?? 0));
  }
  return out;
}

export async function unitCausalEffect(
  runner: Runner,
  ev: CausalEval,
  set: UnitSetPlan,
  unit: number,
  maxActivation: number,
  batchSize: number,
): Promise<UnitCausalEffect> {
  const scale = maxActivation > 0 ? maxActivation : 1;
  let ablate: CausalEffectSummary | null = null;
  let direction: Float32Array;
  if (set.kind === "SAE_FEATURE") {
    direction = runner.sae(set.dictionary!.name).decoderDirection(unit);
  } else {
    direction = neuronDirection(set.width, unit);
    const after = await zeroShotTrueProbabilities(runner, ev, { hook: set.hook.name, ablate: [unit] }, batchSize);
    ablate = causalEffects(ev.labels, ev.before, after);
  }
  const steered = await zeroShotTrueProbabilities(
    runner,
    ev,
    { hook: set.hook.name, add: direction, scale },
    batchSize,
  );
  return { ablate, steer: causalEffects(ev.labels, ev.before, steered), steerScale: scale, examples: ev.examples };
}

/** Compact JSON of a summary for Unit.stats (entries rounded, most hurt first). */
export function compactEffect(s: CausalEffectSummary | null) {
  if (!s) return null;
  const r = (x: number) => Math.round(x * 1e5) / 1e5;
  return {
    meanDelta: r(s.meanDelta),
    meanAbsDelta: r(s.meanAbsDelta),
    mostHurt: s.mostHurt ? { concept: s.mostHurt.concept, delta: r(s.mostHurt.delta) } : null,
    mostHelped: s.mostHelped ? { concept: s.mostHelped.concept, delta: r(s.mostHelped.delta) } : null,
    entries: s.entries.map((e) => ({ concept: e.concept, before: r(e.before), after: r(e.after), delta: r(e.delta) })),
  };
}
