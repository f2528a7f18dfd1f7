// InProcessJobQueue: at start it re-queues RUNNING jobs whose heartbeat is stale (a crashed worker) and
// resumes them, leaves fresh RUNNING jobs alone (another live worker), runs queued jobs one at a time, and
// cancel() stops the running one.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { InProcessJobQueue, createAtlasBuildJob, type JobProgress } from "../src";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  setup = await smallSetup(db.prisma, 32, 0);
});
afterAll(() => db?.close());

async function waitFor(check: () => Promise<boolean>, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

test("recovers stale RUNNING jobs, runs queued jobs one at a time, cancels", async () => {
  const params = {
    ...setup.params,
    hooks: ["vision.blocks.1.mlp.hook_post"],
    dictionaries: [],
    maxUnits: 8,
    causalUnits: 0,
  };
  const stale = await db.prisma.job.create({
    data: { kind: "ATLAS_BUILD", status: "RUNNING", params, updatedAt: new Date(Date.now() - 10 * 60_000) },
  });
  const live = await db.prisma.job.create({ data: { kind: "ATLAS_BUILD", status: "RUNNING", params } });
  const queued = await createAtlasBuildJob(db.prisma, params);
  const events: JobProgress[] = [];
  const queue = new InProcessJobQueue(db.prisma, { onProgress: (p) => events.push(p) });
  await queue.start();
  try {
    await waitFor(
      async () =>
        (await db.prisma.job.count({ where: { id: { in: [stale.id, queued.id] }, status: "SUCCEEDED" } })) === 2,
    );
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: live.id } })).status).toBe("RUNNING");
    // one at a time: every progress event of the second job comes after the first job's last event
    const firstDone = events.findIndex((e) => e.status === "SUCCEEDED");
    const first = events[firstDone].jobId;
    expect(events.slice(firstDone + 1).every((e) => e.jobId !== first)).toBe(true);
    expect(first).toBe(stale.id); // the stale job was re-queued before the newer one

    const big = await createAtlasBuildJob(db.prisma, { ...params, batchSize: 4 });
    await queue.enqueue(big.id);
    await waitFor(async () => events.some((e) => e.jobId === big.id && e.phase === "pass" && e.examplesDone > 0));
    expect(await queue.cancel(big.id)).toBe(true);
    await waitFor(async () => events.some((e) => e.jobId === big.id && e.status === "CANCELLED"));
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: big.id } })).status).toBe("CANCELLED");
  } finally {
    await queue.stop();
    await db.prisma.job.update({ where: { id: live.id }, data: { status: "FAILED" } });
  }
});
