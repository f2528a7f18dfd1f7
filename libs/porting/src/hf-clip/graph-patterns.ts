// The two weight-carrying patterns of a CLIP transformer in an ONNX graph, matched by structure (op types and
// which operands are constants), never by names:
// - a linear layer: MatMul / Gemm with a constant 2-D weight, optionally followed by an Add of a constant bias
//   (torch.onnx.export stores nn.Linear weights transposed, [in, out], often as anonymous `onnx::MatMul_N`);
//   quantized, as onnxruntime's dynamic quantization writes it (the `*_quantized.onnx` of Optimum and
//   transformers.js): DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q, x_zp, W_zp) → Cast → Mul(·, x_scale · W_scale),
//   or its fused com.microsoft DynamicQuantizeMatMul(x, W_q, W_scale, W_zp, bias); the weight reads dequantized,
//   (W_q − W_zp) · W_scale, per tensor or per column; 4-bit (2/8-bit) blockwise com.microsoft MatMulNBits(x, B, scales,
//   zero_points?, …, bias?) as MatMul4BitsQuantizer writes it (transformers.js' *_q4.onnx). A weight behind
//   DequantizeLinear reads through GraphIndex;
// - a LayerNorm: the LayerNormalization op, or the decomposition torch exports below opset 17:
//   Sub(x, ReduceMean(x)) → Div/Mul by the deviation → Mul(gain) → Add(bias).
import { dequantizeBlockwise, dequantizeLinear } from "./dequantize";
import type { ConstTensor, GraphIndex } from "./graph-index";

export interface Linear {
  /** weight in [in, out] layout (Gemm transB and Transpose nodes already undone) */
  weight: ConstTensor;
  bias?: ConstTensor;
  /** the data input (x in x·W) */
  input: string;
  /** the layer's output (after the bias Add, when there is one) */
  output: string;
  /** node index of the MatMul / Gemm (MatMulInteger / DynamicQuantizeMatMul when quantized) */
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

/** A linear layer without its bias Add: the weight, the data input, the output, the weight-carrying node. */
type LinearCore = Omit<Linear, "output"> & { output: string };

function floatCore(g: GraphIndex, i: number): LinearCore | undefined {
  const n = g.nodes[i];
  let weight = g.constant(n.input![1]);
  if (!weight || weight.dims.length !== 2 || g.isConstant(n.input![0])) return undefined;
  let bias: ConstTensor | undefined;
  if (n.opType === "Gemm") {
    if (attr(g, i, "transA")) return undefined;
    if (attr(g, i, "transB")) weight = transposed(weight);
    if (n.input![2]) bias = g.constant(n.input![2]);
  }
  return { weight, bias, input: n.input![0], output: n.output![0], node: i };
}

/**
 * (q − zero point) · scale of the integer constant `wq`, its scale `wScale` and zero point `wZero` (optional): one
 * scale and zero point for the whole tensor, or one per index of `axis`.
 */
function dequantizedConstant(
  g: GraphIndex,
  wq: string,
  wScale: string,
  wZero: string | undefined,
  axis: number,
): ConstTensor | undefined {
  const q = g.integerConstant(wq),
    scale = g.constant(wScale),
    zero = wZero ? g.integerConstant(wZero) : undefined;
  if (!q || axis >= q.dims.length || !scale || (wZero && !zero)) return undefined;
  const fits = (dims: number[]) => [1, q.dims[axis]].includes(elementCount(dims));
  if (!fits(scale.dims) || (zero && !fits(zero.dims))) return undefined;
  return {
    dims: q.dims,
    source: q.source,
    unreadable: scale.unreadable,
    read: () => dequantizeLinear(q.read(), q.dims, scale.read(), zero?.read(), axis),
  };
}

const elementCount = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** (W_q − W_zp) · W_scale as a [in, out] weight: one scale, or one per column (out). */
function dequantizedWeight(g: GraphIndex, wq: string, wScale: string, wZero: string | undefined) {
  return g.integerConstant(wq)?.dims.length === 2 ? dequantizedConstant(g, wq, wScale, wZero, 1) : undefined;
}

/**
 * The dynamic-quantization chain around the integer op (MatMulInteger, ConvInteger) at node i:
 * DynamicQuantizeLinear(x) → op(x_q, W_q, x_zp, W_zp) → Cast → Mul(·, x_scale · W_scale). Returns x, the final
 * Mul's output and the weight's scale tensor.
 */
function integerChain(g: GraphIndex, i: number): { input: string; output: string; wScale: string } | undefined {
  const n = g.nodes[i];
  const [xq] = n.input!;
  const dql = g.producer(xq);
  if (dql === undefined || g.nodes[dql].opType !== "DynamicQuantizeLinear" || g.nodes[dql].output![0] !== xq)
    return undefined;
  const [, xScale] = g.nodes[dql].output!;
  const only = (t: string) => {
    const c = g.consumers(t);
    return c.length === 1 ? c[0] : undefined;
  };
  const cast = only(n.output![0]);
  if (cast === undefined || g.nodes[cast].opType !== "Cast") return undefined;
  const mul = only(g.nodes[cast].output![0]);
  if (mul === undefined || g.nodes[mul].opType !== "Mul") return undefined;
  const scales = g.nodes[mul].input!.find((x) => x !== g.nodes[cast].output![0]);
  const sp = scales ? g.producer(scales) : undefined;
  if (sp === undefined || g.nodes[sp].opType !== "Mul" || !g.nodes[sp].input!.includes(xScale)) return undefined;
  const wScale = g.nodes[sp].input!.find((x) => x !== xScale);
  return wScale ? { input: g.nodes[dql].input![0], output: g.nodes[mul].output![0], wScale } : undefined;
}

/** DynamicQuantizeLinear → MatMulInteger → Cast → Mul(·, x_scale · W_scale), from the MatMulInteger at node i. */
function integerCore(g: GraphIndex, i: number): LinearCore | undefined {
  const [, wq, , wZero] = g.nodes[i].input!;
  const chain = integerChain(g, i);
  const weight = chain ? dequantizedWeight(g, wq, chain.wScale, wZero) : undefined;
  if (!chain || !weight) return undefined;
  return { weight, input: chain.input, output: chain.output, node: i };
}

/**
 * The float kernel of a dynamically quantized convolution (ConvInteger at node i, in the chain above; the patch
 * embedding of a `*_quantized.onnx` vision tower): (W_q − W_zp) · W_scale, per tensor or per output channel.
 */
export function convIntegerKernel(g: GraphIndex, i: number): ConstTensor | undefined {
  const [, wq, , wZero] = g.nodes[i].input!;
  const chain = g.nodes[i].opType === "ConvInteger" ? integerChain(g, i) : undefined;
  return chain ? dequantizedConstant(g, wq, chain.wScale, wZero || undefined, 0) : undefined;
}

/**
 * The table of a quantized embedding lookup at Gather node i (onnxruntime's GatherQuant: an integer table, then a
 * DequantizeLinear of what was gathered, one scale), dequantized; undefined for any other Gather.
 */
export function gatherQuantTable(g: GraphIndex, i: number): ConstTensor | undefined {
  const n = g.nodes[i];
  if (n.opType !== "Gather" || !g.integerConstant(n.input![0])) return undefined;
  const readers = g.consumers(n.output![0]);
  const dq = readers.length === 1 ? g.nodes[readers[0]] : undefined;
  if (!dq || dq.opType !== "DequantizeLinear" || dq.input![0] !== n.output![0]) return undefined;
  const [, scale, zero] = dq.input!;
  // a per-axis scale there applies to the gathered rows' axis, not the table's: only one scale is read
  const single = (dims: number[] | undefined) => dims !== undefined && elementCount(dims) === 1;
  if (!single(g.constant(scale)?.dims) || (zero && !single(g.integerConstant(zero)?.dims))) return undefined;
  return dequantizedConstant(g, n.input![0], scale, zero || undefined, 0);
}

/** com.microsoft DynamicQuantizeMatMul(x, W_q, W_scale, W_zp?, bias?) at node i. */
function fusedIntegerCore(g: GraphIndex, i: number): LinearCore | undefined {
  const [x, wq, wScale, wZero, b] = g.nodes[i].input!;
  const weight = dequantizedWeight(g, wq, wScale, wZero || undefined);
  if (!weight || g.isConstant(x)) return undefined;
  return { weight, bias: b ? g.constant(b) : undefined, input: x, output: g.nodes[i].output![0], node: i };
}

/** com.microsoft MatMulNBits(x, B, scales, zero_points?, g_idx?, bias?) at node i: a blockwise 2/4/8-bit weight. */
function nbitsCore(g: GraphIndex, i: number): LinearCore | undefined {
  const [x, b, scalesName, zeroName, gIdx, biasName] = g.nodes[i].input!;
  const layout = {
    K: attr(g, i, "K"),
    N: attr(g, i, "N"),
    bits: attr(g, i, "bits") || 4,
    blockSize: attr(g, i, "block_size"),
  };
  const packed = g.integerConstant(b),
    scales = g.constant(scalesName),
    zero = zeroName ? g.integerConstant(zeroName) : undefined;
  if (!packed || !scales || g.isConstant(x) || !layout.K || !layout.N || !layout.blockSize) return undefined;
  const unreadable = gIdx
    ? "its MatMulNBits weight has a g_idx (act-order) input, which is not read"
    : zeroName && !zero
      ? "its MatMulNBits zero points are not packed integers"
      : scales.unreadable;
  const weight: ConstTensor = {
    dims: [layout.K, layout.N],
    source: packed.source,
    unreadable,
    read: () => dequantizeBlockwise(packed.read(), scales.read(), zero?.read(), layout),
  };
  return {
    weight,
    bias: biasName ? g.constant(biasName) : undefined,
    input: x,
    output: g.nodes[i].output![0],
    node: i,
  };
}

/** The linear (bias not yet looked for) whose weight-carrying node, or quantized chain's final Mul, is node i. */
function coreAt(g: GraphIndex, i: number): LinearCore | undefined {
  const n = g.nodes[i];
  if (!n.input?.[1]) return undefined;
  if (MATMULS.has(n.opType!)) return floatCore(g, i);
  if (n.opType === "MatMulInteger") return integerCore(g, i);
  if (n.opType === "DynamicQuantizeMatMul") return fusedIntegerCore(g, i);
  if (n.opType === "MatMulNBits") return nbitsCore(g, i);
  if (n.opType === "Mul")
    for (const x of n.input) {
      const cast = x ? g.producer(x) : undefined;
      const mmi =
        cast !== undefined && g.nodes[cast].opType === "Cast" ? g.producer(g.nodes[cast].input![0]) : undefined;
      if (mmi !== undefined && g.nodes[mmi].opType === "MatMulInteger") {
        const core = integerCore(g, mmi);
        if (core?.output === n.output![0]) return core;
      }
    }
  return undefined;
}

/**
 * The linear layer whose MatMul/Gemm (or quantized MatMulInteger chain, from either end) is node `i`, or undefined
 * when its weight is not a constant 2-D tensor.
 */
export function linearAt(g: GraphIndex, i: number): Linear | undefined {
  const core = coreAt(g, i);
  if (!core) return undefined;
  if (core.bias || g.nodes[i].opType === "Gemm") return core;
  const add = g.consumers(core.output).map((c) => g.nodes[c]);
  const biasAdd = add.length === 1 && add[0].opType === "Add" ? add[0] : undefined;
  const other = biasAdd?.input?.find((x) => x !== core.output);
  const b = other ? g.constant(other) : undefined;
  if (biasAdd && b && b.dims.length === 1 && b.dims[0] === core.weight.dims[1])
    return { ...core, bias: b, output: biasAdd.output![0] };
  return core;
}

/** The linear layer whose output (after its bias) is `t`, or undefined. */
export function linearInto(g: GraphIndex, t: string): Linear | undefined {
  const p = g.producer(t);
  if (p === undefined) return undefined;
  const n = g.nodes[p];
  if (n.opType !== "Add" || coreAt(g, p)) return coreAt(g, p) ? linearAt(g, p) : undefined;
  for (const x of n.input ?? []) {
    const q = x ? g.producer(x) : undefined;
    if (q === undefined || !coreAt(g, q)) continue;
    const lin = linearAt(g, q);
    if (lin?.output === t) return lin;
  }
  return undefined;
}

/** The linear layers reading `t` (directly, through Cast / Identity, or through a DynamicQuantizeLinear). */
export function linearsFrom(g: GraphIndex, t: string): Linear[] {
  const out: Linear[] = [];
  const queue = [t];
  const reads = (c: number, x: string) => g.nodes[c].input![0] === x;
  for (let k = 0; k < queue.length && k < 16; k++)
    for (const c of g.consumers(queue[k])) {
      const n = g.nodes[c];
      if (
        (MATMULS.has(n.opType!) || n.opType === "DynamicQuantizeMatMul" || n.opType === "MatMulNBits") &&
        reads(c, queue[k])
      ) {
        const lin = linearAt(g, c);
        if (lin) out.push(lin);
      } else if (n.opType === "DynamicQuantizeLinear" && reads(c, queue[k])) {
        for (const m of g.consumers(n.output![0]))
          if (g.nodes[m].opType === "MatMulInteger" && reads(m, n.output![0])) {
            const lin = linearAt(g, m);
            if (lin) out.push(lin);
          }
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
