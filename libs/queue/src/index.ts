// Public API of @mmatlas/queue: atlas builds through BullMQ (Redis) — the API's JobQueue and the worker.
export { BullJobQueue, type BullJobQueueOptions } from "./bull-job-queue";
export { startAtlasWorker, type AtlasWorker, type AtlasWorkerOptions } from "./atlas-worker";
export { type AtlasQueuePayload } from "./names";
