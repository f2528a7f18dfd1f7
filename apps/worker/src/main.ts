// `npm run worker`: a build worker. Takes atlas build jobs from BullMQ (REDIS_URL), runs them with
// @mmatlas/builder's executeJob against DATABASE_URL (PostgreSQL shared with the API nodes), and publishes
// progress over Redis so jobProgress subscribers on any API node see it. SIGINT/SIGTERM: the running job is
// handed back to the queue (resumable from its checkpoint) and the process exits.
//   env: DATABASE_URL, REDIS_URL (both required), WORKER_CONCURRENCY (default 1)
import "reflect-metadata";
import type { JobProgress } from "@mmatlas/builder";
import { openDatabase } from "@mmatlas/db";
import { startAtlasWorker } from "@mmatlas/queue";
import { createRedisPubSub, redisUrlFromEnv } from "@mmatlas/realtime";

async function main() {
  const redisUrl = redisUrlFromEnv();
  if (!redisUrl) throw new Error("REDIS_URL is required: the worker takes jobs from BullMQ (Redis)");
  if (!process.env.DATABASE_URL)
    throw new Error("DATABASE_URL is required: the worker shares PostgreSQL with the API nodes");
  const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`WORKER_CONCURRENCY must be a positive integer, got ${process.env.WORKER_CONCURRENCY}`);
  const db = await openDatabase();
  const progress = createRedisPubSub<JobProgress>({ url: redisUrl });
  const control = createRedisPubSub<{ jobId: string }>({ url: redisUrl });
  const worker = await startAtlasWorker({ prisma: db.prisma, redisUrl, progress, control, concurrency });
  console.log(`mmatlas worker ready (${db.label}, Redis ${redisUrl}, concurrency ${concurrency})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    worker
      .close()
      .then(() => Promise.all([progress.close(), control.close()]))
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
