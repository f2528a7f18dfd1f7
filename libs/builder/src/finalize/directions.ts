// Output directions of units in the joint embedding space, for text-alignment labels: an MLP neuron writes
// W_out[u] into the residual stream, an SAE feature its decoder row, a residual "neuron" its basis vector; the
// residual is read out through ln_final's gain and the tower's projection. Needs the model's weights file
// (TransformerLens names); returns null when the model does not ship them. Large read-outs run on onnxruntime
// (Runner.matMul). `outputDirections` gives the same directions before the read-out (in the residual stream,
// d_model wide), for decoder-cosine neighbours.
import { existsSync } from "node:fs";
import path from "node:path";
import { projectDirections } from "@mmatlas/atlas";
import { readSafetensors, type Runner, type SafetensorsFile } from "@mmatlas/inference";
import type { UnitSetPlan } from "../plan/build-plan";

const cache = new WeakMap<Runner, SafetensorsFile | null>();

function weightsOf(runner: Runner): SafetensorsFile | null {
  if (cache.has(runner)) return cache.get(runner)!;
  const file = (runner.manifest as unknown as { weights?: string }).weights;
  const full = file ? path.resolve(runner.dir, file) : null;
  const w = full && existsSync(full) ? readSafetensors(full) : null;
  cache.set(runner, w);
  return w;
}

/** [units × d_model] output directions in the residual stream (W_out rows, decoder rows), or null when unavailable. */
export function outputDirections(runner: Runner, set: UnitSetPlan): { data: Float32Array; dim: number } | null {
  if (set.kind === "SAE_FEATURE") {
    const sae = runner.sae(set.dictionary!.name);
    return { data: sae.weights.W_dec.subarray(0, set.units * sae.dIn), dim: sae.dIn };
  }
  if (set.kind !== "NEURON" || set.hookPoint.kind !== "MLP") return null;
  const w = weightsOf(runner);
  const prefix = set.tower === "VISION" ? "vision" : "text";
  const wOut = w?.tensors[`${prefix}.blocks.${set.hook.layer}.mlp.W_out`];
  if (!wOut || wOut.shape.length !== 2 || wOut.shape[0] !== set.width) return null;
  const dModel = wOut.shape[1];
  return { data: wOut.data.subarray(0, set.units * dModel), dim: dModel };
}

/**
 * Multiply-adds from which the read-out into the joint space runs on onnxruntime (Runner.matMul) rather than in
 * JavaScript: a ViT-B/32 MLP layer's 1.2 G took 2.4 s in JavaScript (docs/benchmarks.md); the built-in model's sets
 * (256 × 64 × 64 ≈ 1 M) stay in JavaScript, where a session would cost more than the product.
 */
export const JOINT_MATMUL_FROM = 25_000_000;

/** [units × embedDim] directions in the joint space, or null when unavailable. */
export async function jointDirections(
  runner: Runner,
  set: UnitSetPlan,
  matMulFrom = JOINT_MATMUL_FROM,
): Promise<{ data: Float32Array | Float64Array; dim: number } | null> {
  const w = weightsOf(runner);
  if (!w) return null;
  const prefix = set.tower === "VISION" ? "vision" : "text";
  const gain = w.tensors[`${prefix}.ln_final.w`],
    proj = w.tensors[`${prefix}.proj`];
  if (!gain || !proj || proj.shape.length !== 2) return null;
  const [dModel, dOut] = proj.shape;
  let dirs: Float32Array;
  let basis = false;
  if (set.kind === "NEURON" && set.hookPoint.kind === "RESID" && set.width === dModel) {
    dirs = new Float32Array(set.units * dModel);
    for (let u = 0; u < set.units; u++) dirs[u * dModel + u] = 1;
    basis = true; // one non-zero per row: the JavaScript product skips the zeros
  } else {
    const out = outputDirections(runner, set);
    if (!out || out.dim !== dModel) return null;
    dirs = out.data;
  }
  const gained = new Float32Array(dModel * dOut);
  for (let i = 0; i < dModel; i++)
    for (let o = 0; o < dOut; o++) gained[i * dOut + o] = gain.data[i] * proj.data[i * dOut + o];
  const data =
    !basis && set.units * dModel * dOut >= matMulFrom
      ? await runner.matMul(dirs, set.units, dModel, gained, dOut)
      : projectDirections(dirs, set.units, gained, dModel, dOut);
  return { data, dim: dOut };
}
