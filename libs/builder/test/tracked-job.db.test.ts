// runTrackedJob (PGlite, or PostgreSQL under TEST_DATABASE_URL) on real Job rows: a succeeded run stores its metrics
// and emits RUNNING events then SUCCEEDED; a throwing run ends FAILED with its error message; its own cancellation
// error or an aborted signal ends CANCELLED, and a job put back in the queue meanwhile stays QUEUED; RUNNING
// progress reaches the Job row (with pace figures only where a pace is given, and throttled where asked).
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import type { Job } from "@mmatlas/db";
import type { JobProgress } from "../src/run/progress";
import { runTrackedJob } from "../src/jobs/tracked-job";

jest.setTimeout(60_000);

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

class TestCancelled extends Error {}

const newJob = () => db.prisma.job.create({ data: { kind: "SCORE_LABELS", params: {} } });
const rowOf = (job: Job) => db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
const errorMessage = (e: unknown) => `TEST: ${e instanceof Error ? e.message : String(e)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error("timed out");
}

test("a succeeded run: RUNNING events in order, then SUCCEEDED with the run's metrics on the row", async () => {
  const job = await newJob();
  const events: JobProgress[] = [];
  const row = await runTrackedJob(db.prisma, job, {
    phase: "score",
    errorMessage,
    onProgress: (p) => events.push(p),
    run: async (report) => {
      expect((await rowOf(job)).status).toBe("RUNNING");
      report({ done: 1, total: 4, message: "one" });
      // the RUNNING write reaches the row (no pace given: no examplesPerSecond / etaSeconds keys)
      await waitFor(async () => (await rowOf(job)).progress === 0.25);
      expect((await rowOf(job)).metrics).toEqual({ phase: "score", examplesDone: 1, examplesTotal: 4, message: "one" });
      report({ done: 3, total: 4, message: "three", fraction: 0.6, phase: "finalize", metrics: { step: "fit" } });
      await waitFor(async () => (await rowOf(job)).progress === 0.6);
      expect((await rowOf(job)).metrics).toEqual({
        phase: "finalize",
        step: "fit",
        examplesDone: 3,
        examplesTotal: 4,
        message: "three",
      });
      return { message: "all done", metrics: { units: 4 }, examples: { done: 4, total: 4 } };
    },
  });
  expect(row.status).toBe("SUCCEEDED");
  expect(row.error).toBeNull();
  expect(row.startedAt).not.toBeNull();
  expect(row.finishedAt).not.toBeNull();
  expect(row.progress).toBe(1);
  expect(row.metrics).toEqual({ phase: "done", examplesDone: 4, examplesTotal: 4, message: "all done", units: 4 });
  expect(events.map((e) => [e.status, e.phase, e.progress, e.examplesDone, e.examplesTotal, e.message])).toEqual([
    ["RUNNING", "score", 0.25, 1, 4, "one"],
    ["RUNNING", "finalize", 0.6, 3, 4, "three"],
    ["SUCCEEDED", "done", 1, 4, 4, "all done"],
  ]);
  expect(events.every((e) => e.jobId === job.id && e.examplesPerSecond === null && e.etaSeconds === null)).toBe(true);
});

test("a throwing run ends FAILED with its error message, keeping the last progress", async () => {
  const job = await newJob();
  const events: JobProgress[] = [];
  const row = await runTrackedJob(db.prisma, job, {
    phase: "probe",
    errorMessage,
    isCancellation: (e) => e instanceof TestCancelled,
    onProgress: (p) => events.push(p),
    run: async (report) => {
      report({ done: 2, total: 8, message: "two" });
      throw new Error("boom");
    },
  });
  expect(row.status).toBe("FAILED");
  expect(row.error).toBe("TEST: boom");
  expect(row.progress).toBe(0.25);
  expect(row.metrics).toEqual({ phase: "failed", examplesDone: 2, examplesTotal: 8 });
  expect(events.map((e) => [e.status, e.phase, e.progress, e.message])).toEqual([
    ["RUNNING", "probe", 0.25, "two"],
    ["FAILED", "failed", 0.25, "TEST: boom"],
  ]);
});

test("the run's own cancellation error and an aborted signal end CANCELLED", async () => {
  const own = await newJob();
  const events: JobProgress[] = [];
  const byError = await runTrackedJob(db.prisma, own, {
    phase: "visualize",
    errorMessage,
    isCancellation: (e) => e instanceof TestCancelled,
    onProgress: (p) => events.push(p),
    run: async (report) => {
      report({ done: 1, total: 2, message: "half" });
      throw new TestCancelled();
    },
  });
  expect(byError.status).toBe("CANCELLED");
  expect(byError.error).toBe("cancelled");
  expect(byError.metrics).toEqual({ phase: "cancelled", examplesDone: 1, examplesTotal: 2 });
  expect(events.map((e) => [e.status, e.phase, e.progress])).toEqual([
    ["RUNNING", "visualize", 0.5],
    ["CANCELLED", "cancelled", 0.5],
  ]);

  const aborted = await newJob();
  const controller = new AbortController();
  const bySignal = await runTrackedJob(db.prisma, aborted, {
    phase: "visualize",
    errorMessage,
    signal: controller.signal,
    run: async (_report, signal) => {
      expect(signal).toBe(controller.signal);
      controller.abort();
      throw new Error("some error after the abort");
    },
  });
  expect(bySignal.status).toBe("CANCELLED");
  expect(bySignal.error).toBe("cancelled");
});

test("a job put back in the queue while it ran stays QUEUED when it is cancelled", async () => {
  const job = await newJob();
  const events: JobProgress[] = [];
  const row = await runTrackedJob(db.prisma, job, {
    phase: "score",
    errorMessage,
    isCancellation: (e) => e instanceof TestCancelled,
    onProgress: (p) => events.push(p),
    run: async () => {
      await db.prisma.job.update({ where: { id: job.id }, data: { status: "QUEUED" } });
      throw new TestCancelled();
    },
  });
  expect(row.status).toBe("QUEUED");
  expect(row.finishedAt).toBeNull();
  expect(events).toEqual([]);
});

test("a pace adds throughput and ETA to events and RUNNING writes; throttled writes skip reports in between", async () => {
  const job = await newJob();
  const events: JobProgress[] = [];
  const row = await runTrackedJob(db.prisma, job, {
    phase: "visualize",
    errorMessage,
    onProgress: (p) => events.push(p),
    pace: (last, seconds, status) => ({
      examplesPerSecond: seconds >= 0 ? last.done * 10 : null,
      etaSeconds: status === "RUNNING" ? last.total - last.done : null,
    }),
    progressWrites: { everyMs: 60_000, completeAlways: true },
    run: async (report) => {
      report({ done: 1, total: 4, message: "one" });
      await waitFor(async () => (await rowOf(job)).progress === 0.25);
      expect((await rowOf(job)).metrics).toEqual({
        phase: "visualize",
        examplesDone: 1,
        examplesTotal: 4,
        examplesPerSecond: 10,
        etaSeconds: 3,
        message: "one",
      });
      report({ done: 2, total: 4, message: "two" }); // within the interval: not written
      await sleep(300);
      expect((await rowOf(job)).progress).toBe(0.25);
      report({ done: 4, total: 4, message: "four" }); // complete: written regardless
      await waitFor(async () => (await rowOf(job)).progress === 1);
      return { metrics: { units: 4 } };
    },
  });
  expect(row.status).toBe("SUCCEEDED");
  expect(row.metrics).toEqual({ phase: "done", examplesDone: 4, examplesTotal: 4, units: 4 });
  expect(events.map((e) => [e.status, e.examplesDone, e.examplesPerSecond, e.etaSeconds, e.message])).toEqual([
    ["RUNNING", 1, 10, 3, "one"],
    ["RUNNING", 2, 20, 2, "two"],
    ["RUNNING", 4, 40, 0, "four"],
    ["SUCCEEDED", 4, 40, null, null],
  ]);
});
