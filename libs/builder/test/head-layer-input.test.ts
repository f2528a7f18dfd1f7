// blockInputTensor on hand-built graphs: the residual input of a pre-LN block is found through the block's Adds,
// with either operand order, past bias Adds, and from a folded-heads pattern exposed by an appended Reshape.
import { onnx } from "onnx-proto";
import { blockInputTensor, blockResidual } from "../src/head-decomposition/layer-input";

const node = (op: string, input: string[], output: string) =>
  onnx.NodeProto.create({ opType: op, input, output: [output] });

/** emb → ln_pre → x; x → ln1 → qk → softmax(pattern) → z → attn (+ b_O) → mid = x + attn; mid → mlp (+ b) → post */
function block(swap: boolean, folded: boolean) {
  const nodes = [
    node("Add", ["patches", "pos"], "emb"),
    node("LayerNormalization", ["emb", "lnpre.w"], "x"),
    node("LayerNormalization", ["x", "ln1.w"], "ln1"),
    node("MatMul", ["ln1", "W_QK"], "scores"),
    node("Softmax", ["scores"], "softmax"),
    node("MatMul", ["softmax", "ln1"], "z"),
    node("MatMul", ["z", "W_O"], "attn_mm"),
    node("Add", ["attn_mm", "b_O"], "attn"),
    node("Add", swap ? ["attn", "x"] : ["x", "attn"], "mid"),
    node("MatMul", ["mid", "W_in"], "mlp_mm"),
    node("Add", ["mlp_mm", "b_out"], "mlp"),
    node("Add", swap ? ["mlp", "mid"] : ["mid", "mlp"], "post"),
  ];
  if (folded) nodes.push(node("Reshape", ["softmax", "shape"], "pattern_unfolded"));
  const initializer = ["pos", "lnpre.w", "ln1.w", "W_QK", "W_O", "b_O", "W_in", "b_out", "shape"].map((name) =>
    onnx.TensorProto.create({ name }),
  );
  return onnx.ModelProto.create({ graph: onnx.GraphProto.create({ node: nodes, initializer }) });
}

it("finds the residual stream entering the block (after ln_pre), in either operand order", () => {
  expect(blockInputTensor(block(false, false), "post", "softmax")).toBe("x");
  expect(blockInputTensor(block(true, false), "post", "softmax")).toBe("x");
  // the Add that takes it is resid_mid (input + attention output)
  expect(blockResidual(block(true, false), "post", "softmax")).toEqual({ input: "x", mid: "mid" });
});

it("follows an appended Reshape of folded heads back to the softmax", () => {
  expect(blockInputTensor(block(false, true), "post", "pattern_unfolded")).toBe("x");
});

it("returns null when the output is not a residual sum", () => {
  expect(blockInputTensor(block(false, false), "mlp", "softmax")).toBeNull();
});
