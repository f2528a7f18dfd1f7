// Public API of @mmatlas/atlas: the pure math of the atlas builder (streaming top-k, quantile samples,
// histograms, auto-labels, label accuracy, multimodal scores, head stats, causal summaries, agreement).
export { AtlasError, isAtlasError, type AtlasErrorCode } from "./errors";
export { type ActivationBatch, type PositionReduction, reduceOverPositions } from "./util/batch";
export { SeededRng, mixSeed } from "./util/rng";
export { type RestoreMode, type SnapshotMode } from "./util/snapshot-arrays";
export { TopKTracker, type TopKOptions, type TopKEntry, type TopKSnapshot } from "./topk/top-k-tracker";
export { LogBins, type LogBinsOptions } from "./stats/log-bins";
export { type PositionSweep } from "./stats/position-sweeps";
export {
  UnitStatsAccumulator,
  type UnitStats,
  type UnitStatsOptions,
  type UnitStatsSnapshot,
} from "./stats/unit-stats";
export {
  QuantileSampler,
  type QuantileSamplerOptions,
  type QuantileResultOptions,
  type QuantileSample,
  type QuantileBand,
  type QuantileSamplerSnapshot,
} from "./quantiles/quantile-sampler";
export { type ConceptScore } from "./labels/concept-ranking";
export { clipDissectLabels, type ProbeActivations, type SoftWpmiOptions } from "./labels/clip-dissect";
export { textAlignmentLabels, projectDirections, type UnitDirections } from "./labels/text-alignment";
export {
  conceptShareLabels,
  type ShareFamily,
  type ConceptShareInput,
  type ConceptShareOptions,
  type ShareLabels,
} from "./labels/concept-share";
export { DissectionIouAccumulator, type ExampleConceptMask } from "./labels/network-dissection";
export { DissectionThresholds } from "./labels/network-dissection-threshold";
export {
  labelAccuracy,
  groundTruthConcepts,
  type LabelEvalUnit,
  type LabelAccuracyOptions,
  type LabelAccuracyRow,
  type GroundTruth,
  type TopLabel,
  type UnitVerdict,
} from "./evaluation/label-accuracy";
export { conceptRecall, type ConceptRecallRow } from "./evaluation/concept-recall";
export { ALL_LAYERS } from "./evaluation/label-accuracy";
export {
  multimodalScores,
  conceptResponses,
  MODALITIES,
  type Modality,
  type ModalityResponses,
  type MultimodalInput,
  type MultimodalResult,
  type UnitMultimodalScore,
} from "./multimodal/multimodal-score";
export { midranks } from "./scoring/rank-scores";
export { labelKey } from "./scoring/label-key";
export {
  detectionSample,
  detectionScore,
  localizationScore,
  tagDetectionScore,
  type DetectionSample,
  type DetectionSampleOptions,
  type DetectionScore,
  type LocalizationScore,
  type TagDetectionScore,
} from "./scoring/label-detection";
export {
  attentionHeadStats,
  type AttentionLayout,
  type AttentionPatterns,
  type HeadStats,
} from "./heads/attention-stats";
export {
  headOutputsAt,
  layerNormScale,
  readoutBias,
  readoutTerm,
  type HeadLayerWeights,
  type Readout,
} from "./heads/direct-contributions";
export { textSpan, type SpanText } from "./heads/textspan";
export { directShares, meanAblate, zeroShotAccuracy } from "./heads/head-share";
export {
  causalEffects,
  zeroShotScores,
  type CausalEffectEntry,
  type CausalEffectSummary,
  type ZeroShotScores,
} from "./causal/causal-effect";
export {
  krippendorffAlphaNominal,
  unitAgreement,
  type Rating,
  type RatingValue,
  type KrippendorffResult,
  type UnitAgreement,
} from "./agreement/agreement";
export { cosineTopK, type NeighbourLists } from "./neighbours/cosine-top-k";
export { correlationTopK, correlationTopKByProducts } from "./neighbours/activation-correlation";
export {
  cosineTopKByProducts,
  type BlockProducts,
  type ProductTopKOptions,
  type RowProductsFactory,
} from "./neighbours/product-top-k";
export { layoutUnitMap, type UnitMapLayout } from "./map/unit-map";
export { lensReadout, lensTopK, logitLens, type LensCell, type LensReadout } from "./lens/logit-lens";
export {
  probeGrid,
  trainLinearProbe,
  splitTrainTest,
  DEFAULT_PROBE_L2,
  DEFAULT_TEST_FRACTION,
  type LinearProbeOptions,
  type LinearProbeResult,
  type ProbeLayer,
  type ProbeFamily,
  type ProbeGridCell,
} from "./probing/linear-probe";
