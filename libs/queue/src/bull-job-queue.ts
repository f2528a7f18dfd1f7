// The API side of queued builds: a JobQueue (@mmatlas/builder's interface) that hands ATLAS_BUILD jobs to
// BullMQ so separate worker processes (`npm run worker`) run them. The Job row in the database stays the
// source of truth (status, checkpoint, progress); BullMQ only carries "run job X" messages.
import type { JobQueue } from "@mmatlas/builder";
import { cancelJob } from "@mmatlas/builder";
import type { PrismaClient } from "@mmatlas/db";
import type { PubSub } from "@mmatlas/realtime";
import { Queue } from "bullmq";
import { ATLAS_QUEUE, CANCEL_TOPIC, bullConnection, type AtlasQueuePayload } from "./names";

export interface BullJobQueueOptions {
  prisma: PrismaClient;
  redisUrl: string;
  /** BullMQ key prefix (isolates deployments and tests); "mmatlas" by default */
  prefix?: string;
  /** carries cancel requests to the worker running the job */
  control: PubSub<{ jobId: string }>;
}

export class BullJobQueue implements JobQueue {
  readonly queue: Queue<AtlasQueuePayload>;

  constructor(private readonly opts: BullJobQueueOptions) {
    this.queue = new Queue<AtlasQueuePayload>(ATLAS_QUEUE, {
      connection: bullConnection(opts.redisUrl),
      prefix: opts.prefix ?? "mmatlas",
    });
  }

  async start(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  async enqueue(jobId: string): Promise<void> {
    // a unique BullMQ id per hand-off: a resumed job is handed off again; workers claim the Job row atomically
    await this.queue.add(
      "build",
      { jobId },
      { jobId: `${jobId}-${Date.now()}`, removeOnComplete: 1000, removeOnFail: 1000 },
    );
  }

  async cancel(jobId: string): Promise<boolean> {
    const before = await this.opts.prisma.job.findUnique({ where: { id: jobId }, select: { status: true } });
    const job = await cancelJob(this.opts.prisma, jobId);
    await this.opts.control.publish(CANCEL_TOPIC, { jobId });
    return (before?.status === "QUEUED" || before?.status === "RUNNING") && job.status === "CANCELLED";
  }

  async stop(): Promise<void> {
    await this.queue.close();
  }
}
