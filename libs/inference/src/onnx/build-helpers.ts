// Small onnx-proto constructors used by graph surgery (nodes, float/int64 initializers, value infos) and by the
// project's own small graphs (standaloneModel).
import { onnx } from "onnx-proto";
import { encodeModel } from "./model";

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;
export const INT32 = onnx.TensorProto.DataType.INT32;

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attribute: onnx.IAttributeProto[] = [],
): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute });
}

export function floatTensor(name: string, dims: number[], data: Float32Array): onnx.TensorProto {
  const copy = new Float32Array(data); // own buffer, little-endian on x86/arm
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(copy.buffer) });
}

export function int64Tensor(name: string, values: number[]): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: INT64, int64Data: values });
}

export function attrInt(name: string, i: number): onnx.AttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
}

export function floatValueInfo(name: string, shape?: (number | string)[]): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: shape
          ? { dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) }
          : undefined,
      },
    },
  });
}

/** A graph of the project's own (matrix products), encoded as a model at IR 8 / opset 13. */
export function standaloneModel(graph: onnx.IGraphProto): Uint8Array {
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: "mmatlas",
      opsetImport: [{ domain: "", version: 13 }],
      graph,
    }),
  );
}
