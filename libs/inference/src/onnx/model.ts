// Decoding ONNX models with onnx-proto and reading what a graph contains (tensor names, input types/shapes).
import { onnx } from "onnx-proto";
import { InferenceError } from "../errors";

export type OnnxModel = onnx.ModelProto;

export function decodeModel(bytes: Uint8Array, label = "model"): OnnxModel {
  let model: OnnxModel;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new InferenceError("BAD_MODEL", `${label}: not a valid ONNX protobuf: ${(e as Error).message}`, { cause: e });
  }
  if (!model.graph || !model.graph.node || model.graph.node.length === 0)
    throw new InferenceError("BAD_MODEL", `${label}: ONNX model has no graph nodes`);
  return model;
}

export function encodeModel(model: OnnxModel): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Default-domain opset version of the model. */
export function opsetVersion(model: OnnxModel): number {
  const imp = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  return Number(imp?.version ?? 0);
}

/** Names a hook can read: real graph inputs and every node output. */
export function readableTensorNames(model: OnnxModel): Set<string> {
  const g = model.graph!;
  const inits = new Set((g.initializer ?? []).map((t) => t.name!));
  const names = new Set<string>();
  for (const i of g.input ?? []) if (!inits.has(i.name!)) names.add(i.name!);
  for (const n of g.node ?? []) for (const o of n.output ?? []) if (o) names.add(o);
  return names;
}

export interface GraphInputInfo {
  name: string;
  /** onnx.TensorProto.DataType value (1 = FLOAT, 6 = INT32, 7 = INT64). */
  elemType: number;
  /** Per dim: a fixed size, a symbolic name, or undefined when unknown. */
  dims: (number | string | undefined)[] | undefined;
}

/** Graph inputs that are not initializers. */
export function graphInputs(model: OnnxModel): GraphInputInfo[] {
  const g = model.graph!;
  const inits = new Set((g.initializer ?? []).map((t) => t.name!));
  return (g.input ?? [])
    .filter((i) => !inits.has(i.name!))
    .map((i) => {
      const tt = i.type?.tensorType;
      const dims = tt?.shape?.dim?.map((d) =>
        d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : d.dimParam || undefined,
      );
      return { name: i.name!, elemType: Number(tt?.elemType ?? 0), dims };
    });
}

export function graphOutputNames(model: OnnxModel): string[] {
  return (model.graph!.output ?? []).map((o) => o.name!);
}

export const ELEM_TYPE_NAMES: Record<number, string> = {
  1: "float32",
  6: "int32",
  7: "int64",
  10: "float16",
  11: "float64",
};
