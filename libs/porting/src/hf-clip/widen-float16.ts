// Widens a half-precision ONNX graph (transformers.js' *_fp16.onnx, made by onnxconverter-common's
// convert_float_to_float16) to float32 in place: float16 initializers and constants take their exact float32
// values, Casts (and `dtype` attributes) to float16 become float32, and float16 graph inputs, outputs and value infos
// float32. The model keeps its float16 weights; its activations are computed (and hooked) in float32, which the
// atlas reads and CPUs run fastest.
import { AppError } from "@mmatlas/errors";
import type { OnnxModel } from "@mmatlas/inference";
import { float16ToFloat32 } from "./dequantize";

const FLOAT = 1;
const FLOAT16 = 10;

type Graph = NonNullable<OnnxModel["graph"]>;
type TensorProto = NonNullable<Graph["initializer"]>[number];
type Attribute = NonNullable<NonNullable<Graph["node"]>[number]["attribute"]>[number];

/** A float16 tensor proto → float32 in place; whether it was float16. Raw data of an odd length is a BAD_INPUT. */
function widenTensor(t: TensorProto, label: string): boolean {
  if (Number(t.dataType) !== FLOAT16) return false;
  const raw = t.rawData;
  if (raw && raw.byteLength % 2)
    throw AppError.badInput(
      `${label}: float16 tensor ${JSON.stringify(t.name ?? "")} has ${raw.byteLength} bytes, not whole 2-byte values`,
      "path",
    );
  const bits =
    raw && raw.byteLength > 0
      ? new Uint16Array(new Uint8Array(raw).buffer) // a copy: rawData may be an unaligned view
      : Uint16Array.from((t.int32Data ?? []) as number[]); // the spec stores float16 bits in int32_data otherwise
  t.dataType = FLOAT;
  t.rawData = new Uint8Array(float16ToFloat32(bits).buffer);
  t.int32Data = [];
  return true;
}

function widenAttribute(a: Attribute, opType: string, label: string): boolean {
  let changed = false;
  if (a.t) changed = widenTensor(a.t, label) || changed;
  for (const t of a.tensors ?? []) changed = widenTensor(t, label) || changed;
  if (((opType === "Cast" && a.name === "to") || a.name === "dtype") && Number(a.i) === FLOAT16) {
    a.i = FLOAT;
    changed = true;
  }
  return changed;
}

/** Widens every float16 part of `model` (subgraphs included) to float32; returns how many parts changed. */
export function widenFloat16(model: OnnxModel, label: string): number {
  const widenGraph = (g: Graph): number => {
    let changed = 0;
    for (const t of g.initializer ?? []) if (widenTensor(t, label)) changed++;
    for (const n of g.node ?? [])
      for (const a of n.attribute ?? []) {
        if (widenAttribute(a, n.opType ?? "", label)) changed++;
        if (a.g) changed += widenGraph(a.g);
        for (const sub of a.graphs ?? []) changed += widenGraph(sub);
      }
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) {
      const tensorType = v.type?.tensorType;
      if (tensorType && Number(tensorType.elemType) === FLOAT16) {
        tensorType.elemType = FLOAT;
        changed++;
      }
    }
    return changed;
  };
  return model.graph ? widenGraph(model.graph) : 0;
}
