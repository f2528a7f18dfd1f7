// Runs images through the vision tower (batch by batch, so only one batch's patterns are in memory) and splits
// each image's embedding into its direct terms in the joint space: the embedding (layer 0's input), every head
// (c_{l,h}, libs/atlas heads/direct-contributions), every layer's b_O and every MLP (the rest of the layer's
// residual update: resid_post − resid_pre − attention). With σ of the final residual frozen, the terms plus
// proj(ln_final.b) sum to the unnormalised image embedding `z`.
import { headOutputsAt, layerNormScale, readoutBias, readoutTerm } from "@mmatlas/atlas";
import { AppError } from "@mmatlas/errors";
import type { Runner } from "@mmatlas/inference";
import type { HeadWeights } from "./head-weights";

export interface DecompositionHooks {
  /** hook reading the residual stream entering block 0 (added to the runner's manifest) */
  layerInput: string;
  /** per layer: hook_resid_post and attn.hook_pattern names */
  residPost: string[];
  pattern: string[];
  /** per layer: resid_mid (input + attention output), to check the rebuilt heads; null when the graph has none */
  residMid?: string[] | null;
  /** position of the CLS token (0 in CLIP) */
  cls: number;
}

export interface ImageDecomposition {
  n: number;
  embedDim: number;
  layers: number;
  heads: number;
  /** per layer·heads + head: e_{l,h} [n × e] */
  headTerms: Float32Array[];
  /** ‖e_t‖² per image and term [n × terms]; terms = embedding, then per layer: heads, b_O, MLP */
  norms2: Float64Array;
  terms: number;
  /** unnormalised embedding rebuilt from the terms [n × e] */
  z: Float64Array;
  /** the model's own image embeddings [n × e] */
  modelEmbeds: Float32Array;
  /** max |Σ_h c + b_O − (resid_mid − resid_pre)| / max |resid_mid − resid_pre| at CLS (null without resid_mid) */
  attentionMismatch: number | null;
  /** optional per-image residual-space terms at CLS (tests): embed [n × d], heads [n × L·H × d], bO [L × d] */
  residual?: { embed: Float64Array; heads: Float64Array; dModel: number };
}

/** Column of term `t` in norms2: 0 = embedding; per layer l: heads, then b_O, then MLP. */
export const headTermColumn = (l: number, h: number, heads: number) => 1 + l * (heads + 2) + h;

export async function decomposeImages(
  runner: Runner,
  pixels: Float32Array,
  n: number,
  w: HeadWeights,
  hooks: DecompositionHooks,
  opts: {
    batchSize: number;
    signal?: AbortSignal;
    onBatch?: (done: number) => void;
    keepResidual?: boolean;
    extraHooks?: string[];
    onHooks?: (start: number, hooks: Record<string, { data: Float32Array; dims: number[] }>) => void;
  },
): Promise<ImageDecomposition> {
  const L = w.layers.length;
  const H = w.layers[0].heads;
  const { dModel: d, embedDim: e } = w.readout;
  const per = pixels.length / n;
  const terms = 1 + L * (H + 2);
  const headTerms = Array.from({ length: L * H }, () => new Float32Array(n * e));
  const norms2 = new Float64Array(n * terms);
  const z = new Float64Array(n * e);
  const modelEmbeds = new Float32Array(n * e);
  const bias = readoutBias(w.lnFinalBias, w.readout);
  const residual = opts.keepResidual
    ? { embed: new Float64Array(n * d), heads: new Float64Array(n * L * H * d), dModel: d }
    : undefined;
  const residMid = hooks.residMid ?? null;
  const names = [
    hooks.layerInput,
    ...hooks.residPost,
    ...hooks.pattern,
    ...(residMid ?? []),
    ...(opts.extraHooks ?? []),
  ];
  let attnError = 0,
    attnScale = 0;
  for (let start = 0; start < n; start += opts.batchSize) {
    if (opts.signal?.aborted) throw new DecompositionCancelled();
    const count = Math.min(opts.batchSize, n - start);
    const out = await runner.runPixels(pixels.subarray(start * per, (start + count) * per), names, {
      batchSize: count,
    });
    opts.onHooks?.(start, out.hooks);
    if (out.embeds.dims[out.embeds.dims.length - 1] !== e)
      throw AppError.badInput(
        `the image embedding is ${String(out.embeds.dims)} wide, vision.proj gives ${e}`,
        "modelId",
      );
    modelEmbeds.set(out.embeds.data, start * e);
    const input = out.hooks[hooks.layerInput];
    const T = input.dims[input.dims.length - 2];
    if (input.dims[input.dims.length - 1] !== d)
      throw AppError.badInput(`layer 0's input is ${input.dims.join("×")}, the weights are ${d} wide`, "modelId");
    for (let b = 0; b < count; b++) {
      const a = start + b;
      const rowOf = (name: string) => {
        const t = out.hooks[name];
        const size = t.data.length / count;
        return t.data.subarray(b * size, (b + 1) * size);
      };
      const final = rowOf(hooks.residPost[L - 1]).subarray(hooks.cls * d, (hooks.cls + 1) * d);
      const sigma = layerNormScale(final, w.lnEps);
      const zRow = z.subarray(a * e, (a + 1) * e);
      zRow.set(bias);
      const add = (col: number, term: ArrayLike<number>) => {
        const r = readoutTerm(term, sigma, w.readout);
        let s = 0;
        for (let o = 0; o < e; o++) {
          zRow[o] += r[o];
          s += r[o] * r[o];
        }
        norms2[a * terms + col] = s;
        return r;
      };
      let pre = rowOf(hooks.layerInput);
      const embed = pre.subarray(hooks.cls * d, (hooks.cls + 1) * d);
      add(0, embed);
      residual?.embed.set(embed, a * d);
      for (let l = 0; l < L; l++) {
        const post = rowOf(hooks.residPost[l]);
        const c = headOutputsAt(pre, rowOf(hooks.pattern[l]), T, hooks.cls, w.layers[l], w.lnEps);
        const mlp = new Float64Array(d);
        for (let i = 0; i < d; i++) mlp[i] = post[hooks.cls * d + i] - pre[hooks.cls * d + i] - w.bO[l][i];
        for (let h = 0; h < H; h++) {
          const ch = c.subarray(h * d, (h + 1) * d);
          headTerms[l * H + h].set(add(headTermColumn(l, h, H), ch), a * e);
          residual?.heads.set(ch, (a * L * H + l * H + h) * d);
          for (let i = 0; i < d; i++) mlp[i] -= ch[i];
        }
        if (residMid) {
          const mid = rowOf(residMid[l]);
          for (let i = 0; i < d; i++) {
            const truth = mid[hooks.cls * d + i] - pre[hooks.cls * d + i];
            let rebuilt = w.bO[l][i];
            for (let h = 0; h < H; h++) rebuilt += c[h * d + i];
            attnError = Math.max(attnError, Math.abs(rebuilt - truth));
            attnScale = Math.max(attnScale, Math.abs(truth));
          }
        }
        add(headTermColumn(l, H, H), w.bO[l]);
        add(headTermColumn(l, H + 1, H), mlp);
        pre = post;
      }
    }
    opts.onBatch?.(start + count);
  }
  const attentionMismatch = residMid ? attnError / (attnScale || 1) : null;
  return { n, embedDim: e, layers: L, heads: H, headTerms, norms2, terms, z, modelEmbeds, attentionMismatch, residual };
}

export class DecompositionCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}
