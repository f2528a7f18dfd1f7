// @mmatlas/inference: ONNX inference with hook points, preprocessing, tokenization, SAEs and interventions.
export { InferenceError, isInferenceError, errorReason } from "./errors";
export type { InferenceErrorCode } from "./errors";
export {
  type DecodedTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
  type TensorToWrite,
  f16BitsToNumber,
  numberToF16Bits,
  readSafetensors,
  writeSafetensors,
  writeSafetensorsFile,
} from "./safetensors";
export {
  type DimSpec,
  type HookPointSpec,
  type ImagePreprocessSpec,
  type ImageTowerSpec,
  type LoadedManifest,
  type ModelManifest,
  type OtherTokenizerSpec,
  type SaeManifestEntry,
  type TextTowerSpec,
  type TokenizerSpec,
  type Tower,
  type WordTokenizerSpec,
  loadModelManifest,
} from "./manifest";
export {
  type ExecutionProviderName,
  type ExtractOptions,
  type GraphInputInfo,
  type Logger,
  type OnnxModel,
  type SessionTuning,
  createSessionWithFallback,
  decodeModel,
  encodeModel,
  exposeTensors,
  extractTower,
  graphInputs,
  graphOutputNames,
  requestedExecutionProvider,
  unfoldAttentionHeads,
} from "./onnx";
export {
  type ImageInput,
  type RgbaImage,
  decodeImage,
  preprocessImage,
  preprocessImages,
  resizeBilinearRgb,
} from "./preprocess";
export {
  HfTokenizer,
  type HfTokenizerSpec,
  type TokenizedText,
  type Tokenizer,
  WordTokenizer,
  createTokenizer,
  loadHfTokenizer,
  readableTokens,
  splitWords,
} from "./tokenize";
export {
  type LoadSaeOptions,
  Sae,
  type SaeArchitecture,
  type SaeConfig,
  type SaeNormalization,
  type SaeWeights,
  type SparseRows,
  loadSae,
  parseSaeConfig,
} from "./sae";
export {
  type Intervention,
  type RunOptions,
  type RunResult,
  Runner,
  type RunnerOptions,
  type SaeOutput,
  type TensorOutput,
  type TextPositions,
  type TextRunResult,
  createRunner,
  DEFAULT_MAX_SESSIONS,
  neuronDirection,
  sessionCacheBytes,
  sessionCapacity,
} from "./runner";
export { closeNames } from "./util/close-names";
export { countNonFinite, describeNonFinite } from "./util/non-finite";
export { onnxMatMul, onnxRowProducts, type OnnxMatMul, type RowProductsOptions } from "./linalg";
