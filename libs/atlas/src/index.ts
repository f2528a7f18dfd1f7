// Public API of @mmatlas/atlas: the pure math of the atlas builder (streaming top-k, quantile samples,
// histograms, auto-labels, label accuracy, multimodal scores, head stats, causal summaries, agreement).
export { AtlasError, isAtlasError, type AtlasErrorCode } from "./errors";
export { type ActivationBatch, type PositionReduction, reduceOverPositions } from "./util/batch";
export { SeededRng, mixSeed } from "./util/rng";
export { TopKTracker, DEFAULT_TOP_K, type TopKOptions, type TopKEntry, type TopKSnapshot } from "./topk/top-k-tracker";
export { LogBins, DEFAULT_LOG_BINS, type LogBinsOptions } from "./stats/log-bins";
export { UnitStatsAccumulator, type UnitStats, type UnitStatsOptions, type UnitStatsSnapshot } from "./stats/unit-stats";
export {
  QuantileSampler, DEFAULT_QUANTILE_BINS, type QuantileSamplerOptions, type QuantileResultOptions,
  type QuantileSample, type QuantileBand, type QuantileSamplerSnapshot,
} from "./quantiles/quantile-sampler";
export { topConcepts, DEFAULT_LABEL_COUNT, type ConceptScore } from "./labels/concept-ranking";
export { softWpmiScores, clipDissectLabels, type ProbeActivations, type SoftWpmiOptions } from "./labels/clip-dissect";
export { textAlignmentScores, textAlignmentLabels, projectDirections, type UnitDirections } from "./labels/text-alignment";
export {
  labelAccuracy, groundTruthConcepts, ALL_LAYERS, type LabelEvalUnit, type LabelAccuracyOptions, type LabelAccuracyRow,
  type GroundTruth, type TopLabel, type UnitVerdict,
} from "./evaluation/label-accuracy";
export {
  multimodalScores, rankMultimodalUnits, conceptResponses, MODALITIES, type Modality, type ModalityResponses,
  type MultimodalInput, type MultimodalResult, type UnitMultimodalScore,
} from "./multimodal/multimodal-score";
export { attentionHeadStats, neighbourPositions, type AttentionLayout, type AttentionPatterns, type HeadStats } from "./heads/attention-stats";
export { causalEffects, zeroShotScores, type CausalEffectEntry, type CausalEffectSummary, type ZeroShotScores } from "./causal/causal-effect";
export {
  krippendorffAlphaNominal, fleissKappa, fleissKappaFromRatings, unitAgreement, type Rating, type RatingValue,
  type KrippendorffResult, type FleissResult, type UnitAgreement,
} from "./agreement/agreement";
export {
  UnitSetAccumulator, type UnitSetAccumulatorOptions, type UnitSetBatch, type UnitSummary, type UnitSetSnapshot, type StatsGranularity,
} from "./unit-set/unit-set-accumulator";
export {
  DissectionIouAccumulator, networkDissection, NETDISSECT_DETECTOR_IOU, type ExampleConceptMask, type DissectionIouOptions,
  type ConceptIou, type DissectionUnit, type NetworkDissectionInput, type NetworkDissectionOptions, type DissectionIouSnapshot,
} from "./labels/network-dissection";
export {
  DissectionThresholds, NETDISSECT_TOP_QUANTILE, quantileFromTop, topValuesNeeded, type DissectionThresholdOptions,
  type DissectionThresholdsSnapshot,
} from "./labels/network-dissection-threshold";
export { upsampleBilinear, thresholdUpsampled, bilinearAxis, type BilinearAxis } from "./labels/network-dissection-upsample";
export { type PatchGrid } from "./labels/network-dissection-grid";
export {
  trainLinearProbe, probeGrid, splitTrainTest, featureScaling, standardizeRows, DEFAULT_PROBE_L2, DEFAULT_TEST_FRACTION,
  type LinearProbeOptions, type LinearProbeResult, type ProbeLayer, type ProbeFamily, type ProbeGridCell,
} from "./probing/linear-probe";
export {
  softmaxLossAndGradient, predictClasses, minimizeLbfgs, type SoftmaxProblem, type LbfgsOptions, type LbfgsResult,
} from "./probing/softmax-regression";
