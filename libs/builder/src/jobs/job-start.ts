// The two steps every job kind takes when it starts running: a progress listener that can never break the job,
// and the Job row marked RUNNING (startedAt kept from an earlier attempt, finishedAt and error cleared).
import type { Job, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";

/** Wraps an optional progress listener so that a throwing listener is ignored. */
export function guardedProgressListener(listener?: (p: JobProgress) => void): (p: JobProgress) => void {
  return (p) => {
    try {
      listener?.(p);
    } catch {
      /* a listener never breaks the job */
    }
  };
}

/** Marks the job RUNNING. */
export async function markJobRunning(prisma: PrismaClient, job: Job): Promise<void> {
  await prisma.job.update({
    where: { id: job.id },
    data: { status: "RUNNING", startedAt: job.startedAt ?? new Date(), finishedAt: null, error: null },
  });
}
