// Names shared by the API (producer) and the workers (consumers): the BullMQ queue, the Redis channel that
// carries cancel requests, and BullMQ's connection options. (A job's progress topic is @mmatlas/builder's jobProgressTopic.)
import { redisConnectionOptions } from "@mmatlas/realtime";

export const ATLAS_QUEUE = "atlas-build";
export const CANCEL_TOPIC = "job-cancel";

export interface AtlasQueuePayload {
  /** the Job row (ATLAS_BUILD) to execute */
  jobId: string;
}

/** BullMQ connection options from a redis:// URL (BullMQ workers need maxRetriesPerRequest: null). */
export function bullConnection(url: string) {
  return { ...redisConnectionOptions(url), maxRetriesPerRequest: null };
}
