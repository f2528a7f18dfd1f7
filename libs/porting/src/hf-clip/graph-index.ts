// An index over one ONNX graph for reading weights by structure: who produces and who consumes each tensor, and
// the constant tensors (initializers and Constant nodes), looked through the Transpose / Cast / Identity nodes an
// export may put in front of a weight, and through a DequantizeLinear of constants (a quantized weight reads as its
// dequantized float32 values; so does a float16 one). Values are read lazily (a dry run only needs the dims).
import type { OnnxModel } from "@mmatlas/inference";
import { dequantizeLinear, float16ToFloat32 } from "./dequantize";

type Node = NonNullable<NonNullable<OnnxModel["graph"]>["node"]>[number];
type TensorProto = NonNullable<NonNullable<OnnxModel["graph"]>["initializer"]>[number];

const FLOAT = 1;
const FLOAT16 = 10;
/** ONNX data types of quantized values: uint8, int8, uint16, int16, int32 */
const INTEGER_TYPES = new Set([2, 3, 4, 5, 6]);
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

/** A constant of integers (a quantized weight or its zero point): dims and a reader of its values. */
export interface IntegerConstant {
  dims: number[];
  source: string;
  read: () => Int32Array;
}

/** The raw bytes of a stored tensor as `n` elements of a typed array type (copied when unaligned). */
function rawAs<T>(raw: Uint8Array, bytes: number, make: (b: ArrayBuffer, offset: number, n: number) => T): T {
  const n = raw.byteLength / bytes;
  if (raw.byteOffset % bytes === 0) return make(raw.buffer as ArrayBuffer, raw.byteOffset, n);
  return make(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer, 0, n);
}

function readIntegers(t: TensorProto): Int32Array {
  const raw = t.rawData;
  if (!raw || raw.byteLength === 0) return Int32Array.from(t.int32Data ?? []); // the spec's field for small ints
  switch (Number(t.dataType)) {
    case 2:
      return Int32Array.from(raw);
    case 3:
      return Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    case 4:
      return Int32Array.from(rawAs(raw, 2, (b, o, n) => new Uint16Array(b, o, n)));
    case 5:
      return Int32Array.from(rawAs(raw, 2, (b, o, n) => new Int16Array(b, o, n)));
    default:
      return Int32Array.from(rawAs(raw, 4, (b, o, n) => new Int32Array(b, o, n)));
  }
}

function readProto(t: TensorProto, name: string): Pick<ConstTensor, "read" | "unreadable"> {
  if (Number(t.dataLocation ?? 0) === 1)
    return { read: () => new Float32Array(0), unreadable: `${name} is stored outside the graph (external data)` };
  if (Number(t.dataType) === FLOAT16)
    return {
      read: () => {
        const raw = t.rawData;
        if (raw && raw.byteLength > 0) return float16ToFloat32(rawAs(raw, 2, (b, o, n) => new Uint16Array(b, o, n)));
        return float16ToFloat32(t.int32Data ?? []); // the spec stores float16 bits in int32_data without raw data
      },
    };
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
    if (n.opType === "DequantizeLinear") return this.dequantized(n);
    if (n.opType === "Transpose") {
      const inner = this.constant(n.input![0], depth + 1);
      const perm = n.attribute?.find((a) => a.name === "perm")?.ints?.map(Number);
      if (!inner || inner.dims.length !== 2 || (perm && !(perm[0] === 1 && perm[1] === 0))) return undefined;
      const [r, c] = inner.dims;
      return { ...inner, dims: [c, r], read: () => transpose2d(inner.read(), r, c) };
    }
    return undefined;
  }

  /** The integer constant behind `t` (a quantized weight, or a zero point), or undefined. */
  integerConstant(t: string | undefined): IntegerConstant | undefined {
    const proto = t ? this.consts.get(t) : undefined;
    if (!proto || !INTEGER_TYPES.has(Number(proto.dataType)) || Number(proto.dataLocation ?? 0) === 1) return undefined;
    return { dims: (proto.dims ?? []).map(Number), source: t!, read: () => readIntegers(proto) };
  }

  /** DequantizeLinear(x, scale, zero_point) of constants, as the float32 constant it computes. */
  private dequantized(n: Node): ConstTensor | undefined {
    const [x, s, z] = n.input!;
    const q = this.integerConstant(x);
    const scale = this.constant(s);
    const zero = z ? this.integerConstant(z) : undefined;
    if (!q || !scale || (z && !zero)) return undefined;
    const axis = Number(n.attribute?.find((a) => a.name === "axis")?.i ?? 1);
    return {
      dims: q.dims,
      source: q.source,
      unreadable: scale.unreadable,
      read: () => dequantizeLinear(q.read(), q.dims, scale.read(), zero?.read(), axis),
    };
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
