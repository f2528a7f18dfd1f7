// Public surface of the ONNX graph tools.
export {
  decodeModel,
  encodeModel,
  readableTensorNames,
  graphInputs,
  graphOutputNames,
  opsetVersion,
  type OnnxModel,
  type GraphInputInfo,
} from "./model";
export { exposeTensors, assertTensorsExist } from "./expose-tensors";
export { insertIntervention, interventionPorts, type InterventionPorts } from "./insert-intervention";
export { appendSaeEncoder } from "./append-sae-encoder";
export {
  requestedExecutionProvider,
  createSessionWithFallback,
  type ExecutionProviderName,
  type Logger,
  type SessionTuning,
} from "./execution-provider";
export { unfoldAttentionHeads } from "./unfold-heads";
export { extractTower, type ExtractOptions } from "./extract-tower";
