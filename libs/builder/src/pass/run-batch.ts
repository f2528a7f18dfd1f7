// One streaming step: runs a batch of examples through one tower with the plan's hooks and SAEs attached, and
// feeds every unit set of that tower (neurons / SAE features → UnitSetState, heads → HeadState).
import type { Runner, RunResult } from "@mmatlas/inference";
import type { TowerName, UnitSetPlan } from "../plan/build-plan";
import { examplePixels, exampleTokens, type ExampleRow } from "./examples";
import type { HeadLayout, HeadState } from "./head-state";
import type { UnitSetState } from "./unit-set-state";

export type SetState = { kind: "units"; state: UnitSetState } | { kind: "heads"; state: HeadState };

export function headLayout(runner: Runner, tower: TowerName, seqLen: number): HeadLayout {
  const grid = (runner.manifest.image as unknown as { gridSize?: number } | undefined)?.gridSize;
  if (tower === "VISION" && grid && grid * grid + 1 === seqLen) {
    return { layout: { kind: "grid", rows: grid, cols: grid, firstPatch: 1 }, clsPositions: [0] };
  }
  return { layout: { kind: "tokens" }, clsPositions: [] };
}

/** Runs one tower over rows, with every hook/SAE of `sets`; returns the raw result and valid lengths. */
export async function runTower(runner: Runner, tower: TowerName, rows: ExampleRow[], sets: UnitSetPlan[], batchSize: number): Promise<{ result: RunResult; valid?: number[] }> {
  const hooks = [...new Set(sets.filter((s) => s.kind !== "SAE_FEATURE").map((s) => s.hook.name))];
  const saes = sets.filter((s) => s.kind === "SAE_FEATURE").map((s) => s.dictionary!.name);
  if (tower === "VISION") {
    return { result: await runner.runPixels(examplePixels(runner, rows), hooks, { saes, batchSize }) };
  }
  const tokens = exampleTokens(runner, rows);
  return { result: await runner.runTokens(tokens, hooks, { saes, batchSize }), valid: tokens.map((t) => t.eosPosition + 1) };
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

export function feedSets(runner: Runner, tower: TowerName, rows: ExampleRow[], sets: UnitSetPlan[], states: Map<string, SetState>, run: { result: RunResult; valid?: number[] }): void {
  const ids = rows.map((r) => r.index);
  for (const set of sets) {
    const st = states.get(set.key)!;
    const data = setTensor(set, run.result);
    if (st.kind === "heads") st.state.add(ids, data, headLayout(runner, tower, set.positions), run.valid);
    else st.state.add(ids, data, run.valid);
  }
}
