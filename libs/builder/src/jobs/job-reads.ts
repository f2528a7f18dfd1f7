// Reading jobs for the API and workers: the pub/sub topic of a job's progress events, a job by id (NOT_FOUND
// otherwise), recent jobs, and the live figures (phase, examples, rate, ETA) a job row carries in Job.metrics,
// as fields and as the JobProgress event a subscriber gets first.
import type { Job, JobStatus, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { JobProgress } from "../run/progress";

/** the topic every progress event of job `jobId` is published on (API, in-process runner and BullMQ workers) */
export const jobProgressTopic = (jobId: string) => `job-progress:${jobId}`;

export const JOB_STATUSES_TERMINAL: ReadonlySet<JobStatus> = new Set<JobStatus>(["SUCCEEDED", "FAILED", "CANCELLED"]);
export const JOB_LIST_MAX = 100;

type Metrics = Partial<
  Pick<JobProgress, "phase" | "examplesDone" | "examplesTotal" | "examplesPerSecond" | "etaSeconds" | "message">
>;

export interface JobFigures {
  phase: string | null;
  examplesDone: number | null;
  examplesTotal: number | null;
  examplesPerSecond: number | null;
  etaSeconds: number | null;
}

/** the live figures stored in a job row's metrics (null where the job has not reported them) */
export function jobFigures(job: Pick<Job, "status" | "metrics">): JobFigures {
  const m = (job.metrics ?? {}) as Metrics;
  return {
    phase: m.phase ?? (job.status === "QUEUED" ? "queued" : null),
    examplesDone: m.examplesDone ?? null,
    examplesTotal: m.examplesTotal ?? null,
    examplesPerSecond: m.examplesPerSecond ?? null,
    etaSeconds: m.etaSeconds ?? null,
  };
}

/** The progress event equivalent to a job row (sent first to every subscriber). */
export function progressOfJob(job: Job): JobProgress {
  const m = (job.metrics ?? {}) as Metrics;
  return {
    jobId: job.id,
    status: job.status,
    phase: (m.phase ?? (job.status === "QUEUED" ? "queued" : "pass")) as JobProgress["phase"],
    progress: job.progress,
    examplesDone: m.examplesDone ?? 0,
    examplesTotal: m.examplesTotal ?? 0,
    examplesPerSecond: m.examplesPerSecond ?? null,
    etaSeconds: m.etaSeconds ?? null,
    message: job.error ?? m.message ?? null,
  };
}

export async function findJob(prisma: PrismaClient, id: string): Promise<Job> {
  const job = await prisma.job.findUnique({ where: { id } });
  if (!job) throw AppError.notFound("Job", id);
  return job;
}

/** the `first` most recent jobs (optionally of one status), newest first; `first` in 1..JOB_LIST_MAX */
export async function listJobs(
  prisma: PrismaClient,
  opts: { status?: JobStatus | null; first: number },
): Promise<Job[]> {
  if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > JOB_LIST_MAX)
    throw AppError.badInput(`first must be in 1..${JOB_LIST_MAX}`, "first");
  return prisma.job.findMany({
    where: opts.status ? { status: opts.status } : {},
    orderBy: { createdAt: "desc" },
    take: opts.first,
  });
}
