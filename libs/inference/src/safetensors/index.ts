// Public surface of the safetensors reader/writer.
export { readSafetensors } from "./read";
export { writeSafetensors, writeSafetensorsFile } from "./write";
export { f16BitsToNumber, numberToF16Bits, bf16BitsToNumber, numberToBf16Bits } from "./half";
export type { DecodedTensor, SafetensorsDtype, SafetensorsFile, TensorToWrite } from "./types";
