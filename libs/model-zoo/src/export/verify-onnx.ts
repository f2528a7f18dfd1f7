// Numeric check of the exported ONNX towers: onnxruntime output (embeddings and hook tensors) vs the tfjs forward pass.
import * as ort from "onnxruntime-node";
import { onnx } from "onnx-proto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toNchw, tokenizeBatch } from "../model/batch";
import type { ClipShapesConfig } from "../model/config";
import type { ClipShapesTf } from "../model/embed";
import { IMAGE_INPUT, IMAGE_OUTPUT, TEXT_INPUT, TEXT_OUTPUT } from "./clip-onnx";
import { hookPoints } from "./manifest";

export interface OnnxCheck {
  maxAbsDiff: number;
  perTensor: Record<string, number>;
}

/** ONNX bytes with extra graph outputs added (name only, as @mmatlas/inference does). */
export function withOutputs(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  for (const n of names) m.graph!.output!.push(onnx.ValueInfoProto.create({ name: n }));
  return onnx.ModelProto.encode(m).finish();
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Run both ONNX graphs in `dir` on the images/texts and compare every output and hook tensor with tfjs. */
export async function compareOnnxWithTf(
  dir: string,
  c: ClipShapesConfig,
  model: ClipShapesTf,
  images: Uint8Array[],
  texts: string[],
): Promise<OnnxCheck> {
  const perTensor: Record<string, number> = {};
  const hooks = hookPoints(c);
  for (const tower of ["VISION", "TEXT"] as const) {
    const names = hooks.filter((h) => h.tower === tower).map((h) => h.name);
    const file = tower === "VISION" ? "image.onnx" : "text.onnx";
    const session = await ort.InferenceSession.create(withOutputs(readFileSync(join(dir, file)), names));
    let feeds: Record<string, ort.Tensor>, ref: ReturnType<ClipShapesTf["embedImages"]>, out: string;
    if (tower === "VISION") {
      feeds = {
        [IMAGE_INPUT]: new ort.Tensor("float32", toNchw(images, c.imageSize), [
          images.length,
          3,
          c.imageSize,
          c.imageSize,
        ]),
      };
      ref = model.embedImages(images, names);
      out = IMAGE_OUTPUT;
    } else {
      const ids = tokenizeBatch(texts, c.textSeqLen);
      feeds = {
        [TEXT_INPUT]: new ort.Tensor("int64", BigInt64Array.from(Array.from(ids, (v) => BigInt(v))), [
          texts.length,
          c.textSeqLen,
        ]),
      };
      ref = model.embedTexts(texts, names);
      out = TEXT_OUTPUT;
    }
    const res = await session.run(feeds);
    perTensor[out] = maxDiff(res[out].data as Float32Array, ref.embeds);
    for (const n of names) {
      const got = res[n];
      const want = ref.hooks[n];
      perTensor[n] =
        got.dims.join(",") === want.shape.join(",") ? maxDiff(got.data as Float32Array, want.data) : Infinity;
    }
    await session.release();
  }
  return { maxAbsDiff: Math.max(...Object.values(perTensor)), perTensor };
}
