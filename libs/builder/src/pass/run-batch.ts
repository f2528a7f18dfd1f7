// One streaming step: runs a batch of examples through one tower with the plan's hooks and SAEs attached, and
// feeds every unit set of that tower (neurons / SAE features → UnitSetState, heads → HeadState).
import type { Runner, RunResult, TokenizedText } from "@mmatlas/inference";
import type { TowerName, UnitSetPlan } from "../plan/build-plan";
import { examplePixels, exampleTokens, type ExampleRow } from "./examples";
import type { HeadLayout, HeadState } from "./head-state";
import { PassProfile } from "./pass-profile";
import type { UnitSetState } from "./unit-set-state";
import type { AccumulatorPool } from "./accumulator-pool";

export type SetState = { kind: "units"; state: UnitSetState } | { kind: "heads"; state: HeadState };

export function headLayout(runner: Runner, tower: TowerName, seqLen: number): HeadLayout {
  const grid = (runner.manifest.image as unknown as { gridSize?: number } | undefined)?.gridSize;
  if (tower === "VISION" && grid && grid * grid + 1 === seqLen) {
    return { layout: { kind: "grid", rows: grid, cols: grid, firstPatch: 1 }, clsPositions: [0] };
  }
  return { layout: { kind: "tokens" }, clsPositions: [] };
}

/** the hooks (neurons, heads) and SAEs one model call must produce for a tower's unit sets */
export function towerRequest(sets: UnitSetPlan[]): { hooks: string[]; saes: string[] } {
  return {
    hooks: [...new Set(sets.filter((s) => s.kind !== "SAE_FEATURE").map((s) => s.hook.name))],
    saes: sets.filter((s) => s.kind === "SAE_FEATURE").map((s) => s.dictionary!.name),
  };
}

/** a batch's model input: normalized pixels (vision) or token rows (text) */
export type TowerInput = { tower: "VISION"; pixels: Float32Array } | { tower: "TEXT"; tokens: TokenizedText[] };

/** Decodes rows into the tower's model input (images → pixels, texts → tokens). */
export function prepareInput(
  runner: Runner,
  tower: TowerName,
  rows: ExampleRow[],
  profile = new PassProfile(),
): TowerInput {
  return profile.time("decode", () =>
    tower === "VISION"
      ? { tower, pixels: examplePixels(runner, rows) }
      : { tower, tokens: exampleTokens(runner, rows) },
  );
}

/**
 * Text tensors at the tower's full positions ("declared") or at the batch's longest row ("longest": less to compute
 * and no padding back; read each set's positions with tensorPositions).
 */
export type TextPositions = "declared" | "longest";

/** How a tower call is timed and how long its text tensors come back. */
export interface TowerCallOptions {
  /** where the steps' seconds go (default: a profile nobody reads) */
  profile?: PassProfile;
  /** text tensors at the tower's positions (default "declared") or at the batch's longest row */
  textPositions?: TextPositions;
}

/** One model call over a prepared input with every hook/SAE of `sets`; returns the raw result and valid lengths. */
export async function inferTower(
  runner: Runner,
  input: TowerInput,
  sets: UnitSetPlan[],
  batchSize: number,
  { profile = new PassProfile(), textPositions = "declared" }: TowerCallOptions = {},
): Promise<{ result: RunResult; valid?: number[] }> {
  const { hooks, saes } = towerRequest(sets);
  if (input.tower === "VISION")
    return {
      result: await profile.timeAsync("inference", () => runner.runPixels(input.pixels, hooks, { saes, batchSize })),
    };
  const { tokens } = input;
  return {
    result: await profile.timeAsync("inference", () =>
      runner.runTokens(tokens, hooks, { saes, batchSize, textPositions }),
    ),
    valid: tokens.map((t) => t.eosPosition + 1),
  };
}

/** Runs one tower over rows, with every hook/SAE of `sets`; returns the raw result and valid lengths. */
export async function runTower(
  runner: Runner,
  tower: TowerName,
  rows: ExampleRow[],
  sets: UnitSetPlan[],
  batchSize: number,
  options: TowerCallOptions = {},
): Promise<{ result: RunResult; valid?: number[] }> {
  return inferTower(runner, prepareInput(runner, tower, rows, options.profile), sets, batchSize, options);
}

/** a unit set's tensor [.. × width] from a run, cut to its first `units` channels when the build limits them */
export function setTensor(set: UnitSetPlan, result: RunResult): Float32Array {
  const data = set.kind === "SAE_FEATURE" ? result.saes[set.dictionary!.name].data! : result.hooks[set.hook.name].data;
  if (set.units === set.width || set.kind === "ATTENTION_HEAD") return data;
  const rows = data.length / set.width;
  const out = new Float32Array(rows * set.units);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * set.width, r * set.width + set.units), r * set.units);
  return out;
}

/**
 * Positions per example in a set's tensor from this run: the tower's positions, or fewer for a text batch run at its
 * longest row (inferTower asks for that). Heads: the patterns' sequence length.
 */
export function tensorPositions(set: UnitSetPlan, result: RunResult, examples: number, data: Float32Array): number {
  if (set.kind === "ATTENTION_HEAD") return result.hooks[set.hook.name].dims[2] ?? set.positions;
  return examples > 0 ? data.length / (examples * set.units) : set.positions;
}

/**
 * Feeds a model call's tensors to the tower's unit sets (consumed: UnitSetState zeroes their padding in place; the
 * sets a pool owns get theirs in its workers).
 */
export function feedSets(
  runner: Runner,
  tower: TowerName,
  rows: ExampleRow[],
  sets: UnitSetPlan[],
  states: Map<string, SetState>,
  run: { result: RunResult; valid?: number[] },
  profile = new PassProfile(),
  pool: AccumulatorPool | null = null,
): void {
  const ids = rows.map((r) => r.index);
  const tensors = profile.time("accumulate.slice", () => sets.map((set) => setTensor(set, run.result)));
  // a buffer read by one set only may move to that set's worker; one that several sets read is copied
  const readers = new Map<ArrayBufferLike, number>();
  for (const t of tensors) readers.set(t.buffer, (readers.get(t.buffer) ?? 0) + 1);
  for (const [i, set] of sets.entries()) {
    const st = states.get(set.key)!;
    const data = tensors[i];
    const positions = tensorPositions(set, run.result, ids.length, data);
    if (pool?.owns(set.key)) {
      const layout = st.kind === "heads" ? headLayout(runner, tower, set.positions) : undefined;
      const transfer = readers.get(data.buffer) === 1;
      profile.time("accumulate.send", () =>
        pool.add(set.key, ids, data, { valid: run.valid, transfer, layout, positions }),
      );
    } else if (st.kind === "heads")
      profile.time("accumulate.heads", () =>
        st.state.add(ids, data, headLayout(runner, tower, set.positions), run.valid, positions),
      );
    else st.state.add(ids, data, run.valid, profile, positions);
  }
}
