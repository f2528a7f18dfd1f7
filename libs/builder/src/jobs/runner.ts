// Job queues behind one small interface, so the API can run builds in-process today and through a real queue
// (e.g. BullMQ calling executeJob) later. InProcessJobQueue: concurrency 1, picks the oldest QUEUED atlas
// build, and at start re-queues RUNNING jobs whose heartbeat (updatedAt, bumped by every checkpoint) is stale:
// they resume from their checkpoint.
import type { PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { cancelJob } from "./create-job";
import { executeJob } from "./execute-job";
import { RUNNABLE_JOB_KINDS } from "./job-kinds";

export interface JobQueue {
  /** recover stale jobs and begin processing */
  start(): Promise<void>;
  /** a job was created (QUEUED): process it when a slot is free */
  enqueue(jobId: string): Promise<void>;
  /** cancel a queued or running job; true when it was still active */
  cancel(jobId: string): Promise<boolean>;
  /** stop taking jobs and abort the running one (it stays resumable) */
  stop(): Promise<void>;
}

export interface InProcessJobQueueOptions {
  onProgress?: (p: JobProgress) => void;
  /** RUNNING jobs not updated for this long are considered crashed at start (default 60 s) */
  staleAfterMs?: number;
  /** poll interval (ms) for jobs queued by other processes (default 0 = none: jobs start on enqueue() and at start()) */
  pollMs?: number;
  log?: (msg: string) => void;
}

/** Re-queues RUNNING jobs without a heartbeat for `staleAfterMs`; returns their ids. */
export async function requeueStaleJobs(prisma: PrismaClient, staleAfterMs: number): Promise<string[]> {
  const stale = await prisma.job.findMany({
    where: {
      kind: { in: RUNNABLE_JOB_KINDS },
      status: "RUNNING",
      updatedAt: { lt: new Date(Date.now() - staleAfterMs) },
    },
    select: { id: true },
  });
  for (const { id } of stale)
    await prisma.job.updateMany({ where: { id, status: "RUNNING" }, data: { status: "QUEUED" } });
  return stale.map((j) => j.id);
}

export class InProcessJobQueue implements JobQueue {
  private running: { jobId: string; abort: AbortController; done: Promise<unknown> } | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private kicking = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly opts: InProcessJobQueueOptions = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    try {
      const requeued = await requeueStaleJobs(this.prisma, this.opts.staleAfterMs ?? 60_000);
      if (requeued.length)
        this.opts.log?.(`job runner: resuming ${requeued.length} interrupted job(s): ${requeued.join(", ")}`);
    } catch (e) {
      // the server must come up even when the database is not reachable yet; jobs are picked up on enqueue
      this.opts.log?.(`job runner: cannot recover interrupted jobs: ${(e as Error).message}`);
    }
    const poll = this.opts.pollMs ?? 0;
    if (poll > 0) {
      this.timer = setInterval(() => void this.kick(), poll);
      this.timer.unref();
    }
    void this.kick();
  }

  async enqueue(_jobId: string): Promise<void> {
    void this.kick();
  }

  async cancel(jobId: string): Promise<boolean> {
    const before = await this.prisma.job.findUnique({ where: { id: jobId }, select: { status: true } });
    const job = await cancelJob(this.prisma, jobId);
    if (this.running?.jobId === jobId) this.running.abort.abort();
    return (before?.status === "QUEUED" || before?.status === "RUNNING") && job.status === "CANCELLED";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const r = this.running;
    if (r) {
      // leave the job resumable: mark it QUEUED again before aborting so executeJob does not end it
      await this.prisma.job
        .updateMany({ where: { id: r.jobId, status: "RUNNING" }, data: { status: "QUEUED" } })
        .catch(() => undefined);
      r.abort.abort();
      await r.done.catch(() => undefined);
    }
  }

  /** Starts the next queued job when idle. */
  private async kick(): Promise<void> {
    if (this.stopped || this.running || this.kicking) return;
    this.kicking = true;
    try {
      const next = await this.prisma.job.findFirst({
        where: { kind: { in: RUNNABLE_JOB_KINDS }, status: "QUEUED" },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      if (!next || this.stopped) return;
      const { count } = await this.prisma.job.updateMany({
        where: { id: next.id, status: "QUEUED" },
        data: { status: "RUNNING" },
      });
      if (count === 0) return;
      const abort = new AbortController();
      const done = executeJob(this.prisma, next.id, {
        signal: abort.signal,
        onProgress: this.opts.onProgress,
        // the label scoring a succeeded build queued is a QUEUED row: taken in its turn (oldest first)
        onFollowUpJob: (id) => this.opts.log?.(`job ${next.id}: queued label scoring job ${id}`),
      })
        .then((job) => this.opts.log?.(`job ${job.id}: ${job.status}${job.error ? ` (${job.error})` : ""}`))
        .catch((e: unknown) => this.opts.log?.(`job ${next.id}: runner error ${(e as Error).message}`))
        .finally(() => {
          this.running = null;
          if (!this.stopped) void this.kick();
        });
      this.running = { jobId: next.id, abort, done };
    } catch (e) {
      this.opts.log?.(`job runner: ${(e as Error).message}`);
    } finally {
      this.kicking = false;
    }
  }
}
