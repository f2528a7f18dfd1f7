// PROBE_CONCEPTS end to end on the built-in model and a small shapes dataset (PGlite, or PostgreSQL under
// TEST_DATABASE_URL): the job fits one probe per hook point / SAE × concept family and tower, stores held-out
// accuracy with its chance baseline, replaces the (model, dataset)'s rows on rerun, leaves them untouched when
// cancelled, and refuses bad requests with typed errors.
import { AppError } from "@mmatlas/errors";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { cancelJob, createProbeConceptsJob, executeJob } from "../src";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  setup = await smallSetup(db.prisma, 320, 160);
});
afterAll(() => db?.close());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof AppError ? `${e.code}: ${e.message}` : `other: ${(e as Error).message}`;
  }
  return "no error";
};

let firstJobId = "";

it("probes every RESID / MLP hook and SAE for each concept family of both towers and stores the results", async () => {
  const progress: number[] = [];
  const queued = await createProbeConceptsJob(db.prisma, {
    modelId: setup.model.name,
    datasetId: setup.dataset.name,
    maxExamples: 320,
  });
  expect(queued.kind).toBe("PROBE_CONCEPTS");
  // an active job of the same model and dataset is reused
  expect((await createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: setup.dataset.id })).id).toBe(
    queued.id,
  );
  const job = await executeJob(db.prisma, queued.id, { onProgress: (p) => progress.push(p.progress) });
  expect(job.error).toBeNull();
  expect(job.status).toBe("SUCCEEDED");
  expect(job.progress).toBe(1);
  expect(progress.length).toBeGreaterThan(5);
  for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
  firstJobId = job.id;

  const rows = await db.prisma.probeResult.findMany({
    where: { modelId: setup.model.id, datasetId: setup.dataset.id },
  });
  const metrics = job.metrics as { stored: number; examples: { VISION: number; TEXT: number } };
  expect(metrics.examples).toEqual({ VISION: 320, TEXT: 160 });
  // 4 hooks (2 RESID + 2 MLP) per tower plus the model's SAEs (4 vision, 2 text) × 5 families per tower
  expect(rows.length).toBe(metrics.stored);
  expect(rows.length).toBe((4 + 4) * 5 + (4 + 2) * 5);
  expect(rows.some((r) => r.hookKind === "ATTN_PATTERN")).toBe(false);
  for (const r of rows) {
    expect(r.jobId).toBe(job.id);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    // chance = the majority class's share of the test split: a whole number of test examples, ≥ 1 / classes
    expect(r.chance).toBeGreaterThanOrEqual(1 / r.classes.length - 1e-9);
    expect(r.chance).toBeLessThanOrEqual(1);
    expect(Math.abs(r.chance * r.testCount - Math.round(r.chance * r.testCount))).toBeLessThan(1e-9);
    // every accuracy is a whole number of held-out hits
    expect(Math.abs(r.accuracy * r.testCount - Math.round(r.accuracy * r.testCount))).toBeLessThan(1e-9);
    expect(r.trainCount).toBeGreaterThan(r.testCount);
    expect(r.pooling).toBe(r.hookKind === "RESID" ? "readout" : "mean");
  }
  const cell = (tower: string, hook: string, family: string, dictionary: string | null = null) =>
    rows.find((r) => r.tower === tower && r.hookName === hook && r.family === family && r.dictionary === dictionary)!;
  // the model was trained to tell colours apart: the last vision residual stream decodes them far above chance
  const colour = cell("VISION", "vision.blocks.1.hook_resid_post", "color");
  expect(colour.classes).toEqual(["blue", "green", "orange", "purple", "red", "yellow"]);
  expect(colour.accuracy).toBeGreaterThan(colour.chance + 0.4);
  const textShape = cell("TEXT", "text.blocks.1.hook_resid_post", "shape");
  expect(textShape.accuracy).toBeGreaterThan(textShape.chance + 0.3);
  // every layer of a family is tested on the same split
  const colours = rows.filter((r) => r.tower === "VISION" && r.family === "color");
  expect(new Set(colours.map((r) => `${r.trainCount}/${r.testCount}`)).size).toBe(1);
  expect(
    cell("VISION", "vision.blocks.1.hook_resid_post", "color", "vision.blocks.1.hook_resid_post.topk"),
  ).toBeTruthy();
});

it("replaces the stored results on rerun and leaves them untouched when a job is cancelled", async () => {
  const before = await db.prisma.probeResult.count({ where: { modelId: setup.model.id } });
  const rerun = await executeJob(
    db.prisma,
    (
      await createProbeConceptsJob(db.prisma, {
        modelId: setup.model.id,
        datasetId: setup.dataset.id,
        seed: 3,
        includeSaes: false,
        maxExamples: 200,
      })
    ).id,
  );
  expect(rerun.status).toBe("SUCCEEDED");
  const rows = await db.prisma.probeResult.findMany({ where: { modelId: setup.model.id } });
  expect(rows.length).toBe(8 * 5);
  expect(before).not.toBe(rows.length);
  expect(rows.every((r) => r.jobId === rerun.id && r.dictionary === null)).toBe(true);
  expect(await db.prisma.probeResult.count({ where: { jobId: firstJobId } })).toBe(0);

  // cancelled while it runs: the results of the rerun stay as they were (a cancel noticed only when the results are
  // stored: the job computes to its end, so it is kept as small as the rerun)
  const queued = await createProbeConceptsJob(db.prisma, {
    modelId: setup.model.id,
    datasetId: setup.dataset.id,
    includeSaes: false,
    maxExamples: 200,
  });
  let cancelled = false;
  const done = await executeJob(db.prisma, queued.id, {
    onProgress: (p) => {
      if (!cancelled && p.status === "RUNNING" && p.progress > 0.1) {
        cancelled = true;
        void cancelJob(db.prisma, queued.id);
      }
    },
  });
  expect(cancelled).toBe(true);
  expect(done.status).toBe("CANCELLED");
  const after = await db.prisma.probeResult.findMany({ where: { modelId: setup.model.id } });
  expect(after.length).toBe(rows.length);
  expect(after.every((r) => r.jobId === rerun.id)).toBe(true);

  // aborted by a stopping worker before anything was computed
  const controller = new AbortController();
  controller.abort();
  const aborted = await executeJob(
    db.prisma,
    (await createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: setup.dataset.id })).id,
    { signal: controller.signal },
  );
  expect(aborted.status).toBe("CANCELLED");
  expect(await db.prisma.probeResult.count({ where: { jobId: rerun.id } })).toBe(rows.length);
});

it("refuses unknown models and datasets, datasets without runnable examples or tags, and bad parameters", async () => {
  expect(
    await codeOf(createProbeConceptsJob(db.prisma, { modelId: "no-such-model", datasetId: setup.dataset.id })),
  ).toMatch(/^NOT_FOUND/);
  expect(
    await codeOf(createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: "no-such-set" })),
  ).toMatch(/^NOT_FOUND/);
  const empty = await db.prisma.dataset.create({ data: { name: "probe-empty", modality: "IMAGE" } });
  expect(await codeOf(createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: empty.id }))).toMatch(
    /^BAD_USER_INPUT: .*no examples/,
  );
  const untagged = await db.prisma.dataset.create({ data: { name: "probe-untagged", modality: "TEXT", size: 2 } });
  await db.prisma.example.createMany({
    data: [0, 1].map((index) => ({
      datasetId: untagged.id,
      index,
      modality: "TEXT" as const,
      text: "a red circle",
      tags: [],
    })),
  });
  expect(await codeOf(createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: untagged.id }))).toMatch(
    /^BAD_USER_INPUT: .*no concept tags/,
  );
  // tagged, but every family has one class: the job fails with the skip reasons
  const oneClass = await db.prisma.dataset.create({ data: { name: "probe-one-class", modality: "TEXT", size: 30 } });
  await db.prisma.example.createMany({
    data: Array.from({ length: 30 }, (_, index) => ({
      datasetId: oneClass.id,
      index,
      modality: "TEXT" as const,
      text: "a red circle",
      tags: ["color:red", "shape:circle"],
    })),
  });
  const failed = await executeJob(
    db.prisma,
    (await createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: oneClass.id })).id,
  );
  expect(failed.status).toBe("FAILED");
  expect(failed.error).toMatch(/^BAD_USER_INPUT: nothing to probe: color: one class \(red\)/);
  expect(await db.prisma.probeResult.count({ where: { datasetId: oneClass.id } })).toBe(0);
  expect(
    await codeOf(
      createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: setup.dataset.id, testFraction: 0.9 }),
    ),
  ).toMatch(/^BAD_USER_INPUT: testFraction/);
  expect(
    await codeOf(
      createProbeConceptsJob(db.prisma, { modelId: setup.model.id, datasetId: setup.dataset.id, maxExamples: 5 }),
    ),
  ).toMatch(/^BAD_USER_INPUT: maxExamples/);
});
