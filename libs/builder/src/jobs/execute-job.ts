// executeJob: the one entry point any worker calls (in-process runner, CLI, a future BullMQ worker). Runs an
// ATLAS_BUILD job to the end, resuming from its checkpoint (a SCORE_LABELS job through executeScoreJob); never throws for a failing build: the job ends
// FAILED with the error stored on it (or CANCELLED), and the final Job row is returned. A succeeded build queues the
// SCORE_LABELS job of its units (scoring/score-after-build.ts) and passes its id to onFollowUpJob.
import { Prisma, type Job, type PrismaClient } from "@mmatlas/db";
import { AppError, isAppError } from "@mmatlas/errors";
import { isAtlasError } from "@mmatlas/atlas";
import { isInferenceError } from "@mmatlas/inference";
import { parseBuildParams } from "../params";
import { BuildCancelled, runAtlasBuild } from "../run/atlas-build";
import { isBuildCheckpoint, type BuildCheckpoint } from "../run/checkpoint";
import {
  CheckpointWriter,
  readCheckpoint,
  removeCheckpointBodies,
  removeCheckpointBody,
} from "../run/checkpoint-store";
import type { JobProgress } from "../run/progress";
import { executeScoreJob } from "../scoring/execute-score-job";
import { executeProbeJob } from "../probing/execute-probe-job";
import { executeHeadDecompositionJob } from "../head-decomposition/execute-head-decomposition-job";
import { executeFeatureVisJob } from "../feature-vis/execute-feature-vis-job";
import { handOffFollowUpJob, queueLabelScoringOfBuild } from "../scoring/score-after-build";
import { FINAL_PHASE, endCancelledRun, writeJobEnd, type FinalJobStatus } from "./job-end";
import { guardedProgressListener, markJobRunning } from "./job-start";
import { RUNNABLE_JOB_KINDS } from "./job-kinds";

export interface ExecuteJobOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** a job this one queued (the SCORE_LABELS job after a succeeded build): the runner hands it to its queue */
  onFollowUpJob?: (jobId: string) => Promise<void> | void;
}

/** A readable error message for Job.error. */
export function jobErrorMessage(e: unknown): string {
  if (isAppError(e)) return `${e.code}: ${e.message}`;
  if (isInferenceError(e) || isAtlasError(e)) return `BAD_USER_INPUT: ${(e as Error).message}`;
  return `INTERNAL: ${e instanceof Error ? e.message : String(e)}`;
}

function metricsOf(p: JobProgress): Prisma.InputJsonValue {
  return {
    phase: p.phase,
    examplesDone: p.examplesDone,
    examplesTotal: p.examplesTotal,
    examplesPerSecond: p.examplesPerSecond,
    etaSeconds: p.etaSeconds,
    message: p.message,
  };
}

export async function executeJob(prisma: PrismaClient, jobId: string, opts: ExecuteJobOptions = {}): Promise<Job> {
  const job = await prisma.job.findUnique({ where: { id: jobId } });
  if (!job) throw AppError.notFound("job", jobId);
  if (!RUNNABLE_JOB_KINDS.includes(job.kind))
    throw AppError.badInput(
      `job ${jobId} is a ${job.kind} job; executeJob runs ${RUNNABLE_JOB_KINDS.join(", ")} jobs`,
      "jobId",
    );
  if (job.status === "SUCCEEDED") return job;
  if (job.kind === "SCORE_LABELS") return executeScoreJob(prisma, job, { ...opts, errorMessage: jobErrorMessage });
  if (job.kind === "PROBE_CONCEPTS") return executeProbeJob(prisma, job, { ...opts, errorMessage: jobErrorMessage });
  if (job.kind === "FEATURE_VISUALIZATION")
    return executeFeatureVisJob(prisma, job, { ...opts, errorMessage: jobErrorMessage });
  if (job.kind === "HEAD_DECOMPOSITION")
    return executeHeadDecompositionJob(prisma, job, { ...opts, errorMessage: jobErrorMessage });
  const report = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  const seen: { last: JobProgress | null } = { last: null };
  const finish = async (
    status: FinalJobStatus,
    error: string | null,
    extra: Partial<JobProgress> = {},
    more: Record<string, unknown> = {},
  ) => {
    const p: JobProgress = {
      jobId,
      status,
      phase: FINAL_PHASE[status],
      progress: status === "SUCCEEDED" ? 1 : (seen.last?.progress ?? 0),
      examplesDone: seen.last?.examplesDone ?? 0,
      examplesTotal: seen.last?.examplesTotal ?? 0,
      examplesPerSecond: seen.last?.examplesPerSecond ?? null,
      etaSeconds: status === "SUCCEEDED" ? 0 : null,
      message: error,
      ...extra,
    };
    // a finished build needs no resume point: its checkpoint (and binary body) goes
    const row = await writeJobEnd(prisma, jobId, {
      status,
      error,
      progress: p.progress,
      metrics: { ...(metricsOf(p) as object), ...more } as Prisma.InputJsonValue,
      data: status === "SUCCEEDED" ? { checkpoint: Prisma.DbNull } : {},
    });
    if (status === "SUCCEEDED") removeCheckpointBodies(jobId);
    report(p);
    return row;
  };
  const checkpoints = new CheckpointWriter(jobId);
  try {
    const params = parseBuildParams(job.params);
    const result = await runAtlasBuild({
      prisma,
      jobId,
      params,
      signal: opts.signal,
      checkpoint: isBuildCheckpoint(job.checkpoint)
        ? ((await readCheckpoint(job.checkpoint)) as BuildCheckpoint)
        : null,
      report: (p) => {
        seen.last = p;
        report(p);
      },
      saveCheckpoint: async (c: BuildCheckpoint, p: JobProgress) => {
        seen.last = p;
        const stored = await checkpoints.write(c);
        const dropFresh = () => {
          if (stored.fresh) removeCheckpointBody(stored.fresh.file);
        };
        const { count } = await prisma.job
          .updateMany({
            where: { id: jobId, status: "RUNNING" },
            data: { checkpoint: stored.json as Prisma.InputJsonValue, progress: p.progress, metrics: metricsOf(p) },
          })
          .catch((e: unknown) => {
            dropFresh();
            throw e;
          });
        if (count === 0) {
          dropFresh();
          throw new BuildCancelled();
        }
        if (stored.fresh) removeCheckpointBodies(jobId, stored.fresh.file);
        report(p);
      },
    });
    // a user's build gets its labels scored: the job is queued before the build reports SUCCEEDED (never throws)
    const scoring = await queueLabelScoringOfBuild(prisma, job);
    const built = await finish(
      "SUCCEEDED",
      null,
      {
        message: `${result.units} units from ${result.examples} examples`,
        examplesPerSecond:
          result.examplesPerSecond === null
            ? (seen.last?.examplesPerSecond ?? null)
            : Math.round(result.examplesPerSecond * 10) / 10,
      },
      {
        timings: result.timings,
        units: result.units,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        ...scoring.metrics,
      },
    );
    await handOffFollowUpJob(scoring.followUpJobId, opts.onFollowUpJob);
    return built;
  } catch (e) {
    if (e instanceof BuildCancelled || opts.signal?.aborted)
      return endCancelledRun(prisma, jobId, () => finish("CANCELLED", "cancelled"));
    return finish("FAILED", jobErrorMessage(e));
  }
}
