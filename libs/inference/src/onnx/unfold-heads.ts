// Graph surgery for attention probabilities exported with the heads folded into the batch ([batch·heads, T, T],
// e.g. Hugging Face's eager CLIPAttention): appends a Reshape to [batch, heads, T, T] under a new tensor name,
// so the pattern can be read as a hook point like any other. The original tensor and its consumers are untouched.
import { InferenceError } from "../errors";
import { int64Tensor, node } from "./build-helpers";
import { readableTensorNames, type OnnxModel } from "./model";

/** Adds `output` = Reshape(`tensor`, [-1, heads, T, T]). Mutates `model`. */
export function unfoldAttentionHeads(
  model: OnnxModel,
  tensor: string,
  heads: number,
  seqLen: number,
  output: string,
  label = "model",
): void {
  const known = readableTensorNames(model);
  if (!known.has(tensor))
    throw new InferenceError("UNKNOWN_HOOK", `${label}: no tensor named "${tensor}" in the graph`);
  if (known.has(output)) throw new InferenceError("BAD_MODEL", `${label}: tensor name "${output}" is already taken`);
  const g = model.graph!;
  const shapeName = `${output}.unfold_shape`;
  g.initializer = [...(g.initializer ?? []), int64Tensor(shapeName, [-1, heads, seqLen, seqLen])];
  g.node = [...(g.node ?? []), node("Reshape", [tensor, shapeName], [output], `${output}.unfold`)];
}
