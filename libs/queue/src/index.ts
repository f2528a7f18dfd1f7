// Public API of @mmatlas/queue: atlas builds through BullMQ (Redis) — the API's JobQueue and the worker.
export { BullJobQueue, type BullJobQueueOptions } from "./bull-job-queue";
export { startAtlasWorker, type AtlasWorker, type AtlasWorkerOptions } from "./atlas-worker";
export { ATLAS_QUEUE, CANCEL_TOPIC, bullConnection, type AtlasQueuePayload } from "./names";
