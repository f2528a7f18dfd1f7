// Finds the hook tensors of each transformer layer of a CLIP tower in its ONNX graph by structure, not by names:
// - MLP activation (mlp.hook_post): the data input of the MLP's output projection, the one MatMul/Gemm per layer
//   whose weight is [intermediate_size, hidden_size] (quantize/cast nodes in front of it are looked through);
// - residual stream after the layer (hook_resid_post): the first Add downstream of that projection whose other
//   operand is an ancestor of the MLP input (the residual branch), past the bias Add and any dequantization;
// - attention probabilities (attn.hook_pattern): the one Softmax between the previous layer's residual Add and
//   this layer's MLP projection.
// Layers are numbered by graph order, or by the `layers.N` of node names where the export kept them
// (torch.onnx.export of Hugging Face's CLIPModel: /vision_model/encoder/layers.0/mlp/fc2/MatMul).
import type { OnnxModel } from "@mmatlas/inference";

export interface TowerGeometry {
  layers: number;
  hidden: number;
  intermediate: number;
  heads: number;
  /** tokens per example (vision: patches + class token; text: max_position_embeddings) */
  seqLen: number;
}

export interface LayerTensors {
  resid?: string;
  mlp?: string;
  softmax?: string;
}

export interface DiscoveredLayers {
  layers: LayerTensors[];
  /** what could not be found, one line each, naming the layer */
  problems: string[];
}

const LOOK_THROUGH = new Set(["DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear", "Cast", "Identity"]);
const MATMULS = new Set(["MatMul", "Gemm", "MatMulInteger", "FusedMatMul", "DynamicQuantizeMatMul", "MatMulNBits"]);

export function discoverLayers(model: OnnxModel, geo: TowerGeometry, tower: string): DiscoveredLayers {
  const nodes = model.graph!.node ?? [];
  const weights = new Map<string, number[]>();
  for (const t of model.graph!.initializer ?? []) weights.set(t.name!, (t.dims ?? []).map(Number));
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    if (n.opType === "Constant") {
      const v = n.attribute?.find((a) => a.name === "value")?.t;
      if (v) weights.set(n.output![0], (v.dims ?? []).map(Number));
    }
    for (const o of n.output ?? []) producer.set(o, i);
    for (const x of n.input ?? []) if (x) consumers.set(x, [...(consumers.get(x) ?? []), i]);
  });

  const weightDims = (t: string, depth = 0): number[] | undefined => {
    const w = weights.get(t);
    if (w) return w;
    const p = producer.get(t);
    if (p === undefined || depth > 3) return undefined;
    const n = nodes[p];
    if (n.opType === "Transpose") {
      const d = weightDims(n.input![0], depth + 1);
      return d && d.length === 2 ? [d[1], d[0]] : undefined;
    }
    if (LOOK_THROUGH.has(n.opType!)) return weightDims(n.input![0], depth + 1);
    return undefined;
  };
  const lookBack = (t: string): string => {
    for (
      let p = producer.get(t);
      p !== undefined && LOOK_THROUGH.has(nodes[p].opType!) && weightDims(t) === undefined;
      p = producer.get(t)
    )
      t = nodes[p].input![0];
    return t;
  };
  const ancestors = (t: string, limit = 50_000): Set<string> => {
    const seen = new Set<string>([t]);
    const queue = [t];
    while (queue.length && seen.size < limit) {
      const p = producer.get(queue.shift()!);
      if (p === undefined) continue;
      for (const x of nodes[p].input ?? [])
        if (x && !seen.has(x) && weightDims(x) === undefined) {
          seen.add(x);
          queue.push(x);
        }
    }
    return seen;
  };

  // MLP output projections, in graph order
  const fc2: { index: number; mlp: string; out: string; layerName?: number }[] = [];
  nodes.forEach((n, i) => {
    if (!MATMULS.has(n.opType!) || !n.input?.[1]) return;
    const intAttr = (name: string) => Number(n.attribute?.find((a) => a.name === name)?.i ?? 0);
    // MatMulNBits stores its weight packed in blocks: the [K, N] geometry is in its attributes
    let d = n.opType === "MatMulNBits" ? [intAttr("K"), intAttr("N")] : weightDims(n.input[1]);
    if (d && n.opType === "Gemm" && intAttr("transB") === 1) d = [...d].reverse();
    if (!d || d.length !== 2 || d[0] !== geo.intermediate || d[1] !== geo.hidden) return;
    const m = /layers\.(\d+)\//.exec(n.name ?? "");
    fc2.push({ index: i, mlp: lookBack(n.input[0]), out: n.output![0], layerName: m ? Number(m[1]) : undefined });
  });

  const problems: string[] = [];
  const byLayer = new Array<(typeof fc2)[number] | undefined>(geo.layers);
  const named = fc2.length > 0 && fc2.every((f) => f.layerName !== undefined);
  if (fc2.length > geo.layers && !named)
    problems.push(
      `${tower}: ${fc2.length} MLP output projections (weight [${geo.intermediate}, ${geo.hidden}]) found, config.json says ${geo.layers} layers`,
    );
  else
    fc2.forEach((f, i) => {
      const l = named ? f.layerName! : i;
      if (l < geo.layers) byLayer[l] = f;
    });

  const softmaxes = nodes.map((n, i) => (n.opType === "Softmax" ? i : -1)).filter((i) => i >= 0);
  const layers: LayerTensors[] = [];
  let previousEnd = -1;
  for (let l = 0; l < geo.layers; l++) {
    const f = byLayer[l];
    const found: LayerTensors = {};
    if (!f) {
      problems.push(
        `${tower} layer ${l}: no MLP output projection (a MatMul with a [${geo.intermediate}, ${geo.hidden}] weight) in the graph`,
      );
      layers.push(found);
      continue;
    }
    found.mlp = f.mlp;
    // residual Add: downstream of fc2, other operand an ancestor of the MLP input
    const upstream = ancestors(f.mlp);
    const queue: [string, number][] = [[f.out, 0]];
    let residIndex = -1;
    while (queue.length && !found.resid) {
      const [t, depth] = queue.shift()!;
      for (const c of consumers.get(t) ?? []) {
        const n = nodes[c];
        if (n.opType === "Add" && n.input!.some((x) => x !== t && upstream.has(x))) {
          found.resid = n.output![0];
          residIndex = c;
          break;
        }
        if (depth < 6) queue.push([n.output![0], depth + 1]);
      }
    }
    if (!found.resid)
      problems.push(
        `${tower} layer ${l}: no residual Add after the MLP output projection ${JSON.stringify(nodes[f.index].name || f.out)}`,
      );
    const inLayer = softmaxes.filter((i) => i > previousEnd && i < f.index);
    if (inLayer.length === 1) found.softmax = nodes[inLayer[0]].output![0];
    else
      problems.push(
        `${tower} layer ${l}: ${inLayer.length} Softmax nodes before its MLP (expected one: the attention probabilities)`,
      );
    previousEnd = residIndex >= 0 ? residIndex : f.index;
    layers.push(found);
  }
  return { layers, problems };
}
