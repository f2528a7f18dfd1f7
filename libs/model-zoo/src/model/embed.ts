// Batched tfjs inference of CLIP-shapes from host weights: embeddings and (optionally) hook activations.
import * as tf from "@tensorflow/tfjs";
import { patchify, tokenizeBatch } from "./batch";
import type { ClipShapesConfig } from "./config";
import { causalMask, imageTower, l2normalize, textTower, type Hooks } from "./forward";
import { toTensors, type HostWeights } from "./params";

export interface TowerOutput {
  /** L2-normalized embeddings, row-major [count, embedDim]. */
  embeds: Float32Array;
  /** Requested hook activations, row-major, concatenated over batches. */
  hooks: Record<string, { shape: number[]; data: Float32Array }>;
}

export class ClipShapesTf {
  private readonly p: Record<string, tf.Tensor>;
  constructor(
    readonly config: ClipShapesConfig,
    weights: HostWeights,
  ) {
    this.p = toTensors(weights);
  }

  /** Embed RGB images (32×32×3 bytes each). */
  embedImages(images: readonly Uint8Array[], hookNames: readonly string[] = [], batch = 256): TowerOutput {
    const c = this.config,
      N = c.gridSize * c.gridSize,
      P = c.patchSize * c.patchSize * 3;
    return this.run(images.length, batch, hookNames, (s, e, hooks) =>
      imageTower(c, this.p, tf.tensor3d(patchify(c, images.slice(s, e)), [e - s, N, P]), hooks),
    );
  }

  /** Embed texts with the word tokenizer. */
  embedTexts(texts: readonly string[], hookNames: readonly string[] = [], batch = 256): TowerOutput {
    const c = this.config;
    return this.run(texts.length, batch, hookNames, (s, e, hooks) =>
      textTower(
        c,
        this.p,
        tf.tensor2d(tokenizeBatch(texts.slice(s, e), c.textSeqLen), [e - s, c.textSeqLen], "int32"),
        hooks,
        causalMask(c.textSeqLen),
      ),
    );
  }

  private run(
    count: number,
    batch: number,
    hookNames: readonly string[],
    fwd: (s: number, e: number, hooks: Hooks) => tf.Tensor,
  ): TowerOutput {
    const embeds: Float32Array[] = [];
    const parts: Record<string, { shape: number[]; chunks: Float32Array[] }> = {};
    for (let s = 0; s < count; s += batch) {
      const e = Math.min(count, s + batch);
      tf.tidy(() => {
        const hooks: Hooks = {};
        embeds.push(l2normalize(fwd(s, e, hooks)).dataSync() as Float32Array);
        for (const name of hookNames) {
          const t = hooks[name];
          if (!t) throw new Error(`unknown hook point ${name}`);
          const entry = (parts[name] ??= { shape: t.shape.slice(1), chunks: [] });
          entry.chunks.push(t.dataSync() as Float32Array);
        }
      });
    }
    const hooks: TowerOutput["hooks"] = {};
    for (const [name, { shape, chunks }] of Object.entries(parts))
      hooks[name] = { shape: [count, ...shape], data: concat(chunks) };
    return { embeds: concat(embeds), hooks };
  }

  dispose(): void {
    tf.dispose(Object.values(this.p));
  }
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
