// The two weight-carrying patterns of a CLIP transformer in an ONNX graph, matched by structure (op types and
// which operands are constants), never by names:
// - a linear layer: MatMul / Gemm with a constant 2-D weight, optionally followed by an Add of a constant bias
//   (torch.onnx.export stores nn.Linear weights transposed, [in, out], often as anonymous `onnx::MatMul_N`);
// - a LayerNorm: the LayerNormalization op, or the decomposition torch exports below opset 17:
//   Sub(x, ReduceMean(x)) → Div/Mul by the deviation → Mul(gain) → Add(bias).
import type { ConstTensor, GraphIndex } from "./graph-index";

export interface Linear {
  /** weight in [in, out] layout (Gemm transB and Transpose nodes already undone) */
  weight: ConstTensor;
  bias?: ConstTensor;
  /** the data input (x in x·W) */
  input: string;
  /** the layer's output (after the bias Add, when there is one) */
  output: string;
  /** node index of the MatMul / Gemm */
  node: number;
}

export interface LayerNorm {
  gain: ConstTensor;
  bias?: ConstTensor;
  input: string;
  output: string;
}

const MATMULS = new Set(["MatMul", "Gemm"]);

function transposed(c: ConstTensor): ConstTensor {
  const [r, k] = c.dims;
  return {
    ...c,
    dims: [k, r],
    read: () => {
      const d = c.read(),
        out = new Float32Array(r * k);
      for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j * r + i] = d[i * k + j];
      return out;
    },
  };
}

const attr = (g: GraphIndex, node: number, name: string) =>
  Number(g.nodes[node].attribute?.find((a) => a.name === name)?.i ?? 0);

/** The linear layer whose MatMul/Gemm is node `i`, or undefined when its weight is not a constant 2-D tensor. */
export function linearAt(g: GraphIndex, i: number): Linear | undefined {
  const n = g.nodes[i];
  if (!MATMULS.has(n.opType!) || !n.input?.[1]) return undefined;
  let weight = g.constant(n.input[1]);
  if (!weight || weight.dims.length !== 2 || g.isConstant(n.input[0])) return undefined;
  let bias: ConstTensor | undefined;
  let output = n.output![0];
  if (n.opType === "Gemm") {
    if (attr(g, i, "transA")) return undefined;
    if (attr(g, i, "transB")) weight = transposed(weight);
    if (n.input[2]) bias = g.constant(n.input[2]);
  } else {
    const add = g.consumers(output).map((c) => g.nodes[c]);
    const biasAdd = add.length === 1 && add[0].opType === "Add" ? add[0] : undefined;
    const other = biasAdd?.input?.find((x) => x !== output);
    const b = other ? g.constant(other) : undefined;
    if (biasAdd && b && b.dims.length === 1 && b.dims[0] === weight.dims[1]) {
      bias = b;
      output = biasAdd.output![0];
    }
  }
  return { weight, bias, input: n.input[0], output, node: i };
}

/** The linear layer whose output (after its bias) is `t`, or undefined. */
export function linearInto(g: GraphIndex, t: string): Linear | undefined {
  const p = g.producer(t);
  if (p === undefined) return undefined;
  const n = g.nodes[p];
  if (MATMULS.has(n.opType!)) return linearAt(g, p);
  if (n.opType !== "Add") return undefined;
  for (const x of n.input ?? []) {
    const q = x ? g.producer(x) : undefined;
    if (q === undefined || !MATMULS.has(g.nodes[q].opType!)) continue;
    const lin = linearAt(g, q);
    if (lin?.output === t) return lin;
  }
  return undefined;
}

/** The linear layers reading `t` (directly or through Cast / Identity). */
export function linearsFrom(g: GraphIndex, t: string): Linear[] {
  const out: Linear[] = [];
  const queue = [t];
  for (let k = 0; k < queue.length && k < 16; k++)
    for (const c of g.consumers(queue[k])) {
      const n = g.nodes[c];
      if (MATMULS.has(n.opType!) && n.input![0] === queue[k]) {
        const lin = linearAt(g, c);
        if (lin) out.push(lin);
      } else if (n.opType === "Cast" || n.opType === "Identity") queue.push(n.output![0]);
    }
  return out;
}

const vector = (g: GraphIndex, t: string | undefined, width: number) => {
  const c = t ? g.constant(t) : undefined;
  return c && c.dims.length === 1 && c.dims[0] === width ? c : undefined;
};

/** The LayerNorm whose output is `t` (`width` = the normalized dimension), or undefined. */
export function layerNormInto(g: GraphIndex, t: string, width: number): LayerNorm | undefined {
  const p = g.producer(t);
  if (p === undefined) return undefined;
  const n = g.nodes[p];
  if (n.opType === "LayerNormalization") {
    const gain = vector(g, n.input![1], width);
    return gain ? { gain, bias: vector(g, n.input![2], width), input: n.input![0], output: t } : undefined;
  }
  // Add(Mul(normalized, gain), bias), or Mul(normalized, gain) alone
  let bias: ConstTensor | undefined;
  let mul = n;
  if (n.opType === "Add") {
    const bi = n.input!.findIndex((x) => vector(g, x, width));
    if (bi < 0) return undefined;
    bias = vector(g, n.input![bi], width);
    const q = g.producer(n.input![1 - bi]);
    if (q === undefined) return undefined;
    mul = g.nodes[q];
  }
  if (mul.opType !== "Mul") return undefined;
  const gi = mul.input!.findIndex((x) => vector(g, x, width));
  if (gi < 0) return undefined;
  const gain = vector(g, mul.input![gi], width)!;
  const input = normalizedInput(g, mul.input![1 - gi]);
  return input ? { gain, bias, input, output: t } : undefined;
}

/** x when `t` is (x − mean(x)) / deviation (Div, or Mul by a reciprocal), else undefined. */
function normalizedInput(g: GraphIndex, t: string): string | undefined {
  const p = g.producer(t);
  if (p === undefined) return undefined;
  const n = g.nodes[p];
  if (n.opType !== "Div" && n.opType !== "Mul") return undefined;
  for (const x of n.input ?? []) {
    const s = x ? g.producer(x) : undefined;
    if (s === undefined || g.nodes[s].opType !== "Sub") continue;
    const [a, m] = g.nodes[s].input!;
    const r = g.producer(m);
    if (r !== undefined && g.nodes[r].opType === "ReduceMean" && g.nodes[r].input![0] === a) return a;
  }
  return undefined;
}

/** The LayerNorm reading `x`, or undefined. */
export function layerNormFrom(g: GraphIndex, x: string, width: number): LayerNorm | undefined {
  // from x, walk the LayerNorm forward (at most 8 nodes) to its output and match it backwards
  const queue: [string, number][] = [[x, 0]];
  const seen = new Set<string>();
  while (queue.length) {
    const [t, depth] = queue.shift()!;
    for (const c of g.consumers(t)) {
      const n = g.nodes[c];
      for (const o of n.output ?? []) {
        if (!o || seen.has(o)) continue;
        seen.add(o);
        if (n.opType === "LayerNormalization" || n.opType === "Add" || n.opType === "Mul") {
          const ln = layerNormInto(g, o, width);
          if (ln?.input === x && !ln.bias) {
            // the gain Mul: take its bias Add when there is one
            for (const a of g.consumers(o)) {
              const withBias = layerNormInto(g, g.nodes[a].output![0], width);
              if (withBias?.input === x) return withBias;
            }
          }
          if (ln?.input === x) return ln;
        }
        if (depth < 8 && n.opType !== "MatMul" && n.opType !== "Gemm") queue.push([o, depth + 1]);
      }
    }
  }
  return undefined;
}
