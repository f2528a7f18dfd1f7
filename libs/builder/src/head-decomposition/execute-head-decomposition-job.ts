// Runs a HEAD_DECOMPOSITION job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { heads, stored, images, seconds, headShare, embeddingMismatch, timings } in Job.metrics, FAILED with the error,
// or CANCELLED. Progress: images decomposed (phase "pass", 90 %), then TextSpan + ablation (phase "finalize").
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { guardedProgressListener, markJobRunning } from "../jobs/job-start";
import {
  HeadDecompositionCancelled,
  parseHeadDecompositionParams,
  runHeadDecomposition,
  type HeadProgress,
} from "./head-decomposition-job";
import { DecompositionCancelled } from "./decompose-images";

const PASS_SHARE = 0.9;

export async function executeHeadDecompositionJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  const jobId = job.id;
  const emit = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  let last: HeadProgress = { done: 0, total: 0, phase: "pass", message: "" };
  const started = Date.now();
  const fraction = (p: HeadProgress) =>
    p.phase === "finalize" ? PASS_SHARE : p.total ? (PASS_SHARE * p.done) / p.total : 0;
  const progressOf = (
    status: JobProgress["status"],
    phase: JobProgress["phase"],
    message: string | null,
  ): JobProgress => {
    const seconds = (Date.now() - started) / 1000;
    const rate = last.phase === "pass" && last.done > 0 && seconds > 0 ? last.done / seconds : null;
    return {
      jobId,
      status,
      phase,
      progress: status === "SUCCEEDED" ? 1 : fraction(last),
      examplesDone: last.done,
      examplesTotal: last.total,
      examplesPerSecond: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: rate && last.phase === "pass" ? Math.round((last.total - last.done) / rate) : null,
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
  try {
    const params = parseHeadDecompositionParams(job.params);
    const result = await runHeadDecomposition(prisma, params, {
      jobId,
      signal: opts.signal,
      report: (p) => {
        last = p;
        const ev = progressOf("RUNNING", p.phase, p.message);
        emit(ev);
        void prisma.job
          .updateMany({
            where: { id: jobId, status: "RUNNING" },
            data: {
              progress: ev.progress,
              metrics: {
                phase: p.phase,
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
    });
    const { records: _records, ...figures } = result;
    void _records;
    return await finish("SUCCEEDED", null, {
      message: `${result.heads} heads decomposed over ${result.images} images (${result.stored} stored${
        result.stored < result.heads
          ? "; heads without an ATTENTION_HEAD unit need an atlas of the attention hooks"
          : ""
      }); heads carry ${(result.headShare * 100).toFixed(1)} % of the embedding`,
      ...figures,
    });
  } catch (e) {
    if (e instanceof HeadDecompositionCancelled || e instanceof DecompositionCancelled || opts.signal?.aborted) {
      const now = await prisma.job.findUnique({ where: { id: jobId } });
      if (now?.status === "QUEUED") return now;
      return finish("CANCELLED", "cancelled", {});
    }
    return finish("FAILED", opts.errorMessage(e), {});
  }
}
