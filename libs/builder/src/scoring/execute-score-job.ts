// Runs a SCORE_LABELS job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { units, labels, seconds, timings } in Job.metrics, FAILED with the error, or CANCELLED. Progress = units
// scored / units, reported as JobProgress (phase "score"; examplesDone/Total count units).
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { guardedProgressListener, markJobRunning } from "../jobs/job-start";
import { parseScoreParams, runScoreLabels, ScoreCancelled } from "./score-job";

export async function executeScoreJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  const jobId = job.id;
  const emit = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  let last = { done: 0, total: 0 };
  const progressOf = (
    status: JobProgress["status"],
    phase: JobProgress["phase"],
    message: string | null,
  ): JobProgress => ({
    jobId,
    status,
    phase,
    progress: status === "SUCCEEDED" ? 1 : last.total ? last.done / last.total : 0,
    examplesDone: last.done,
    examplesTotal: last.total,
    examplesPerSecond: null,
    etaSeconds: null,
    message,
  });
  const finish = async (
    status: "SUCCEEDED" | "FAILED" | "CANCELLED",
    error: string | null,
    metrics: Record<string, unknown>,
  ) => {
    const p = progressOf(
      status,
      status === "SUCCEEDED" ? "done" : status === "FAILED" ? "failed" : "cancelled",
      error ?? (metrics.message as string | undefined) ?? null,
    );
    const row = await prisma.job.update({
      where: { id: jobId },
      data: {
        status,
        error,
        finishedAt: new Date(),
        progress: p.progress,
        metrics: {
          phase: p.phase,
          examplesDone: last.done,
          examplesTotal: last.total,
          ...metrics,
        } as Prisma.InputJsonValue,
      },
    });
    emit(p);
    return row;
  };
  try {
    const params = parseScoreParams(job.params);
    const result = await runScoreLabels(prisma, params, {
      signal: opts.signal,
      report: (p) => {
        last = { done: p.done, total: p.total };
        const ev = progressOf("RUNNING", "score", p.message);
        emit(ev);
        void prisma.job
          .updateMany({
            where: { id: jobId, status: "RUNNING" },
            data: {
              progress: ev.progress,
              metrics: { phase: "score", examplesDone: p.done, examplesTotal: p.total, message: p.message },
            },
          })
          .catch(() => undefined);
      },
    });
    last = { done: result.units, total: result.units };
    return await finish("SUCCEEDED", null, {
      message: `${result.labels} label scores for ${result.units} units${result.unscored ? `; ${result.unscored} units without held-out examples (the build's probe set covers its dataset: give heldOutDatasetId)` : ""}`,
      unscored: result.unscored,
      units: result.units,
      labels: result.labels,
      seconds: result.seconds,
      timings: result.timings,
    });
  } catch (e) {
    if (e instanceof ScoreCancelled || opts.signal?.aborted) {
      const now = await prisma.job.findUnique({ where: { id: jobId } });
      if (now?.status === "QUEUED") return now;
      return finish("CANCELLED", "cancelled", {});
    }
    return finish("FAILED", opts.errorMessage(e), {});
  }
}
