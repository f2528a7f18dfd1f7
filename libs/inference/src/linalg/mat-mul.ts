// Dense matrix products on onnxruntime: left [rows × inner] · right [inner × cols] as one MatMul of a graph with
// both operands as inputs, so finalize's larger products (a unit set's output directions read out into the joint
// space: 3,072 × 768 × 512 multiply-adds per ViT-B/32 MLP layer) run on MLAS, or the GPU INFERENCE_EP names,
// instead of a JavaScript loop. One session, opened on first use and reused for every shape.
import * as ort from "onnxruntime-node";
import { InferenceError } from "../errors";
import { floatValueInfo, node, standaloneModel } from "../onnx/build-helpers";
import {
  createSessionWithFallback,
  defaultLogger,
  requestedExecutionProvider,
  type ExecutionProviderName,
} from "../onnx/execution-provider";
import type { RowProductsOptions } from "./row-products";

/** product [rows × cols] = left [rows × inner] · right [inner × cols], every dimension free */
function matMulGraph(): Uint8Array {
  return standaloneModel({
    name: "mat_mul",
    input: [floatValueInfo("left", ["rows", "inner"]), floatValueInfo("right", ["inner", "cols"])],
    output: [floatValueInfo("product", ["rows", "cols"])],
    node: [node("MatMul", ["left", "right"], ["product"], "product")],
  });
}

/** A matrix product on onnxruntime (float32), and the release of its session. */
export interface OnnxMatMul {
  multiply(left: Float32Array, rows: number, inner: number, right: Float32Array, cols: number): Promise<Float32Array>;
  close(): Promise<void>;
}

export function onnxMatMul(opts: RowProductsOptions = {}): OnnxMatMul {
  const log = opts.log ?? defaultLogger;
  let opened: Promise<{ session: ort.InferenceSession; ep: ExecutionProviderName }> | null = null;
  return {
    async multiply(left, rows, inner, right, cols) {
      for (const [name, v] of Object.entries({ rows, inner, cols }))
        if (!Number.isInteger(v) || v < 1)
          throw new InferenceError("BAD_INPUT", `matrix product: ${name} must be a positive integer, got ${v}`);
      if (left.length !== rows * inner || right.length !== inner * cols)
        throw new InferenceError(
          "BAD_INPUT",
          `matrix product: ${left.length} and ${right.length} values for [${rows} × ${inner}] · [${inner} × ${cols}]`,
        );
      if (!opened) {
        const creating = createSessionWithFallback(
          matMulGraph(),
          requestedExecutionProvider(opts.ep, log),
          opts,
          log,
          "matrix product",
        );
        opened = creating;
        creating.catch(() => {
          if (opened === creating) opened = null; // a later call tries again
        });
      }
      const { session } = await opened;
      const out = await session.run({
        left: new ort.Tensor("float32", left, [rows, inner]),
        right: new ort.Tensor("float32", right, [inner, cols]),
      });
      return out.product.data as Float32Array;
    },
    async close() {
      const s = opened;
      opened = null;
      if (s) await s.then(({ session }) => session.release()).catch(() => undefined);
    },
  };
}
