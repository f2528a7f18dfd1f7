// Label scoring after a user's atlas build (PGlite, or PostgreSQL under TEST_DATABASE_URL): a succeeded build
// queues a SCORE_LABELS job for the units it wrote, the in-process runner runs it, and LabelScore rows and each
// unit's best score appear; `scoreLabels: false` opts out; a re-run build extends the still-QUEUED job of the
// model instead of queueing a second one, and queues a fresh one once that ran; a failing hand-off leaves the
// build SUCCEEDED; the default atlas's own build queues none (it scores itself on its `-scoring` set).
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import type { Job } from "@mmatlas/db";
import { InProcessJobQueue, buildDefaultAtlas, createAtlasBuildJob, executeJob } from "../src";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;
let params: Record<string, unknown> & { modelId: string; datasetId: string };

beforeAll(async () => {
  db = await createTestDatabase();
  // 96 images / 72 texts with a probe set of 48: 48 held-out images and 24 held-out texts
  setup = await smallSetup(db.prisma, 96, 72);
  params = {
    ...setup.params,
    hooks: ["vision.blocks.1.mlp.hook_post", "text.blocks.0.mlp.hook_post"],
    dictionaries: [],
    maxUnits: 6,
    causalUnits: 0,
  };
});
afterAll(() => db?.close());

async function waitFor(check: () => Promise<boolean>, timeoutMs = 200_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

const scoreJobsOfModel = () =>
  db.prisma.job.findMany({
    where: { kind: "SCORE_LABELS", params: { path: ["modelId"], equals: setup.model.id } },
    orderBy: { createdAt: "asc" },
  });
const scoringJobIdOf = (build: Job) => (build.metrics as { labelScoringJobId?: string }).labelScoringJobId;

test("a build run by the in-process runner is followed by its label scoring: LabelScore rows and best scores", async () => {
  const build = await createAtlasBuildJob(db.prisma, params);
  expect((build.params as { scoreLabels: boolean }).scoreLabels).toBe(true);
  const log: string[] = [];
  const queue = new InProcessJobQueue(db.prisma, { log: (m) => log.push(m) });
  await queue.start();
  try {
    await waitFor(async () => {
      const jobs = await scoreJobsOfModel();
      return jobs.length === 1 && jobs[0].status !== "QUEUED" && jobs[0].status !== "RUNNING";
    });
  } finally {
    await queue.stop();
  }
  const built = await db.prisma.job.findUniqueOrThrow({ where: { id: build.id } });
  expect(built.status).toBe("SUCCEEDED");
  const [scoring] = await scoreJobsOfModel();
  expect(scoring.status).toBe("SUCCEEDED");
  expect(scoringJobIdOf(built)).toBe(scoring.id);
  expect(scoring.createdById).toBe(build.createdById);
  expect(log).toContain(`job ${build.id}: queued label scoring job ${scoring.id}`);
  // the units the build wrote (the model's only scored units so far: the job names the whole model)
  const units = await db.prisma.unit.findMany({
    where: { modelId: setup.model.id, kind: "NEURON", topActivations: { some: {} } },
    include: { labelScores: true },
  });
  expect(units.length).toBe(12); // 6 per hook
  expect(units.every((u) => (u.stats as { jobId: string }).jobId === build.id)).toBe(true);
  expect((scoring.params as { unitIds: string[] | null }).unitIds).toBeNull();
  expect((scoring.metrics as { units: number }).units).toBe(units.length);
  expect(units.every((u) => u.labelScores.length > 0)).toBe(true);
  const bests = units.filter((u) => u.labelScores.some((s) => s.detectionAuroc !== null));
  expect(bests.length).toBeGreaterThan(0);
  for (const u of bests) {
    expect(u.bestLabelScore).toBeCloseTo(Math.max(...u.labelScores.map((s) => s.detectionAuroc ?? -1)), 6);
    expect(u.bestScoredLabel).not.toBeNull();
  }
});

test("scoreLabels: false builds queue nothing", async () => {
  const before = (await scoreJobsOfModel()).length;
  const done = await executeJob(
    db.prisma,
    (await createAtlasBuildJob(db.prisma, { ...params, scoreLabels: false })).id,
  );
  expect(done.status).toBe("SUCCEEDED");
  expect(scoringJobIdOf(done)).toBeUndefined();
  expect(await scoreJobsOfModel()).toHaveLength(before);
  await expect(
    createAtlasBuildJob(db.prisma, { ...params, scoreLabels: "no" as unknown as boolean }),
  ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
});

test("re-runs extend the model's QUEUED scoring job (no duplicate) and queue a fresh one after it ran", async () => {
  const before = (await scoreJobsOfModel()).length;
  const handedOff: string[] = [];
  const run = async (p: typeof params) => {
    const done = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, p)).id, {
      onFollowUpJob: (id) => void handedOff.push(id),
    });
    expect(done.status).toBe("SUCCEEDED");
    return done;
  };
  // a build of one hook: the job names just its units
  const visionOnly = { ...params, hooks: ["vision.blocks.1.mlp.hook_post"] };
  const first = await run(visionOnly);
  const queued = await scoreJobsOfModel();
  expect(queued).toHaveLength(before + 1);
  const job = queued.at(-1)!;
  expect(job.status).toBe("QUEUED");
  const vision = await db.prisma.unit.findMany({
    where: {
      modelId: setup.model.id,
      hookPoint: { name: "vision.blocks.1.mlp.hook_post" },
      topActivations: { some: {} },
    },
    select: { id: true },
  });
  expect(new Set((job.params as { unitIds: string[] }).unitIds)).toEqual(new Set(vision.map((u) => u.id)));
  // the same build again: the QUEUED job already covers its units
  const second = await run(visionOnly);
  expect(scoringJobIdOf(first)).toBe(job.id);
  expect(scoringJobIdOf(second)).toBe(job.id);
  expect(await scoreJobsOfModel()).toHaveLength(before + 1);
  // a build of another hook: its units join the QUEUED job
  const text = await run({ ...params, hooks: ["text.blocks.0.mlp.hook_post"] });
  expect(scoringJobIdOf(text)).toBe(job.id);
  expect(await scoreJobsOfModel()).toHaveLength(before + 1);
  const textUnits = await db.prisma.unit.findMany({
    where: {
      modelId: setup.model.id,
      hookPoint: { name: "text.blocks.0.mlp.hook_post" },
      topActivations: { some: {} },
    },
    select: { id: true },
  });
  const merged = (await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).params as { unitIds: string[] };
  expect(new Set(merged.unitIds)).toEqual(new Set([...vision, ...textUnits].map((u) => u.id)));
  expect(handedOff).toEqual([job.id, job.id, job.id]);
  // once it ran, a re-run build queues a fresh one
  expect((await executeJob(db.prisma, job.id)).status).toBe("SUCCEEDED");
  const third = await run(visionOnly);
  const after = await scoreJobsOfModel();
  expect(after).toHaveLength(before + 2);
  expect(scoringJobIdOf(third)).toBe(after.at(-1)!.id);
  expect(after.at(-1)!.status).toBe("QUEUED");
  await db.prisma.job.update({ where: { id: after.at(-1)!.id }, data: { status: "CANCELLED" } });
});

test("a hand-off that fails leaves the build SUCCEEDED and its scoring job QUEUED for the next runner", async () => {
  const done = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, params)).id, {
    onFollowUpJob: () => {
      throw new Error("queue unreachable");
    },
  });
  expect(done.status).toBe("SUCCEEDED");
  expect(done.error).toBeNull();
  const scoring = await db.prisma.job.findUniqueOrThrow({ where: { id: scoringJobIdOf(done)! } });
  expect(scoring).toMatchObject({ kind: "SCORE_LABELS", status: "QUEUED" });
});

test("the default atlas's own build queues no follow-up: it is scored once, on its `-scoring` set", async () => {
  const before = new Set((await scoreJobsOfModel()).map((j) => j.id));
  const result = await buildDefaultAtlas(db.prisma, {
    force: true,
    dataset: { name: "tiny-default", seed: 3, images: 48, texts: 24 },
    // a few units per hook and a small held-out set: this test is about the hand-off, not the atlas's size
    maxUnits: 4,
    scoringSet: { images: 48, texts: 24 },
  });
  expect(result.job!.status).toBe("SUCCEEDED");
  expect((result.job!.params as { scoreLabels: boolean }).scoreLabels).toBe(false);
  expect(scoringJobIdOf(result.job!)).toBeUndefined();
  const added = (await scoreJobsOfModel()).filter((j) => !before.has(j.id));
  const heldOut = await db.prisma.dataset.findUniqueOrThrow({ where: { name: "tiny-default-scoring" } });
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({ status: "SUCCEEDED" });
  expect((added[0].params as { heldOutDatasetId: string }).heldOutDatasetId).toBe(heldOut.id);
});
