// An index over one ONNX graph for reading weights by structure: who produces and who consumes each tensor, and
// the constant tensors (initializers and Constant nodes), looked through the Transpose / Cast / Identity nodes an
// export may put in front of a weight. Values are read lazily (a dry run only needs the dims).
import type { OnnxModel } from "@mmatlas/inference";

type Node = NonNullable<NonNullable<OnnxModel["graph"]>["node"]>[number];
type TensorProto = NonNullable<NonNullable<OnnxModel["graph"]>["initializer"]>[number];

const FLOAT = 1;
const LOOK_THROUGH = new Set(["Cast", "Identity"]);

/** A constant tensor: its dims and a reader of its float32 values (row-major), or why it cannot be read. */
export interface ConstTensor {
  dims: number[];
  /** the graph name of the stored tensor (for messages) */
  source: string;
  read: () => Float32Array;
  /** set when the values are not plain float32 data (quantized, external, another dtype) */
  unreadable?: string;
}

function readProto(t: TensorProto, name: string): Pick<ConstTensor, "read" | "unreadable"> {
  if (Number(t.dataLocation ?? 0) === 1)
    return { read: () => new Float32Array(0), unreadable: `${name} is stored outside the graph (external data)` };
  if (Number(t.dataType) !== FLOAT)
    return { read: () => new Float32Array(0), unreadable: `${name} has ONNX data type ${t.dataType}, not float32` };
  return {
    read: () => {
      const raw = t.rawData;
      if (raw && raw.byteLength > 0) {
        if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
        return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      }
      return Float32Array.from(t.floatData ?? []);
    },
  };
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export class GraphIndex {
  readonly nodes: Node[];
  private readonly producers = new Map<string, number>();
  private readonly consumerMap = new Map<string, number[]>();
  private readonly consts = new Map<string, TensorProto>();

  constructor(model: OnnxModel) {
    const g = model.graph!;
    this.nodes = g.node ?? [];
    for (const t of g.initializer ?? []) this.consts.set(t.name!, t);
    this.nodes.forEach((n, i) => {
      if (n.opType === "Constant") {
        const v = n.attribute?.find((a) => a.name === "value")?.t;
        if (v) this.consts.set(n.output![0], v);
      }
      for (const o of n.output ?? []) if (o) this.producers.set(o, i);
      for (const x of n.input ?? []) if (x) this.consumerMap.set(x, [...(this.consumerMap.get(x) ?? []), i]);
    });
  }

  /** Index of the node producing `t` (undefined for graph inputs and initializers). */
  producer(t: string): number | undefined {
    return this.consts.has(t) ? undefined : this.producers.get(t);
  }

  consumers(t: string): number[] {
    return this.consumerMap.get(t) ?? [];
  }

  /** The constant behind `t` (through Transpose of a 2-D constant, Cast, Identity), or undefined. */
  constant(t: string, depth = 0): ConstTensor | undefined {
    const proto = this.consts.get(t);
    if (proto) return { dims: (proto.dims ?? []).map(Number), source: t, ...readProto(proto, t) };
    const p = this.producers.get(t);
    if (p === undefined || depth > 3) return undefined;
    const n = this.nodes[p];
    if (LOOK_THROUGH.has(n.opType!)) return this.constant(n.input![0], depth + 1);
    if (n.opType === "Transpose") {
      const inner = this.constant(n.input![0], depth + 1);
      const perm = n.attribute?.find((a) => a.name === "perm")?.ints?.map(Number);
      if (!inner || inner.dims.length !== 2 || (perm && !(perm[0] === 1 && perm[1] === 0))) return undefined;
      const [r, c] = inner.dims;
      return { ...inner, dims: [c, r], read: () => transpose2d(inner.read(), r, c) };
    }
    return undefined;
  }

  isConstant(t: string): boolean {
    return this.constant(t) !== undefined;
  }

  /** Non-constant tensors upstream of `t` (t included), walking back at most `maxNodes` nodes. */
  ancestors(t: string, maxNodes = 100_000): Set<string> {
    const seen = new Set<string>([t]);
    const queue = [t];
    let visited = 0;
    while (queue.length && visited++ < maxNodes) {
      const p = this.producer(queue.shift()!);
      if (p === undefined) continue;
      for (const x of this.nodes[p].input ?? [])
        if (x && !seen.has(x) && !this.isConstant(x)) {
          seen.add(x);
          queue.push(x);
        }
    }
    return seen;
  }

  /** Node indices upstream of `t` (constants' producers included), walking back at most `maxNodes` nodes. */
  upstreamNodes(t: string, maxNodes = 100_000): number[] {
    const seen = new Set<number>();
    const queue = [t];
    while (queue.length && seen.size < maxNodes) {
      const p = this.producers.get(queue.shift()!);
      if (p === undefined || seen.has(p)) continue;
      seen.add(p);
      for (const x of this.nodes[p].input ?? []) if (x) queue.push(x);
    }
    return [...seen];
  }
}
