// Builds with BUILD_ACCUMULATOR_WORKERS=2 (unit-set accumulators in worker threads) store exactly the atlas of a
// build without them ("auto" keeps this small model's sets on the main thread), report the workers' time, and cancel + resume through a checkpoint written from the workers' states
// to the same atlas again (also when the resumed run uses no workers).
import { createAtlasBuildJob, executeJob } from "../src";
import { dumpAtlas, useSmallSetup } from "./helpers";

jest.setTimeout(300_000);

const ctx = useSmallSetup();

async function withWorkers<T>(workers: string | undefined, f: () => Promise<T>): Promise<T> {
  const before = process.env.BUILD_ACCUMULATOR_WORKERS;
  if (workers === undefined) delete process.env.BUILD_ACCUMULATOR_WORKERS;
  else process.env.BUILD_ACCUMULATOR_WORKERS = workers;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.BUILD_ACCUMULATOR_WORKERS;
    else process.env.BUILD_ACCUMULATOR_WORKERS = before;
  }
}

test("a build with 2 accumulator workers stores the same atlas as one without", async () => {
  const plain = await withWorkers(undefined, async () =>
    executeJob(ctx.db.prisma, (await createAtlasBuildJob(ctx.db.prisma, ctx.setup.params)).id),
  );
  expect(plain.status).toBe("SUCCEEDED");
  const timings = (plain.metrics as { timings: Record<string, number> }).timings;
  expect(timings["pass.accumulate.inWorkers"]).toBeUndefined(); // "auto": this small model is fed here
  const reference = await dumpAtlas(ctx.db.prisma, ctx.setup.model.id);
  expect(reference.length).toBeGreaterThan(0);

  const pooled = await withWorkers("2", async () =>
    executeJob(ctx.db.prisma, (await createAtlasBuildJob(ctx.db.prisma, ctx.setup.params)).id),
  );
  expect(pooled.error).toBeNull();
  expect(pooled.status).toBe("SUCCEEDED");
  const pooledTimings = (pooled.metrics as { timings: Record<string, number> }).timings;
  expect(pooledTimings["pass.accumulate.inWorkers"]).toBeGreaterThan(0);
  // no unit set and no attention hook was fed on the main thread
  expect(pooledTimings["pass.accumulate.stats"]).toBeUndefined();
  expect(pooledTimings["pass.accumulate.heads"]).toBeUndefined();
  expect(await dumpAtlas(ctx.db.prisma, ctx.setup.model.id)).toEqual(reference);
});

test("cancelled with workers, resumed with and without them: the same atlas", async () => {
  const reference = await dumpAtlas(ctx.db.prisma, ctx.setup.model.id);
  for (const resumeWith of ["2", undefined]) {
    const job = await createAtlasBuildJob(ctx.db.prisma, ctx.setup.params);
    const abort = new AbortController();
    const cancelled = await withWorkers("2", () =>
      executeJob(ctx.db.prisma, job.id, {
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === "pass" && p.examplesDone >= 32) abort.abort();
        },
      }),
    );
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.checkpoint).not.toBeNull();
    const resumed = await withWorkers(resumeWith, () => executeJob(ctx.db.prisma, job.id));
    expect(resumed.status).toBe("SUCCEEDED");
    expect(await dumpAtlas(ctx.db.prisma, ctx.setup.model.id)).toEqual(reference);
  }
});

test("a bad BUILD_ACCUMULATOR_WORKERS fails the build with a clear error and stores nothing", async () => {
  const before = await dumpAtlas(ctx.db.prisma, ctx.setup.model.id);
  const done = await withWorkers("many", async () =>
    executeJob(ctx.db.prisma, (await createAtlasBuildJob(ctx.db.prisma, ctx.setup.params)).id),
  );
  expect(done.status).toBe("FAILED");
  expect(done.error).toMatch(/BUILD_ACCUMULATOR_WORKERS must be "auto" or an integer/);
  expect(await dumpAtlas(ctx.db.prisma, ctx.setup.model.id)).toEqual(before);
});
