// @mmatlas/probe: live probing of a model — an uploaded image or typed text → a unit's activation with its
// patch/token heatmap, and the top units of a layer or SAE. Runners (onnxruntime sessions) are cached per model.
export { probe, DEFAULT_TOP_N, MAX_TOP_N } from "./probe";
export type { ProbeInput, ProbeOptions, ProbeResult, ProbeTopUnit, ProbeUnitActivation } from "./probe";
export { ProbeRegistry, probeRegistryFor, type ProbeRegistryOptions } from "./registry";
export { ProbeModelRunner, modelDirectory, type ProbeModelRows, type ProbeRunnerOptions, type TowerActivations } from "./model-runner";
export { decodeBase64Image, checkProbeText, maxImageBytes, DEFAULT_MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_TEXT_CHARS } from "./decode-input";
export { unitColumn, headRow, headActivation, headMaxima, maxOf, maxOverPositions, topN, type RankedUnit } from "./unit-values";
export { imageSize, type ImageSize } from "./image-header";
