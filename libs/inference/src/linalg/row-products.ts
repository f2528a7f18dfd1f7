// All-pairs dot products on onnxruntime: one session per matrix, a Gemm of a block of its rows against all its
// rows (the matrix is the graph's initializer, transB = 1), so finalize's similar-units pass runs on MLAS (or the
// GPU INFERENCE_EP names) instead of a JavaScript loop. Shaped as @mmatlas/atlas' RowProductsFactory.
import * as ort from "onnxruntime-node";
import { InferenceError } from "../errors";
import { attrInt, floatTensor, floatValueInfo, node, standaloneModel } from "../onnx/build-helpers";
import {
  createSessionWithFallback,
  defaultLogger,
  requestedExecutionProvider,
  type Logger,
  type SessionTuning,
} from "../onnx/execution-provider";

export interface RowProductsOptions extends SessionTuning {
  /** "cpu" (default), "cuda" or "webgpu"; defaults to INFERENCE_EP */
  ep?: string;
  log?: Logger;
}

/** A Gemm graph: scores [count × n] = block [count × dim] · rowsᵀ, with `rows` [n × dim] as its initializer. */
function productGraph(rows: Float32Array, n: number, dim: number): Uint8Array {
  return standaloneModel({
    name: "row_products",
    input: [floatValueInfo("block", ["count", dim])],
    output: [floatValueInfo("scores", ["count", n])],
    initializer: [floatTensor("rows", [n, dim], rows)],
    node: [node("Gemm", ["block", "rows"], ["scores"], "products", [attrInt("transB", 1)])],
  });
}

/** Block products of `rows` ([n × dim]) on onnxruntime: `products(start, count)` = rows[start, start + count) · rowsᵀ. */
export function onnxRowProducts(opts: RowProductsOptions = {}) {
  return async (
    rows: Float32Array,
    n: number,
    dim: number,
  ): Promise<{ products: (start: number, count: number) => Promise<Float32Array>; close(): Promise<void> }> => {
    if (rows.length !== n * dim)
      throw new InferenceError("BAD_INPUT", `row products: ${rows.length} values for ${n} × ${dim}`);
    const log = opts.log ?? defaultLogger;
    const { session } = await createSessionWithFallback(
      productGraph(rows, n, dim),
      requestedExecutionProvider(opts.ep, log),
      opts,
      log,
      "row products",
    );
    return {
      async products(start, count) {
        if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || start + count > n)
          throw new InferenceError("BAD_INPUT", `row products: rows [${start}, ${start + count}) of ${n}`);
        const block = new ort.Tensor("float32", rows.subarray(start * dim, (start + count) * dim), [count, dim]);
        const out = await session.run({ block });
        return out.scores.data as Float32Array;
      },
      close: () => session.release(),
    };
  };
}
