// runTrackedJob: the life cycle shared by the job kinds that run one domain call (label scoring, concept probes,
// feature visualization, head decomposition). Marks the Job row RUNNING, turns the call's reports into RUNNING
// JobProgress events and (optionally throttled) Job-row progress writes, and ends the row SUCCEEDED with the call's
// metrics, FAILED with the error, or CANCELLED (left QUEUED when a stopping worker put it back in the queue).
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { FINAL_PHASE, endCancelledRun, writeJobEnd, type FinalJobStatus } from "./job-end";
import { guardedProgressListener, markJobRunning } from "./job-start";

/** One progress report of the domain call. */
export interface TrackedProgress {
  done: number;
  total: number;
  message: string;
  /** share of the job done (0..1); done / total when left out */
  fraction?: number;
  /** phase of this report; the job's phase when left out */
  phase?: JobProgress["phase"];
  /** more keys for Job.metrics while this report is the latest */
  metrics?: Record<string, unknown>;
}

/** What the domain call hands back: Job.metrics of the succeeded job and its closing message. */
export interface TrackedJobResult {
  metrics: Record<string, unknown>;
  message?: string;
  /** final examplesDone / examplesTotal (the last report's when left out) */
  examples?: { done: number; total: number };
}

export interface Pace {
  examplesPerSecond: number | null;
  etaSeconds: number | null;
}

export interface TrackedJobOptions {
  /** phase of the RUNNING reports that name none */
  phase: JobProgress["phase"];
  run: (report: (p: TrackedProgress) => void, signal: AbortSignal | undefined) => Promise<TrackedJobResult>;
  errorMessage: (e: unknown) => string;
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
  /** the domain call's own cancellation errors (an aborted signal always counts as a cancellation) */
  isCancellation?: (e: unknown) => boolean;
  /** throughput and ETA from the latest report and the seconds since the job started; both null when left out
   * (then Job.metrics carries neither while the job runs) */
  pace?: (last: TrackedProgress, seconds: number, status: JobProgress["status"]) => Pace;
  /** at most one RUNNING Job-row write per `everyMs` (every report writes when left out); `completeAlways` writes
   * a report with done ≥ total regardless */
  progressWrites?: { everyMs: number; completeAlways?: boolean };
}

/** Runs `run` as the job `job` to its end and returns the final Job row (never throws for a failing run). */
export async function runTrackedJob(prisma: PrismaClient, job: Job, opts: TrackedJobOptions): Promise<Job> {
  const jobId = job.id;
  const emit = guardedProgressListener(opts.onProgress);
  await markJobRunning(prisma, job);
  const started = Date.now();
  let last: TrackedProgress = { done: 0, total: 0, message: "", phase: opts.phase, fraction: 0 };
  const fractionOf = (p: TrackedProgress) => p.fraction ?? (p.total ? p.done / p.total : 0);
  const paceOf = (status: JobProgress["status"]): Pace =>
    opts.pace?.(last, (Date.now() - started) / 1000, status) ?? { examplesPerSecond: null, etaSeconds: null };
  const progressOf = (
    status: JobProgress["status"],
    phase: JobProgress["phase"],
    message: string | null,
  ): JobProgress => ({
    jobId,
    status,
    phase,
    progress: status === "SUCCEEDED" ? 1 : fractionOf(last),
    examplesDone: last.done,
    examplesTotal: last.total,
    ...paceOf(status),
    message,
  });
  const finish = async (status: FinalJobStatus, error: string | null, result?: TrackedJobResult) => {
    const message = result?.message;
    const p = progressOf(status, FINAL_PHASE[status], error ?? message ?? null);
    const row = await writeJobEnd(prisma, jobId, {
      status,
      error,
      progress: p.progress,
      metrics: {
        phase: p.phase,
        examplesDone: last.done,
        examplesTotal: last.total,
        ...(message === undefined ? {} : { message }),
        ...result?.metrics,
      } as Prisma.InputJsonValue,
    });
    emit(p);
    return row;
  };
  let lastWrite = 0;
  const report = (p: TrackedProgress) => {
    last = p;
    const phase = p.phase ?? opts.phase;
    const ev = progressOf("RUNNING", phase, p.message);
    emit(ev);
    const writes = opts.progressWrites;
    if (writes) {
      const now = Date.now();
      if (now - lastWrite < writes.everyMs && !(writes.completeAlways && p.done >= p.total)) return;
      lastWrite = now;
    }
    void prisma.job
      .updateMany({
        where: { id: jobId, status: "RUNNING" },
        data: {
          progress: ev.progress,
          metrics: {
            phase,
            ...p.metrics,
            examplesDone: p.done,
            examplesTotal: p.total,
            ...(opts.pace ? { examplesPerSecond: ev.examplesPerSecond, etaSeconds: ev.etaSeconds } : {}),
            message: p.message,
          } as Prisma.InputJsonValue,
        },
      })
      .catch(() => undefined);
  };
  try {
    const result = await opts.run(report, opts.signal);
    if (result.examples) last = { ...last, ...result.examples };
    return await finish("SUCCEEDED", null, result);
  } catch (e) {
    if (opts.isCancellation?.(e) || opts.signal?.aborted)
      return endCancelledRun(prisma, jobId, () => finish("CANCELLED", "cancelled"));
    return finish("FAILED", opts.errorMessage(e));
  }
}
