// Rescoring labels after edits: wraps the annotation PubSub so every CREATED / UPDATED annotation event (GraphQL
// mutations and collaborative-document projections alike) touches the debounced LabelRescoreScheduler of
// @mmatlas/builder. touch() is synchronous and the publish is not delayed, so an edit never waits for scoring.
import { LabelRescoreScheduler, type JobQueue } from "@mmatlas/builder";
import type { PrismaClient } from "@mmatlas/db";
import type { AnnotationChangedEvent } from "@mmatlas/labeling";
import type { PubSub } from "@mmatlas/realtime";

export function withLabelRescoring(
  pubsub: PubSub<AnnotationChangedEvent>,
  prisma: PrismaClient,
  queue: JobQueue | null,
  opts: { delayMs?: number; log?: (m: string) => void } = {},
): { pubsub: PubSub<AnnotationChangedEvent>; scheduler: LabelRescoreScheduler } {
  const scheduler = new LabelRescoreScheduler(
    prisma,
    async (jobId) => {
      await queue?.enqueue(jobId);
    },
    opts,
  );
  return {
    scheduler,
    pubsub: {
      publish(topic, payload) {
        if (payload.kind === "CREATED" || payload.kind === "UPDATED") scheduler.touch(payload.unitId);
        return pubsub.publish(topic, payload);
      },
      subscribe: (topic) => pubsub.subscribe(topic),
      close: async () => {
        scheduler.close();
        await pubsub.close();
      },
    },
  };
}
