// @mmatlas/inference: ONNX inference with hook points, preprocessing, tokenization, SAEs and interventions.
export { InferenceError, isInferenceError } from "./errors";
export type { InferenceErrorCode } from "./errors";
export * from "./safetensors";
