// Names shared by the API (producer) and the workers (consumers): the BullMQ queue, the Redis channel that
// carries cancel requests, and the pub/sub topic of a job's progress events (jobProgress subscription).
export const ATLAS_QUEUE = "atlas-build";
export const CANCEL_TOPIC = "job-cancel";
export const jobProgressTopic = (jobId: string) => `job-progress:${jobId}`;

export interface AtlasQueuePayload {
  /** the Job row (ATLAS_BUILD) to execute */
  jobId: string;
}

/** BullMQ connection options from a redis:// URL (BullMQ workers need maxRetriesPerRequest: null). */
export function bullConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname, port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    username: u.username || undefined, password: u.password ? decodeURIComponent(u.password) : undefined,
    tls: u.protocol === "rediss:" ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
