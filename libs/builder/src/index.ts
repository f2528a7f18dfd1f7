// Public API of @mmatlas/builder: the atlas build pipeline. One entry point for workers (executeJob), job
// creation/cancellation, the in-process job queue, dataset ingest, and the default atlas of the built-in model.
export { executeJob, type ExecuteJobOptions } from "./jobs/execute-job";
export { createAtlasBuildJob, cancelJob, type AtlasBuildInput } from "./jobs/create-job";
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
export { LabelRescoreScheduler, type LabelRescoreSchedulerOptions } from "./scoring/rescore-scheduler";
