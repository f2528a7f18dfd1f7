// Graph surgery: append an SAE encoder (SAELens semantics) reading a hook tensor, so onnxruntime computes
// the feature activations together with the model (same result as Sae.encode, much faster than JS).
import { InferenceError } from "../errors";
import type { Sae } from "../sae";
import { attrInt, floatTensor, FLOAT, INT32, int64Tensor, node } from "./build-helpers";
import type { OnnxModel } from "./model";

/** Dense: one [..., d_sae] output. Sparse: the k strongest features per row as `<name>.values` / `<name>.indices` (int32). */
export type SaeGraphOutput = { kind: "dense" } | { kind: "sparse"; k: number };

/** Output tensor names appended for an SAE encoder. */
export function saeGraphOutputs(outputName: string, mode: SaeGraphOutput): string[] {
  return mode.kind === "dense" ? [outputName] : [`${outputName}.values`, `${outputName}.indices`];
}

/**
 * Adds nodes computing `sae.encode(tensor)` and exposes them (see SaeGraphOutput). For TopK SAEs in sparse mode
 * the scatter into a dense tensor is skipped entirely. Mutates `model`.
 */
export function appendSaeEncoder(
  model: OnnxModel,
  tensor: string,
  sae: Sae,
  outputName: string,
  mode: SaeGraphOutput = { kind: "dense" },
): void {
  const g = model.graph!;
  const p = `sae.${outputName.replace(/[^A-Za-z0-9_.]/g, "_")}`;
  const { dIn, dSae, architecture, normalizeActivations, applyBDecToInput } = sae.cfg;
  const W = sae.weights;
  const nodes = g.node!;
  const inits = g.initializer ?? (g.initializer = []);
  let k = 0;
  const op = (type: string, inputs: string[], attrs: ReturnType<typeof attrInt>[] = [], nOut = 1): string[] => {
    const outs = Array.from({ length: nOut }, (_, i) => `${p}.${type.toLowerCase()}_${k}_${i}`);
    nodes.push(node(type, inputs, outs, `${p}.${type}_${k++}`, attrs));
    return outs;
  };
  const constant = (name: string, dims: number[], data: Float32Array) => {
    inits.push(floatTensor(`${p}.${name}`, dims, data));
    return `${p}.${name}`;
  };

  let x = tensor;
  if (normalizeActivations === "constant_norm_rescale") {
    const ones = constant("ones", [dIn, 1], new Float32Array(dIn).fill(1));
    const norm = op("Sqrt", op("MatMul", [op("Mul", [x, x])[0], ones]))[0];
    const coeff = op("Div", [constant("sqrt_d_in", [], new Float32Array([Math.sqrt(dIn)])), norm])[0];
    x = op("Mul", [x, coeff])[0];
  } else if (normalizeActivations === "layer_norm") {
    const mean = constant("mean_w", [dIn, 1], new Float32Array(dIn).fill(1 / dIn));
    const centered = op("Sub", [x, op("MatMul", [x, mean])[0]])[0];
    const varW = constant("var_w", [dIn, 1], new Float32Array(dIn).fill(1 / Math.max(1, dIn - 1)));
    const std = op("Sqrt", op("MatMul", [op("Mul", [centered, centered])[0], varW]))[0];
    x = op("Div", [centered, op("Add", [std, constant("eps", [], new Float32Array([1e-5]))])[0]])[0];
  }
  // Rows are flattened to [N, d_in] so each encoder layer is one Gemm (bias in the GEMM, no separate Add pass);
  // outputs are reshaped back to the hook's leading dims at the end.
  const int64Const = (name: string, values: number[]) => {
    inits.push(int64Tensor(`${p}.${name}`, values));
    return `${p}.${name}`;
  };
  const leadDims = op("Slice", [op("Shape", [x])[0], int64Const("lead_start", [0]), int64Const("lead_end", [-1])])[0];
  const rows = op("Reshape", [x, int64Const("rows_shape", [-1, dIn])])[0];
  const unflatten = (t: string, width: number) =>
    op("Reshape", [t, op("Concat", [leadDims, int64Const(`width_${k}`, [width])], [attrInt("axis", 0)])[0]])[0];
  // (x − b_dec)·W + b = x·W + (b − b_dec·W): the input shift is folded into the bias (one pass over x fewer)
  const linear = (wName: string, w: Float32Array, bName: string, b: Float32Array) =>
    op("Gemm", [
      rows,
      constant(wName, [dIn, dSae], w),
      constant(bName, [dSae], applyBDecToInput ? foldInputShift(b, W.b_dec, w, dIn, dSae) : b),
    ])[0];
  const topK = (input: string, kk: number) => {
    const kName = `${p}.k_${k}`;
    inits.push(int64Tensor(kName, [kk]));
    return op("TopK", [input, kName], [attrInt("axis", -1), attrInt("largest", 1), attrInt("sorted", 1)], 2);
  };
  const expose = (values2d: string, indices2d: string, kk: number) => {
    const values = unflatten(values2d, kk),
      indices = unflatten(indices2d, kk);
    op("Identity", [values]);
    nodes[nodes.length - 1].output = [`${outputName}.values`];
    op("Cast", [indices], [attrInt("to", INT32)]);
    nodes[nodes.length - 1].output = [`${outputName}.indices`];
    g.output = [...(g.output ?? []), { name: `${outputName}.values` }, { name: `${outputName}.indices` }];
  };
  if (architecture === "topk" && mode.kind === "sparse") {
    const kk = Math.min(mode.k, sae.cfg.k!);
    const [values, indices] = topK(linear("W_enc", W.W_enc, "b_enc", W.b_enc), kk);
    expose(op("Relu", [values])[0], indices, kk);
    return;
  }
  let out: string;
  if (architecture === "standard") out = op("Relu", [linear("W_enc", W.W_enc, "b_enc", W.b_enc)])[0];
  else if (architecture === "jumprelu") {
    const pre = linear("W_enc", W.W_enc, "b_enc", W.b_enc);
    const mask = op("Cast", op("Greater", [pre, constant("threshold", [dSae], W.threshold!)]), [
      attrInt("to", FLOAT),
    ])[0];
    out = op("Mul", [op("Relu", [pre])[0], mask])[0];
  } else if (architecture === "topk") {
    const pre = linear("W_enc", W.W_enc, "b_enc", W.b_enc);
    const [values, indices] = topK(pre, sae.cfg.k!);
    const zeros = op("ConstantOfShape", op("Shape", [pre]))[0];
    out = op("ScatterElements", [zeros, indices, op("Relu", [values])[0]], [attrInt("axis", -1)])[0];
  } else if (architecture === "gated") {
    const wMag = new Float32Array(W.W_enc.length);
    for (let i = 0; i < dIn; i++)
      for (let j = 0; j < dSae; j++) wMag[i * dSae + j] = W.W_enc[i * dSae + j] * Math.exp(W.r_mag![j]);
    const gate = op(
      "Cast",
      op("Greater", [linear("W_enc", W.W_enc, "b_gate", W.b_gate!), constant("zero", [], new Float32Array([0]))]),
      [attrInt("to", FLOAT)],
    )[0];
    out = op("Mul", [op("Relu", [linear("W_mag", wMag, "b_mag", W.b_mag!)])[0], gate])[0];
  } else throw new InferenceError("BAD_SAE", `cannot build an encoder for architecture ${String(architecture)}`);
  if (mode.kind === "sparse") {
    const kk = Math.min(mode.k, dSae);
    const [values, indices] = topK(out, kk);
    expose(values, indices, kk);
    return;
  }
  op("Identity", [unflatten(out, dSae)]);
  nodes[nodes.length - 1].output = [outputName];
  g.output = [...(g.output ?? []), { name: outputName }];
}

/** b − shift·W for W [dIn × dSae] (float64 accumulation): the bias that absorbs subtracting `shift` from the input. */
export function foldInputShift(
  b: Float32Array,
  shift: Float32Array,
  w: Float32Array,
  dIn: number,
  dSae: number,
): Float32Array {
  const out = new Float32Array(dSae);
  for (let j = 0; j < dSae; j++) {
    let acc = b[j];
    for (let i = 0; i < dIn; i++) acc -= shift[i] * w[i * dSae + j];
    out[j] = acc;
  }
  return out;
}
