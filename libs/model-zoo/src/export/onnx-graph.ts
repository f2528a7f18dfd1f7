// Minimal ONNX graph builder on onnx-proto: nodes with named outputs, float/int64 initializers, model bytes.
import { onnx } from "onnx-proto";

const AT = onnx.AttributeProto.AttributeType;
export type Attr = { name: string; i?: number; f?: number; ints?: number[] };
export type Dim = number | string;

function attribute(a: Attr): onnx.IAttributeProto {
  if (a.ints) return onnx.AttributeProto.create({ name: a.name, type: AT.INTS, ints: a.ints });
  if (a.f !== undefined) return onnx.AttributeProto.create({ name: a.name, type: AT.FLOAT, f: a.f });
  return onnx.AttributeProto.create({ name: a.name, type: AT.INT, i: a.i });
}

export function valueInfo(name: string, elemType: "float" | "int64", shape: Dim[]): onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: elemType === "float" ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
        shape: { dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

export class OnnxGraph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inits: onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private k = 0;

  /** Add a node; `output` is the tensor name (unique). Returns it. */
  op(opType: string, inputs: string[], output: string, attrs: Attr[] = []): string {
    if (this.names.has(output)) throw new Error(`onnx graph: tensor name ${output} used twice`);
    this.names.add(output);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: [output],
        name: `${opType}_${this.k++}`,
        attribute: attrs.map(attribute),
      }),
    );
    return output;
  }

  /** Node with several outputs (e.g. Split). */
  opMulti(opType: string, inputs: string[], outputs: string[], attrs: Attr[] = []): string[] {
    for (const o of outputs) {
      if (this.names.has(o)) throw new Error(`onnx graph: tensor name ${o} used twice`);
      this.names.add(o);
    }
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: outputs,
        name: `${opType}_${this.k++}`,
        attribute: attrs.map(attribute),
      }),
    );
    return outputs;
  }

  /** Float32 initializer. */
  float(name: string, dims: number[], data: Float32Array | number[]): string {
    const arr = data instanceof Float32Array ? data : new Float32Array(data);
    const copy = new Uint8Array(arr.byteLength);
    copy.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    this.inits.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: copy }));
    this.names.add(name);
    return name;
  }

  /** Int64 initializer (dims [] for a scalar). */
  int64(name: string, values: number[], dims: number[] = [values.length]): string {
    this.inits.push(
      onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: values }),
    );
    this.names.add(name);
    return name;
  }

  /** Serialize as an opset-17 model. */
  encode(name: string, inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[], opset = 17): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "mmatlas-model-zoo",
      opsetImport: [{ domain: "", version: opset }],
      graph: { name, node: this.nodes, initializer: this.inits, input: inputs, output: outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
