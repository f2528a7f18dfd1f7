// The worker side: a BullMQ Worker that runs ATLAS_BUILD (and SCORE_LABELS: a succeeded build's label scoring is
// handed back to the queue) jobs with @mmatlas/builder's executeJob, publishes
// their progress on the shared pub/sub (Redis: reaches jobProgress subscribers on every API node), aborts on
// cancel requests, and on stop leaves its running job resumable (QUEUED again, handed back to the queue).
// At start it re-queues jobs whose worker died (stale heartbeat) and hands off QUEUED jobs nobody holds.
import { RUNNABLE_JOB_KINDS, executeJob, jobProgressTopic, requeueStaleJobs, type JobProgress } from "@mmatlas/builder";
import type { PrismaClient } from "@mmatlas/db";
import type { PubSub } from "@mmatlas/realtime";
import { Queue, Worker } from "bullmq";
import { ATLAS_QUEUE, CANCEL_TOPIC, bullConnection, type AtlasQueuePayload } from "./names";

export interface AtlasWorkerOptions {
  prisma: PrismaClient;
  redisUrl: string;
  prefix?: string;
  progress: PubSub<JobProgress>;
  control: PubSub<{ jobId: string }>;
  /** builds run at once in this process (default 1: a build uses a whole core) */
  concurrency?: number;
  /** RUNNING jobs without a heartbeat for this long are re-queued at start (default 60 s) */
  staleAfterMs?: number;
  log?: (msg: string) => void;
}

export interface AtlasWorker {
  /** job ids this worker finished (any final status), in order */
  readonly finished: string[];
  close(): Promise<void>;
}

export async function startAtlasWorker(opts: AtlasWorkerOptions): Promise<AtlasWorker> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const prefix = opts.prefix ?? "mmatlas";
  const connection = bullConnection(opts.redisUrl);
  const running = new Map<string, AbortController>();
  const finished: string[] = [];
  const handOff = new Queue<AtlasQueuePayload>(ATLAS_QUEUE, { connection, prefix });
  const requeue = (jobId: string) =>
    handOff.add("build", { jobId }, { jobId: `${jobId}-${Date.now()}`, removeOnComplete: 1000, removeOnFail: 1000 });

  const cancels = opts.control.subscribe(CANCEL_TOPIC);
  void (async () => {
    for await (const { jobId } of cancels) running.get(jobId)?.abort();
  })();

  const publish = (p: JobProgress) => {
    opts.progress
      .publish(jobProgressTopic(p.jobId), p)
      .catch((e: unknown) => log(`progress publish failed: ${String(e)}`));
  };

  const worker = new Worker<AtlasQueuePayload>(
    ATLAS_QUEUE,
    async (bullJob) => {
      const { jobId } = bullJob.data;
      // claim the Job row: only a QUEUED job is taken (another worker may hold it, or it was cancelled)
      const { count } = await opts.prisma.job.updateMany({
        where: { id: jobId, status: "QUEUED" },
        data: { status: "RUNNING" },
      });
      if (count === 0) return { skipped: true };
      const abort = new AbortController();
      running.set(jobId, abort);
      log(`worker: job ${jobId} started`);
      try {
        const job = await executeJob(opts.prisma, jobId, {
          signal: abort.signal,
          onProgress: publish,
          // a succeeded build's SCORE_LABELS job goes to the cluster like any queued job
          onFollowUpJob: async (followUp) => {
            await requeue(followUp);
            log(`worker: job ${jobId} queued label scoring job ${followUp}`);
          },
        });
        log(`worker: job ${jobId} ${job.status}${job.error ? `: ${job.error}` : ""}`);
        finished.push(jobId);
        return { status: job.status };
      } finally {
        running.delete(jobId);
      }
    },
    { connection, prefix, concurrency: opts.concurrency ?? 1, lockDuration: 60_000 },
  );
  worker.on("failed", (j, e) => log(`worker: BullMQ job ${j?.id} failed: ${e.message}`));
  worker.on("error", (e) => log(`worker: ${e.message}`));
  await worker.waitUntilReady();

  const stale = await requeueStaleJobs(opts.prisma, opts.staleAfterMs ?? 60_000);
  if (stale.length) log(`worker: resuming ${stale.length} interrupted job(s)`);
  const queued = await opts.prisma.job.findMany({
    where: { kind: { in: RUNNABLE_JOB_KINDS }, status: "QUEUED" },
    select: { id: true },
  });
  for (const { id } of queued) await requeue(id); // duplicates are harmless: the claim above takes a job once

  return {
    finished,
    async close() {
      await worker.pause(true);
      const interrupted = [...running.keys()];
      for (const jobId of interrupted) {
        await opts.prisma.job.updateMany({ where: { id: jobId, status: "RUNNING" }, data: { status: "QUEUED" } });
        running.get(jobId)?.abort();
      }
      await worker.close();
      for (const jobId of interrupted) await requeue(jobId);
      await handOff.close();
      await cancels.return?.();
    },
  };
}
