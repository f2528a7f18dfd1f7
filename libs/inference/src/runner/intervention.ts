// Turns an Intervention into the keep/add tensors fed to the intervention ports of a hook point.
import { InferenceError } from "../errors";
import type { HookPointSpec } from "../manifest/types";
import type { Intervention } from "./types";

export interface InterventionFeeds {
  axis: number;
  /** Shape of keep/add: [units, 1, ..., 1] so they broadcast over the trailing axes and the batch. */
  portShape: number[];
  keep: Float32Array;
  add: Float32Array;
}

export function interventionFeeds(hook: HookPointSpec, iv: Intervention): InterventionFeeds {
  const bad = (msg: string): never => {
    throw new InferenceError("BAD_INTERVENTION", `intervention on "${hook.name}": ${msg}`);
  };
  const rank = hook.shape.length;
  const axis = iv.axis ?? hook.shape.lastIndexOf(hook.width);
  if (!Number.isInteger(axis) || axis < 1 || axis >= rank) bad(`axis ${String(iv.axis)} must be in 1..${rank - 1}`);
  const units = hook.shape[axis];
  if (typeof units !== "number")
    bad(`axis ${axis} has symbolic size "${String(units)}"; pick an axis with a fixed size`);
  const n = units as number;
  const keep = new Float32Array(n).fill(1);
  for (const u of iv.ablate ?? []) {
    if (!Number.isInteger(u) || u < 0 || u >= n) bad(`ablated unit ${u} out of range 0..${n - 1}`);
    keep[u] = 0;
  }
  const add = new Float32Array(n);
  if (iv.add !== undefined) {
    if (iv.add.length !== n) bad(`add has ${iv.add.length} values, axis ${axis} has ${n} units`);
    const scale = iv.scale ?? 1;
    if (!Number.isFinite(scale)) bad(`scale must be a finite number`);
    for (let i = 0; i < n; i++) add[i] = Number(iv.add[i]) * scale;
  }
  if (!iv.ablate?.length && iv.add === undefined) bad(`give "ablate" and/or "add"`);
  return { axis, portShape: [n, ...new Array(rank - 1 - axis).fill(1)], keep, add };
}

/** One-hot direction of a neuron (basis vector), for steering a single unit. */
export function neuronDirection(width: number, unit: number): Float32Array {
  if (!Number.isInteger(unit) || unit < 0 || unit >= width)
    throw new InferenceError("BAD_INTERVENTION", `unit ${unit} out of range 0..${width - 1}`);
  const v = new Float32Array(width);
  v[unit] = 1;
  return v;
}
