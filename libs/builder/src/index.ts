// Public API of @mmatlas/builder: the atlas build pipeline. One entry point for workers (executeJob), job
// creation/cancellation, the in-process job queue, dataset ingest, and the default atlas of the built-in model.
export { executeJob, type ExecuteJobOptions } from "./jobs/execute-job";
export { RUNNABLE_JOB_KINDS } from "./jobs/job-kinds";
export {
  createAtlasBuildJob,
  planAtlasBuild,
  queueAtlasBuild,
  cancelJob,
  type AtlasBuildInput,
  type AtlasBuildPlanSummary,
} from "./jobs/create-job";
export {
  buildMemoryBudget,
  describePassMemory,
  passMemory,
  type MemorySet,
  type PassMemory,
  type SetMemory,
} from "./plan/memory-plan";
export { formatBuildPlan } from "./plan/format-build-plan";
export {
  findJob,
  listJobs,
  jobFigures,
  jobProgressTopic,
  progressOfJob,
  JOB_STATUSES_TERMINAL,
  type JobFigures,
} from "./jobs/job-reads";
export { InProcessJobQueue, requeueStaleJobs, type JobQueue, type InProcessJobQueueOptions } from "./jobs/runner";
export { buildDefaultAtlas, type DefaultAtlasOptions, type DefaultAtlasResult } from "./default-atlas";
export { type AtlasBuildParams } from "./params";
export { ingestShapesDataset, DEFAULT_SHAPES_DATASET, type ShapesDatasetOptions } from "./dataset/ingest-shapes";
export type { JobProgress, BuildPhase } from "./run/progress";
export { autoLabelsOf, histogramOf, type AutoLabel, type Histogram } from "./finalize/stored-stats";
export { createScoreLabelsJob, type ScoreLabelsParams } from "./scoring/score-job";
export { latestLabelScoringJob } from "./scoring/score-after-build";
export { LabelRescoreScheduler, type LabelRescoreSchedulerOptions } from "./scoring/rescore-scheduler";
export {
  probeModelOnExamples,
  ProbeCancelled,
  type ProbeCell,
  type ProbeModelOptions,
  type ProbeModelProgress,
  type ProbeModelResult,
  type ProbeTower,
} from "./probing/probe-model";
export {
  createProbeConceptsJob,
  validateProbeRequest,
  activeProbeJob,
  loadProbeExamples,
  type ProbeConceptsParams,
} from "./probing/probe-job";
export { familyLabelsOfTags, type FamilyLabels, type ProbeSkip, type ProbeSkipReason } from "./probing/family-labels";
export type { ExampleRow } from "./pass/examples";
export {
  createHeadDecompositionJob,
  modelHeadDecompositionSupport,
  HEAD_DECOMPOSITION_VERSION,
  type HeadDecompositionParams,
} from "./head-decomposition/head-decomposition-job";
export type { HeadDecompositionSupport, HeadDecompositionUnavailableCode } from "./head-decomposition/head-weights";
export {
  readUnitHeadDecomposition,
  readModelHeadDecompositions,
  type StoredHeadDecomposition,
} from "./head-decomposition/head-decomposition-reads";
export { readModelProbing, type ModelProbing } from "./probing/probe-reads";
export { createFeatureVisualizationJob, type FeatureVisParams } from "./feature-vis/feature-vis-job";
export {
  readUnitFeatureVisualization,
  requestUnitVisualization,
  type UnitFeatureVisualization,
  type FeatureVisStatus,
} from "./feature-vis/feature-vis-reads";
export type { FeatureVisUnavailableCode } from "./feature-vis/feature-vis-support";
