// Shapes of the data read from / written to safetensors files.
export type SafetensorsDtype = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** A decoded tensor: values are always widened to float32. `dtype` is the dtype stored in the file. */
export interface DecodedTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, DecodedTensor>;
  metadata: Record<string, string>;
}

/** A tensor to write. `dtype` defaults to F32. */
export interface TensorToWrite {
  shape: number[];
  data: Float32Array | ArrayLike<number>;
  dtype?: "F32" | "F16" | "BF16";
}
