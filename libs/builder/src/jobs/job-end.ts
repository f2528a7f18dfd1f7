// The two steps every job kind takes when it ends: the Job row's final write (status, error, finishedAt, progress,
// metrics; the phase that goes with the status), and the cancelled ending that leaves a job a stopping worker put
// back in the queue QUEUED, so that it stays resumable.
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";

/** The progress phase a job ends in, per final status. */
export const FINAL_PHASE = { SUCCEEDED: "done", FAILED: "failed", CANCELLED: "cancelled" } as const;
export type FinalJobStatus = keyof typeof FINAL_PHASE;

export interface JobEnd {
  status: FinalJobStatus;
  error: string | null;
  progress: number;
  metrics: Prisma.InputJsonValue;
  /** more columns written with the end (a build drops its checkpoint) */
  data?: Omit<Prisma.JobUpdateInput, "status" | "error" | "finishedAt" | "progress" | "metrics">;
}

/** Writes the job's end and returns the final row. */
export function writeJobEnd(prisma: PrismaClient, jobId: string, end: JobEnd): Promise<Job> {
  return prisma.job.update({
    where: { id: jobId },
    data: {
      status: end.status,
      error: end.error,
      finishedAt: new Date(),
      progress: end.progress,
      metrics: end.metrics,
      ...end.data,
    },
  });
}

/** A cancelled run's end: the row as it is when a stopping worker put it back in the queue, else `cancel()`. */
export async function endCancelledRun(prisma: PrismaClient, jobId: string, cancel: () => Promise<Job>): Promise<Job> {
  const now = await prisma.job.findUnique({ where: { id: jobId } });
  if (now?.status === "QUEUED") return now; // interrupted by a stopping worker: stays resumable
  return cancel();
}
