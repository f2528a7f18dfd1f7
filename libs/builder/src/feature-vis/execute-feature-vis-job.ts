// Runs a FEATURE_VISUALIZATION job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { units, deferred, unavailable, seconds, unitsPerSecond } in Job.metrics, FAILED with the error, or CANCELLED.
// Progress = units visualized / units to do, reported as JobProgress (phase "visualize"; examplesDone/Total count
// units; examplesPerSecond = units per second).
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { guardedProgressListener, markJobRunning } from "../jobs/job-start";
import { FeatureVisCancelled, parseFeatureVisParams, runFeatureVisualization } from "./feature-vis-job";

/** the Job row is written at most this often while a batch is optimised */
const PROGRESS_WRITE_MS = 1000;

export async function executeFeatureVisJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  const jobId = job.id;
  const emit = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  const started = Date.now();
  let last = { done: 0, total: 0 };
  const rate = () => {
    const s = (Date.now() - started) / 1000;
    return s > 0 && last.done > 0 ? Math.round((last.done / s) * 100) / 100 : null;
  };
  const progressOf = (
    status: JobProgress["status"],
    phase: JobProgress["phase"],
    message: string | null,
  ): JobProgress => {
    const perSecond = rate();
    return {
      jobId,
      status,
      phase,
      progress: status === "SUCCEEDED" ? 1 : last.total ? last.done / last.total : 0,
      examplesDone: last.done,
      examplesTotal: last.total,
      examplesPerSecond: perSecond,
      etaSeconds:
        status === "RUNNING" && perSecond ? Math.round(Math.max(0, last.total - last.done) / perSecond) : null,
      message,
    };
  };
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
  let lastWrite = 0;
  try {
    const params = parseFeatureVisParams(job.params);
    const result = await runFeatureVisualization(prisma, params, {
      signal: opts.signal,
      report: (p) => {
        last = { done: p.done, total: p.total };
        const ev = progressOf("RUNNING", "visualize", p.message);
        emit(ev);
        if (Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = Date.now();
        void prisma.job
          .updateMany({
            where: { id: jobId, status: "RUNNING" },
            data: {
              progress: ev.progress,
              metrics: {
                phase: "visualize",
                examplesDone: p.done,
                examplesTotal: p.total,
                examplesPerSecond: ev.examplesPerSecond,
                etaSeconds: ev.etaSeconds,
                message: p.message,
              },
            },
          })
          .catch(() => undefined);
      },
      stillRunning: async () => (await prisma.job.count({ where: { id: jobId, status: "RUNNING" } })) > 0,
    });
    const unavailable = Object.entries(result.unavailable)
      .map(([code, n]) => `${n} ${code}`)
      .join(", ");
    return await finish("SUCCEEDED", null, {
      message:
        `${result.units} units visualized` +
        (result.deferred ? `; ${result.deferred} left for on-demand requests (time budget used up)` : "") +
        (unavailable ? `; unavailable: ${unavailable}` : ""),
      units: result.units,
      deferred: result.deferred,
      unavailable: result.unavailable,
      seconds: result.seconds,
      unitsPerSecond: result.unitsPerSecond,
      examplesPerSecond: result.unitsPerSecond,
    });
  } catch (e) {
    if (e instanceof FeatureVisCancelled || opts.signal?.aborted) {
      const now = await prisma.job.findUnique({ where: { id: jobId } });
      if (now?.status === "QUEUED") return now;
      return finish("CANCELLED", "cancelled", {});
    }
    return finish("FAILED", opts.errorMessage(e), {});
  }
}
