// @mmatlas/probe: live probing of a model — an uploaded image or typed text → a unit's activation with its
// patch/token heatmap, and the top units of a layer or SAE. Runners (onnxruntime sessions) are cached per model.
export { probe, DEFAULT_TOP_N, MAX_TOP_N } from "./probe";
export type { ProbeInput, ProbeOptions, ProbeResult, ProbeTopUnit, ProbeUnitActivation } from "./probe";
export { ProbeRegistry, probeRegistryFor, type ProbeRegistryOptions } from "./registry";
export { ProbeModelRunner, type ProbeModelRows, type ProbeRunnerOptions, type TowerActivations } from "./model-runner";
export { decodeBase64Image, checkProbeText, maxImageBytes, maxImagePixels, probeLimits, formatBytes, DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS, PROBE_IMAGE_FORMATS, MAX_TEXT_CHARS, type ProbeLimits } from "./decode-input";
export { prepareProbeImage, SHRINK_FACTOR, type PrepareImageOptions } from "./prepare-image";
export { unitColumn, headRow, headActivation, headMaxima, maxOf, maxOverPositions, topN, type RankedUnit } from "./unit-values";
export { imageFormat, imageSize, type ImageFormat, type ImageSize } from "./image-header";
