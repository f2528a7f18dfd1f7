// @mmatlas/inference: ONNX inference with hook points, preprocessing, tokenization, SAEs and interventions.
export { InferenceError, isInferenceError, errorReason } from "./errors";
export type { InferenceErrorCode } from "./errors";
export * from "./safetensors";
export * from "./manifest";
export * from "./onnx";
export * from "./preprocess";
export * from "./tokenize";
export * from "./sae";
export * from "./runner";
export { closeNames } from "./util/close-names";
