// @mmatlas/probe: live probing of a model — an uploaded image or typed text → a unit's activation with its
// patch/token heatmap, the top units of a layer or SAE, and steering (a unit's direction added at its hook →
// zero-shot class probabilities and nearest captions before vs after). Runners are cached per model.
export { probe } from "./probe";
export type { ProbeInput, ProbeOptions, ProbeResult, ProbeTopUnit, ProbeUnitActivation } from "./probe";
export { ProbeRegistry, probeRegistryFor, type ProbeRegistryOptions } from "./registry";
export { ProbeModelRunner, type ProbeModelRows, type ProbeRunnerOptions, type TowerActivations } from "./model-runner";
export { probeSteer, type SteerInput, type SteerOptions, type SteerResult } from "./steer";
export { maxImageBytes, probeLimits, formatBytes, DEFAULT_MAX_IMAGE_BYTES, type ProbeLimits } from "./decode-input";
export {
  DEFAULT_LENS_CONCEPTS,
  LENS_TOP_K,
  MAX_LENS_TEXTS,
  type LensCellResult,
  type LensConcept,
  type LensLayer,
  type ProbeLogitLens,
} from "./logit-lens";
export type { LensUnavailableReason } from "./lens-weights";
