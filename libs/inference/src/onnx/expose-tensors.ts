// Graph surgery: make intermediate tensors readable by appending their names to graph.output.
import { onnx } from "onnx-proto";
import { InferenceError } from "../errors";
import { closeNamesHint } from "../util/close-names";
import { readableTensorNames, type OnnxModel } from "./model";

/** Throws UNKNOWN_HOOK (with the closest tensor names) for any name the graph does not produce. */
export function assertTensorsExist(model: OnnxModel, tensors: string[], label = "model"): void {
  const known = readableTensorNames(model);
  for (const t of tensors)
    if (!known.has(t))
      throw new InferenceError(
        "UNKNOWN_HOOK",
        `${label}: no tensor named "${t}" in the graph${closeNamesHint(t, known)}`,
      );
}

/** Appends each tensor to graph.output (name only: onnxruntime infers type and shape). Mutates `model`. */
export function exposeTensors(model: OnnxModel, tensors: string[], label = "model"): void {
  assertTensorsExist(model, tensors, label);
  const g = model.graph!;
  const outputs = new Set((g.output ?? []).map((o) => o.name));
  g.output = g.output ?? [];
  for (const t of tensors) {
    if (outputs.has(t)) continue;
    g.output.push(onnx.ValueInfoProto.create({ name: t }));
    outputs.add(t);
  }
}
