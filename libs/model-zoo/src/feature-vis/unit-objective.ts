// What feature visualization maximises: one image-tower unit per image of a batch. A unit is a neuron of a
// vision hook (mlp.hook_post or hook_resid_post channel) or a latent of an SAE on a vision hook. Units of several
// hooks/SAEs share one batch: each (hook, SAE) group contributes its members' values through a one-hot selector.
import * as tf from "@tensorflow/tfjs";
import type { SaeWeights } from "../sae/types";

export type VisTarget =
  | { kind: "neuron"; hook: string; index: number }
  /** `saeKey` names the SAE (targets with the same key share its weights) */
  | { kind: "sae"; hook: string; index: number; saeKey: string; sae: SaeWeights };

/** Key of the target (stable across batches): seeds its start image. */
export const targetKey = (t: VisTarget): string =>
  t.kind === "neuron" ? `${t.hook}/${t.index}` : `${t.hook}/${t.saeKey}/${t.index}`;

/** Hooks a target may be on: image-tower MLP outputs and residual streams. */
export const VISION_HOOK = /^vision\.blocks\.\d+\.(mlp\.hook_post|hook_resid_post)$/;

/** Throws for a target the visualizer cannot optimise (wrong hook, index out of range, SAE shape mismatch). */
export function checkTarget(t: VisTarget, hookWidth: (hook: string) => number | undefined): void {
  if (!VISION_HOOK.test(t.hook))
    throw new Error(`feature visualization: ${t.hook} is not an image-tower MLP/resid hook`);
  const width = hookWidth(t.hook);
  if (width === undefined) throw new Error(`feature visualization: unknown hook ${t.hook}`);
  const n = t.kind === "neuron" ? width : t.sae.dSae;
  if (t.kind === "sae" && t.sae.dIn !== width)
    throw new Error(`feature visualization: SAE ${t.saeKey} has d_in ${t.sae.dIn}, hook ${t.hook} is ${width} wide`);
  if (!Number.isInteger(t.index) || t.index < 0 || t.index >= n)
    throw new Error(`feature visualization: index ${t.index} is outside 0..${n - 1} for ${targetKey(t)}`);
}

interface Group {
  hook: string;
  sae?: SaeWeights;
  /** batch positions of this group's targets, and their indices */
  members: { slot: number; index: number }[];
}

/** Targets of a batch grouped by (hook, SAE). */
export function groupTargets(targets: readonly VisTarget[]): Group[] {
  const groups = new Map<string, Group>();
  targets.forEach((t, slot) => {
    const key = t.kind === "neuron" ? `n:${t.hook}` : `s:${t.hook}:${t.saeKey}`;
    const g = groups.get(key) ?? { hook: t.hook, sae: t.kind === "sae" ? t.sae : undefined, members: [] };
    g.members.push({ slot, index: t.index });
    groups.set(key, g);
  });
  return [...groups.values()];
}

/** One-hot selector [B, n]: row `slot` has a 1 at `index` for each member, other rows are 0. */
function selector(B: number, n: number, members: Group["members"]): tf.Tensor2D {
  const m = new Float32Array(B * n);
  for (const { slot, index } of members) m[slot * n + index] = 1;
  return tf.tensor2d(m, [B, n]);
}

/** Member mask [B, 1]. */
function memberMask(B: number, members: Group["members"]): tf.Tensor2D {
  const m = new Float32Array(B);
  for (const { slot } of members) m[slot] = 1;
  return tf.tensor2d(m, [B, 1]);
}

/** SAE pre-activations of all latents: (x - b_dec)·W_enc + b_enc, [B, T, dSae]. */
function saePre(x: tf.Tensor, sae: SaeWeights): tf.Tensor {
  const [B, T, D] = x.shape;
  const centred = tf.reshape(tf.sub(x, tf.tensor1d(sae.b_dec)), [B * T, D]);
  return tf.reshape(tf.add(tf.matMul(centred, tf.tensor2d(sae.W_enc, [sae.dIn, sae.dSae])), tf.tensor1d(sae.b_enc)), [
    B,
    T,
    sae.dSae,
  ]);
}

/** SAE latents as the atlas encodes them: ReLU, or (TopK) the k largest pre-activations of each row, then ReLU. */
function saeLatents(x: tf.Tensor, sae: SaeWeights): tf.Tensor {
  const pre = saePre(x, sae);
  if (sae.architecture === "standard") return tf.relu(pre);
  const [B, T, n] = pre.shape;
  const flat = tf.reshape(pre, [B * T, n]);
  const kth = tf.slice(tf.topk(flat, sae.k!).values, [0, sae.k! - 1], [-1, 1]);
  return tf.reshape(tf.relu(tf.mul(flat, tf.cast(tf.greaterEqual(flat, kth), "float32"))), [B, T, n]);
}

/**
 * Per-position values [B, T] of each slot's target. `exact`: the unit as the atlas measures it (SAE latents after
 * ReLU/TopK); otherwise the smooth surrogate that is optimised (SAE pre-activation, whose gradient never vanishes).
 */
export function targetValues(
  hooks: Record<string, tf.Tensor>,
  groups: readonly Group[],
  B: number,
  exact: boolean,
): tf.Tensor2D {
  let total: tf.Tensor | null = null;
  for (const g of groups) {
    const h = hooks[g.hook];
    if (!h) throw new Error(`feature visualization: the forward pass has no hook ${g.hook}`);
    let part: tf.Tensor;
    if (!g.sae) part = tf.sum(tf.mul(h, tf.expandDims(selector(B, h.shape[2]!, g.members), 1)), -1);
    else if (exact)
      part = tf.sum(tf.mul(saeLatents(h, g.sae), tf.expandDims(selector(B, g.sae.dSae, g.members), 1)), -1);
    else {
      // only the members' encoder columns: x·w_i - b_dec·w_i + b_i
      const W = tf.tensor2d(g.sae.W_enc, [g.sae.dIn, g.sae.dSae]);
      const cols = tf.matMul(selector(B, g.sae.dSae, g.members), W, false, true); // [B, dIn]
      const bias = tf.matMul(selector(B, g.sae.dSae, g.members), tf.reshape(tf.tensor1d(g.sae.b_enc), [-1, 1])); // [B,1]
      const pre = tf.sum(tf.mul(tf.sub(h, tf.tensor1d(g.sae.b_dec)), tf.expandDims(cols, 1)), -1); // [B, T]
      part = tf.mul(tf.add(pre, bias), memberMask(B, g.members));
    }
    total = total ? tf.add(total, part) : part;
  }
  return total as tf.Tensor2D;
}
