// The memory a build's pass needs, worked out from its unit sets before anything is allocated: each set's
// accumulator state (top-k and quantile samples with per-position values, histograms; O(units × k × positions)),
// a mid-pass checkpoint's copy of those states, the hook tensors of the batches alive at once (one being fed,
// one being inferred, and onnxruntime's own copy of the outputs the binding copies), and the model (each tower's
// graph bytes, held by the runner, plus its cache of sessions, each counted at the graph's size). A build whose need exceeds
// the memory budget is refused with a typed error that names the largest sets and what would make it fit; a
// build that did not choose its batch size gets the largest default that fits.
import { totalmem } from "node:os";
import { AppError } from "@mmatlas/errors";
import { DEFAULT_MAX_SESSIONS, sessionCacheBytes, sessionCapacity } from "@mmatlas/inference";
import { HeadState } from "../pass/head-state";
import { UnitSetState } from "../pass/unit-set-state";
import type { TowerName, UnitSetPlan } from "./build-plan";

/** what the memory plan reads of a unit set (each set reads its own graph output: a hook's, or an SAE's features) */
export type MemorySet = Pick<UnitSetPlan, "key" | "kind" | "tower" | "width" | "units" | "positions">;

export interface SetMemory {
  key: string;
  tower: TowerName;
  /** accumulator state, held for the whole pass */
  stateBytes: number;
  /** graph output bytes per example of the batch tensors */
  bytesPerExample: number;
}

export interface PassMemory {
  sets: SetMemory[];
  /** all accumulator states */
  stateBytes: number;
  /** a mid-pass checkpoint's snapshot of the states (the workers' states are copied out) */
  checkpointBytes: number;
  /** the batch tensors alive at once, for the tower with the largest outputs */
  batchBytes: number;
  /** the model's graphs and cached sessions (modelMemoryBytes) */
  modelBytes: number;
  /** state + checkpoint + batches + model */
  totalBytes: number;
}

/** batches whose hook tensors are alive at once: one fed, one inferred, onnxruntime's copy of the inferred one's */
export const BATCHES_IN_MEMORY = 3;
const MAX_DEFAULT_BATCH = 128;

/** accumulator bytes of one set: a neuron/feature set's top-k, quantiles and histograms, or a head set's patterns */
export function setStateBytes(set: Pick<MemorySet, "kind" | "units" | "positions">, k: number): number {
  return set.kind === "ATTENTION_HEAD"
    ? HeadState.bytesFor(set.units, set.positions)
    : UnitSetState.bytesFor(set.units, set.positions, k);
}

/** graph output bytes per example: float32 [positions × width], or [heads × positions × positions] for patterns */
export function setOutputBytesPerExample(set: Pick<MemorySet, "kind" | "width" | "positions">): number {
  return set.kind === "ATTENTION_HEAD" ? set.width * set.positions * set.positions * 4 : set.positions * set.width * 4;
}

/**
 * A model's memory in a build: each tower's graph (the bytes the runner keeps to rewrite it) and the sessions its
 * cache may hold, each counted at the graph's size (RunnerOptions.maxSessions / maxSessionBytes defaults).
 */
export function modelMemoryBytes(graphBytes: number[], cacheBytes = sessionCacheBytes()): number {
  return graphBytes.reduce((n, g) => n + g * (1 + sessionCapacity(DEFAULT_MAX_SESSIONS, cacheBytes, g)), 0);
}

/**
 * The pass's memory at this k and batch size (towers run one after the other: the largest tower's batches count),
 * with the model's own (modelMemoryBytes) on top.
 */
export function passMemory(sets: MemorySet[], k: number, batchSize: number, modelBytes = 0): PassMemory {
  const perSet = sets.map((s): SetMemory => ({
    key: s.key,
    tower: s.tower,
    stateBytes: setStateBytes(s, k),
    bytesPerExample: setOutputBytesPerExample(s),
  }));
  const stateBytes = perSet.reduce((n, s) => n + s.stateBytes, 0);
  // a tower's sets are all read from one model call; the towers run one after the other
  const perTower = new Map<TowerName, number>();
  for (const s of perSet) perTower.set(s.tower, (perTower.get(s.tower) ?? 0) + s.bytesPerExample);
  const batchBytes = batchSize * BATCHES_IN_MEMORY * Math.max(0, ...perTower.values());
  return {
    sets: perSet,
    stateBytes,
    checkpointBytes: stateBytes,
    batchBytes,
    modelBytes,
    totalBytes: 2 * stateBytes + batchBytes + modelBytes,
  };
}

/**
 * The memory a build may plan for, in bytes: BUILD_MEMORY_LIMIT_MB when set, else 80 % of the machine's memory
 * (or of the container's limit, when it has a lower one); the 20 % left is for the process itself and the database.
 */
export function buildMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BUILD_MEMORY_LIMIT_MB;
  if (raw !== undefined && raw.trim() !== "") {
    const mb = Number(raw);
    if (!Number.isFinite(mb) || mb <= 0)
      throw AppError.badInput(`BUILD_MEMORY_LIMIT_MB must be a positive number of megabytes, got "${raw}"`);
    return Math.floor(mb * 1024 * 1024);
  }
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const machine = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(machine * 0.8);
}

/** the largest batch size ≤ `ceiling` whose pass fits the budget (null when not even one example fits) */
export function largestFittingBatch(
  sets: MemorySet[],
  k: number,
  budget: number,
  ceiling: number,
  modelBytes = 0,
): number | null {
  const one = passMemory(sets, k, 1, modelBytes);
  const fixed = one.totalBytes - one.batchBytes;
  if (one.totalBytes > budget) return null;
  if (one.batchBytes === 0) return ceiling;
  return Math.min(ceiling, Math.floor((budget - fixed) / one.batchBytes));
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 2 : 1)} GB`;

/** one line per number of the plan (CLI dry runs, job metrics, errors) */
export function describePassMemory(m: PassMemory, budget: number, batchSize: number): string {
  return (
    `accumulators ${gb(m.stateBytes)} + a checkpoint's copy ${gb(m.checkpointBytes)} + ${BATCHES_IN_MEMORY} batches ` +
    `of ${batchSize} examples' hook tensors ${gb(m.batchBytes)} + the model's graphs and sessions ` +
    `${gb(m.modelBytes)} = ${gb(m.totalBytes)} (budget ${gb(budget)})`
  );
}

/**
 * The batch size the build runs at: the one asked for when it fits, else (when none was asked for) the largest
 * default that fits. Throws a BAD_USER_INPUT naming the memory, the largest sets and the remedies when nothing fits.
 */
export function fitBatchSize(
  sets: MemorySet[],
  params: { k: number; batchSize: number; batchSizeChosen: boolean },
  budget = buildMemoryBudget(),
  modelBytes = 0,
): number {
  const asked = passMemory(sets, params.k, params.batchSize, modelBytes);
  if (asked.totalBytes <= budget) return params.batchSize;
  const ceiling = Math.min(params.batchSize, MAX_DEFAULT_BATCH);
  const fitting = largestFittingBatch(sets, params.k, budget, ceiling, modelBytes);
  if (fitting !== null && !params.batchSizeChosen) return fitting;
  const largest = [...asked.sets]
    .sort((a, b) => b.stateBytes - a.stateBytes)
    .slice(0, 3)
    .map((s) => `${s.key} ${gb(s.stateBytes)}`)
    .join(", ");
  const remedies = [
    fitting !== null ? `--batch-size ${fitting} (batchSize)` : null,
    "fewer hooks or SAEs per build",
    params.k > 5 ? `a smaller k (now ${params.k})` : null,
    "maxUnits to study only each hook's first units",
    "BUILD_MEMORY_LIMIT_MB on a machine with more memory",
  ].filter(Boolean);
  throw AppError.badInput(
    `this build needs more memory than it may use: ${describePassMemory(asked, budget, params.batchSize)}. ` +
      `Largest accumulator states: ${largest}. Try ${remedies.join("; ")}`,
    fitting !== null ? "batchSize" : "hooks",
  );
}
