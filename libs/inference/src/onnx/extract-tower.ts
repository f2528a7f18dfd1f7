// Graph surgery for joint exports (e.g. Optimum's onnx/model.onnx of a CLIPModel): keeps only what one output
// needs — the nodes it depends on, their initializers and graph inputs — as a standalone model. Graph inputs the
// caller cannot feed may be replaced by all-ones of the shape of another input (e.g. attention_mask ← ones like
// input_ids). The source model is not modified.
import { onnx } from "onnx-proto";
import { InferenceError } from "../errors";
import { node } from "./build-helpers";
import { decodeModel, encodeModel, type OnnxModel } from "./model";

export interface ExtractOptions {
  /** graph input → graph input whose shape it takes, filled with ones (in its own element type) */
  onesLike?: Record<string, string>;
}

export function extractTower(model: OnnxModel, output: string, opts: ExtractOptions = {}, label = "model"): OnnxModel {
  const out = decodeModel(encodeModel(model), label);
  const g = out.graph!;
  const nodes = g.node ?? [];
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) producer.set(o, i);
  });
  if (!(g.output ?? []).some((o) => o.name === output) && !producer.has(output))
    throw new InferenceError("BAD_MODEL", `${label}: no output "${output}"`);
  const keep = new Set<number>();
  const needed = new Set<string>();
  const stack = [output];
  while (stack.length) {
    const t = stack.pop()!;
    if (needed.has(t)) continue;
    needed.add(t);
    const p = producer.get(t);
    if (p === undefined || keep.has(p)) continue;
    keep.add(p);
    for (const x of nodes[p].input ?? []) if (x) stack.push(x);
    for (const a of nodes[p].attribute ?? [])
      if (a.g)
        throw new InferenceError("BAD_MODEL", `${label}: control-flow node "${nodes[p].name}" cannot be split out`);
  }
  const inputs = (g.input ?? []).filter((i) => needed.has(i.name!));
  const added: onnx.NodeProto[] = [];
  for (const [name, like] of Object.entries(opts.onesLike ?? {})) {
    const i = inputs.findIndex((x) => x.name === name);
    if (i < 0) continue;
    const elemType = Number(inputs[i].type?.tensorType?.elemType ?? onnx.TensorProto.DataType.INT64);
    const one = onnx.TensorProto.create({
      name: "value",
      dims: [1],
      dataType: elemType,
      ...(elemType === 1 ? { floatData: [1] } : elemType === 6 ? { int32Data: [1] } : { int64Data: [1] }),
    });
    added.push(
      node("Shape", [like], [`${name}.ones_shape`], `${name}.ones_shape`),
      node("ConstantOfShape", [`${name}.ones_shape`], [name], `${name}.ones`, [
        onnx.AttributeProto.create({ name: "value", type: onnx.AttributeProto.AttributeType.TENSOR, t: one }),
      ]),
    );
    inputs.splice(i, 1);
    if (!inputs.some((x) => x.name === like)) inputs.push((g.input ?? []).find((x) => x.name === like)!);
  }
  g.node = [...added, ...nodes.filter((_, i) => keep.has(i))];
  g.initializer = (g.initializer ?? []).filter((t) => needed.has(t.name!));
  g.input = inputs;
  g.output = (g.output ?? []).filter((o) => o.name === output);
  if (!g.output.length) g.output = [onnx.ValueInfoProto.create({ name: output })];
  g.valueInfo = (g.valueInfo ?? []).filter((v) => needed.has(v.name!));
  return out;
}
