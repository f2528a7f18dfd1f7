// Graph surgery for attention probabilities exported with the heads folded into the batch ([batch·heads, T, T],
// e.g. Hugging Face's eager CLIPAttention): appends a Reshape to [batch, heads, T, T] under a new tensor name,
// so the pattern can be read as a hook point like any other. The original tensor and its consumers are untouched.
// T is read from the tensor at run time (Shape → Slice), so a text tower still runs at any sequence length.
import { InferenceError } from "../errors";
import { attrInt, int64Tensor, node } from "./build-helpers";
import { readableTensorNames, type OnnxModel } from "./model";

/** Adds `output` = Reshape(`tensor`, [-1, heads, T, T]), T taken from `tensor`'s own shape. Mutates `model`. */
export function unfoldAttentionHeads(
  model: OnnxModel,
  tensor: string,
  heads: number,
  output: string,
  label = "model",
): void {
  const known = readableTensorNames(model);
  if (!known.has(tensor))
    throw new InferenceError("UNKNOWN_HOOK", `${label}: no tensor named "${tensor}" in the graph`);
  if (known.has(output)) throw new InferenceError("BAD_MODEL", `${label}: tensor name "${output}" is already taken`);
  const g = model.graph!;
  const at = (suffix: string) => `${output}.unfold_${suffix}`;
  g.initializer = [
    ...(g.initializer ?? []),
    int64Tensor(at("lead"), [-1, heads]),
    int64Tensor(at("from"), [1]),
    int64Tensor(at("to"), [3]),
  ];
  g.node = [
    ...(g.node ?? []),
    node("Shape", [tensor], [at("folded_shape")], at("shape_of")),
    node("Slice", [at("folded_shape"), at("from"), at("to")], [at("positions")], at("positions_of")),
    node("Concat", [at("lead"), at("positions")], [at("shape")], at("shape_concat"), [attrInt("axis", 0)]),
    node("Reshape", [tensor, at("shape")], [output], `${output}.unfold`),
  ];
}
