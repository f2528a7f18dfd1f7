// Queued atlas builds end to end: the API-side BullJobQueue hands a job to BullMQ (real Redis), a worker runs
// it with executeJob against the test database, and its progress reaches a subscriber on another RedisPubSub
// instance (as an API node's jobProgress subscription would). A job cancelled while queued is never run. A
// succeeded build's SCORE_LABELS job is handed back to BullMQ and run by a worker: label scores on `<dataset>-scoring`.
import { randomBytes } from "node:crypto";
import { createAtlasBuildJob, ingestShapesDataset, jobProgressTopic, type JobProgress } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { createRedisPubSub, type RedisPubSub } from "@mmatlas/realtime";
import { redisForTests } from "@mmatlas/realtime/testing";
import { BullJobQueue, startAtlasWorker, type AtlasWorker } from "../src";

jest.setTimeout(240_000);

let redisUrl: string | null;
let db: TestDatabase;
const id = randomBytes(6).toString("hex");
const prefix = `mmatlas-test-${id}`;
const channels = `mmatlas-test-${id}:`;
const pubsubs: RedisPubSub<any>[] = [];
const pubsub = <T>() => {
  const p = createRedisPubSub<T>({ url: redisUrl!, prefix: channels });
  pubsubs.push(p);
  return p;
};
let queue: BullJobQueue;
let builtJobId: string | undefined;
let worker: AtlasWorker | undefined;
let params: {
  modelId: string;
  datasetId: string;
  hooks: string[];
  dictionaries: string[];
  k: number;
  batchSize: number;
  probeSize: number;
  causalUnits: number;
  causalExamples: number;
};

beforeAll(async () => {
  redisUrl = await redisForTests("queue: BullMQ atlas worker");
  if (!redisUrl) return;
  db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(db.prisma, { name: "queue-tiny", seed: 7, images: 16, texts: 8 });
  // the probe set is the whole build dataset: label scoring reads the held-out `<dataset>-scoring`
  await ingestShapesDataset(db.prisma, { name: "queue-tiny-scoring", seed: 8, images: 32, texts: 8 });
  params = {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: ["vision.blocks.1.mlp.hook_post"],
    dictionaries: [],
    k: 3,
    batchSize: 8,
    probeSize: 16,
    causalUnits: 0,
    causalExamples: 8,
  };
  queue = new BullJobQueue({ prisma: db.prisma, redisUrl, prefix, control: pubsub() });
  await queue.start();
});

afterAll(async () => {
  await worker?.close();
  if (queue) {
    await queue.queue.obliterate({ force: true });
    await queue.stop();
  }
  await Promise.all(pubsubs.map((p) => p.close()));
  await db?.close();
});

test("a job cancelled while queued is never run by a worker", async () => {
  if (!redisUrl) return;
  const job = await createAtlasBuildJob(db.prisma, params);
  await queue.enqueue(job.id);
  expect(await queue.cancel(job.id)).toBe(true);
  worker = await startAtlasWorker({
    prisma: db.prisma,
    redisUrl,
    prefix,
    progress: pubsub<JobProgress>(),
    control: pubsub(),
    log: () => {},
  });
  // the worker drains the hand-off and skips the cancelled row
  for (
    let i = 0;
    i < 100 &&
    (await queue.queue.getJobCounts("wait", "active")).wait + (await queue.queue.getJobCounts("active")).active > 0;
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  const after = await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(after.status).toBe("CANCELLED");
  expect(after.startedAt).toBeNull();
  expect(worker.finished).not.toContain(job.id);
});

test("a worker runs a queued build and its progress reaches a subscriber on another node through Redis", async () => {
  if (!redisUrl) return;
  const apiSide = pubsub<JobProgress>();
  const job = await createAtlasBuildJob(db.prisma, params);
  const events = apiSide.subscribe(jobProgressTopic(job.id));
  await apiSide.ready();
  worker ??= await startAtlasWorker({
    prisma: db.prisma,
    redisUrl,
    prefix,
    progress: pubsub<JobProgress>(),
    control: pubsub(),
    log: () => {},
  });
  await queue.enqueue(job.id);
  const seen: JobProgress[] = [];
  const deadline = Date.now() + 200_000;
  // a next() that lost the race stays pending and is awaited again (a new call would let it swallow an event)
  let pending: Promise<IteratorResult<JobProgress>> | null = null;
  while (Date.now() < deadline) {
    pending ??= events.next();
    const next = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    if (!next) continue;
    pending = null;
    if (next.done) break;
    seen.push(next.value);
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(next.value.status)) break;
  }
  await events.return!();
  const final = await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(final.error).toBeNull();
  expect(final.status).toBe("SUCCEEDED");
  expect(seen.at(-1)).toMatchObject({
    jobId: job.id,
    status: "SUCCEEDED",
    progress: 1,
    examplesDone: 16,
    examplesTotal: 16,
  });
  const fractions = seen.map((p) => p.progress);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(seen.some((p) => p.phase === "pass")).toBe(true);
  expect(await db.prisma.unit.count({ where: { modelId: params.modelId, kind: "NEURON" } })).toBeGreaterThan(0);
  // the final event is published before executeJob returns (it then queues the label scoring)
  for (let i = 0; i < 100 && !worker.finished.includes(job.id); i++) await new Promise((r) => setTimeout(r, 100));
  expect(worker.finished).toContain(job.id);
  builtJobId = job.id;
});

test("the build's label scoring is handed to BullMQ and run by a worker", async () => {
  if (!redisUrl || !builtJobId || !worker) return;
  const build = await db.prisma.job.findUniqueOrThrow({ where: { id: builtJobId } });
  const scoringId = (build.metrics as { labelScoringJobId?: string }).labelScoringJobId;
  expect(scoringId).toBeDefined();
  const deadline = Date.now() + 200_000;
  let scoring = await db.prisma.job.findUniqueOrThrow({ where: { id: scoringId! } });
  while (Date.now() < deadline && (scoring.status === "QUEUED" || scoring.status === "RUNNING")) {
    await new Promise((r) => setTimeout(r, 200));
    scoring = await db.prisma.job.findUniqueOrThrow({ where: { id: scoringId! } });
  }
  expect(scoring).toMatchObject({ kind: "SCORE_LABELS", status: "SUCCEEDED", error: null });
  expect(worker.finished).toContain(scoringId);
  expect(worker.finished.indexOf(scoringId!)).toBeGreaterThan(worker.finished.indexOf(builtJobId));
  expect(build.status).toBe("SUCCEEDED");
  const units = await db.prisma.unit.findMany({
    where: { modelId: params.modelId, kind: "NEURON", topActivations: { some: {} } },
    include: { labelScores: true },
  });
  expect((scoring.metrics as { units: number }).units).toBe(units.length);
  const scored = units.filter((u) => u.labelScores.length > 0);
  expect(scored.length).toBe(units.length);
  // held out: the 32 images of queue-tiny-scoring
  expect(scored[0].labelScores[0].heldOutExamples).toBe(32);
  expect(units.some((u) => u.bestLabelScore !== null)).toBe(true);
});
