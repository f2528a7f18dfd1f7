// Runs a PROBE_CONCEPTS job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { cells, stored, skipped, examples, seconds } in Job.metrics, FAILED with the error, or CANCELLED. Progress is
// reported as JobProgress: phase "probe", examplesDone/Total count examples run and then probes fitted.
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { guardedProgressListener, markJobRunning } from "../jobs/job-start";
import { parseProbeParams, runProbeConcepts } from "./probe-job";
import { ProbeCancelled } from "./probe-model";

export async function executeProbeJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  const jobId = job.id;
  const emit = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  let last = { done: 0, total: 0, fraction: 0, message: "" };
  const progressOf = (status: JobProgress["status"], phase: JobProgress["phase"], message: string | null) => ({
    jobId,
    status,
    phase,
    progress: status === "SUCCEEDED" ? 1 : last.fraction,
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
    const params = parseProbeParams(job.params);
    let lastWrite = 0;
    const result = await runProbeConcepts(prisma, params, {
      jobId,
      signal: opts.signal,
      onProgress: (p) => {
        last = { done: p.done, total: p.total, fraction: p.fraction, message: p.message };
        const ev = progressOf("RUNNING", "probe", `${p.phase === "features" ? "activations" : "probes"}: ${p.message}`);
        emit(ev);
        const now = Date.now();
        if (now - lastWrite < 250 && p.done < p.total) return;
        lastWrite = now;
        void prisma.job
          .updateMany({
            where: { id: jobId, status: "RUNNING" },
            data: {
              progress: ev.progress,
              metrics: {
                phase: "probe",
                step: p.phase,
                examplesDone: p.done,
                examplesTotal: p.total,
                message: ev.message,
              },
            },
          })
          .catch(() => undefined);
      },
    });
    return await finish("SUCCEEDED", null, {
      message: `${result.stored} probes over ${result.examples.VISION} images and ${result.examples.TEXT} texts${
        result.skipped.length
          ? `; skipped ${result.skipped.map((s) => `${s.tower.toLowerCase()} ${s.message}`).join(", ")}`
          : ""
      }`,
      cells: result.cells.length,
      stored: result.stored,
      skipped: result.skipped as unknown as Prisma.InputJsonValue,
      examples: result.examples,
      seconds: result.seconds,
      timings: result.timings,
      // SAEs wider than MAX_PROBED_SAE_WIDTH features are left out (the probe's cost grows with its width)
      saesNotProbed: result.saesNotProbed,
    });
  } catch (e) {
    if (e instanceof ProbeCancelled || opts.signal?.aborted) {
      const now = await prisma.job.findUnique({ where: { id: jobId } });
      if (now?.status === "QUEUED") return now;
      return finish("CANCELLED", "cancelled", {});
    }
    return finish("FAILED", opts.errorMessage(e), {});
  }
}
