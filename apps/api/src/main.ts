// Entry point: applies pending migrations, then serves the API on PORT (default 4000) and HOST; with REDIS_URL
// set, live events use Redis pub/sub (several API nodes).
import "reflect-metadata";
import { migrateDatabase } from "@mmatlas/db";
import { createRedisPubSub, redisUrlFromEnv } from "@mmatlas/realtime";
import type { AnnotationChangedEvent } from "@mmatlas/labeling";
import type { JobProgress } from "@mmatlas/builder";
import type { PrismaClient } from "@mmatlas/db";
import { BullJobQueue } from "@mmatlas/queue";
import { startApiServer } from "./server";

async function main() {
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const applied = await migrateDatabase();
  if (applied.length) console.log(`applied migrations: ${applied.join(", ")}`);
  // REDIS_URL: live events go through Redis pub/sub, so subscribers on every API node see them
  const redisUrl = redisUrlFromEnv();
  const pubsub = redisUrl ? createRedisPubSub<AnnotationChangedEvent>({ url: redisUrl }) : undefined;
  const jobPubsub = redisUrl ? createRedisPubSub<JobProgress>({ url: redisUrl }) : undefined;
  // JOB_RUNNER=none: this node serves the API only; another process runs atlas builds (executeJob).
  // With REDIS_URL (and JOB_RUNNER unset or "queue"), builds go to BullMQ and `npm run worker` processes run them.
  const runnerSetting = process.env.JOB_RUNNER ?? (redisUrl ? "queue" : "in-process");
  const control =
    redisUrl && runnerSetting === "queue" ? createRedisPubSub<{ jobId: string }>({ url: redisUrl }) : null;
  const jobRunner =
    runnerSetting === "none"
      ? ("none" as const)
      : control && redisUrl
        ? (prisma: PrismaClient) => new BullJobQueue({ prisma, redisUrl, control })
        : ("in-process" as const);
  // with REDIS_URL, collaborative documents also fan out between API nodes (@hocuspocus/extension-redis)
  const collab = redisUrl ? { redis: { url: redisUrl } } : undefined;
  const api = await startApiServer({ port, host: process.env.HOST ?? "0.0.0.0", pubsub, jobPubsub, jobRunner, collab });
  if (redisUrl) console.log(`live events and collaborative documents via Redis at ${redisUrl}`);
  if (control) console.log("atlas builds are queued to BullMQ: run `npm run worker` to process them");
  console.log(`mmatlas API ready at ${api.url} (subscriptions at ${api.wsUrl}, co-labeling at ${api.collabUrl})`);
  const stop = () => {
    api
      .close()
      .then(() => control?.close())
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
  console.error(e);
  process.exit(1);
});
