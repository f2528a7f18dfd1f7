// Label scores end to end on a small atlas (PGlite, or PostgreSQL under TEST_DATABASE_URL): a SCORE_LABELS job
// scores every auto-label and annotation of the units on held-out examples, stores rows with sample sizes and
// the unit's best score, replaces them when rescored; the localization read-out reproduces the model's own
// embeddings at the pooled position; the debounced scheduler starts one job per burst of edits.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { createAtlasBuildJob, createScoreLabelsJob, executeJob, LabelRescoreScheduler } from "../src";
import { openModelRunner } from "../src/run/atlas-build";
import { loadScoringSet } from "../src/scoring/scoring-set";
import { SCORE_VERSION } from "../src/scoring/label-text";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  // 96 images / 72 texts with a probe set of 48: 48 held-out images and 24 held-out texts
  setup = await smallSetup(db.prisma, 96, 72);
  const build = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, setup.params)).id);
  expect(build.status).toBe("SUCCEEDED");
});
afterAll(() => db?.close());

it("scores every auto-label of every neuron / SAE feature and stores the unit's best score", async () => {
  const job = await executeJob(db.prisma, (await createScoreLabelsJob(db.prisma, { modelId: setup.model.name })).id);
  expect(job.status).toBe("SUCCEEDED");
  const metrics = job.metrics as { units: number; labels: number; examplesDone: number };
  const units = await db.prisma.unit.findMany({
    where: { modelId: setup.model.id, kind: { not: "ATTENTION_HEAD" } },
    include: { labelScores: true },
  });
  expect(metrics.units).toBe(units.length);
  expect(metrics.labels).toBe(units.reduce((n, u) => n + u.labelScores.length, 0));
  for (const u of units) {
    const auto = new Set(((u.autoLabels ?? []) as { label: string }[]).map((l) => l.label.toLowerCase()));
    expect(new Set(u.labelScores.map((s) => s.labelKey))).toEqual(auto);
    for (const s of u.labelScores) {
      expect(s.sources.every((x) => x.startsWith("auto:"))).toBe(true);
      expect(s.version).toBe(SCORE_VERSION);
      if (s.detectionAuroc === null) expect(s.notes.length).toBeGreaterThan(0);
      else {
        expect(s.detectionAuroc).toBeGreaterThanOrEqual(0);
        expect(s.detectionAuroc).toBeLessThanOrEqual(1);
        expect(s.balancedAccuracy!).toBeGreaterThanOrEqual(0.5);
        expect(s.activatingExamples).toBeGreaterThan(0);
        expect(s.nonActivatingExamples).toBeGreaterThan(0);
      }
    }
    const best = Math.max(...u.labelScores.map((s) => s.detectionAuroc ?? -1));
    if (best >= 0) {
      expect(u.bestLabelScore).toBeCloseTo(best, 6);
      // ties on AUROC go to the higher balanced accuracy, then the label key
      expect(u.labelScores.find((s) => s.label === u.bestScoredLabel)!.detectionAuroc).toBeCloseTo(best, 6);
    } else expect(u.bestLabelScore).toBeNull();
  }
  const image = units.find((u) => u.labelScores.length && u.slug.includes("/vision."))!;
  expect(image.labelScores[0].heldOutExamples).toBe(48);
  // image units get localization and ground-truth tag scores for vocabulary labels
  expect(image.labelScores.some((s) => s.localizationExamples > 0)).toBe(true);
  expect(units.flatMap((u) => u.labelScores).some((s) => s.tagAuroc !== null && s.tagPositives! > 0)).toBe(true);
  const text = units.find((u) => u.labelScores.length && u.slug.includes("/text."))!;
  expect(text.labelScores[0].heldOutExamples).toBe(24);
});

it("scores annotations with the auto-labels, only proposed / accepted ones can be best, and rescoring replaces rows", async () => {
  const user = await db.prisma.user.create({
    data: { email: "scorer@test", displayName: "Scorer", passwordHash: "x", role: "ANNOTATOR" },
  });
  const unit = (await db.prisma.unit.findFirst({
    where: { modelId: setup.model.id, kind: "NEURON", hookPoint: { tower: "VISION" } },
    orderBy: { index: "asc" },
  }))!;
  const draft = await db.prisma.annotation.create({
    data: { unitId: unit.id, authorId: user.id, label: "Zebra stripes!", status: "DRAFT" },
  });
  const job = await executeJob(
    db.prisma,
    (await createScoreLabelsJob(db.prisma, { modelId: setup.model.id, unitIds: [unit.id] })).id,
  );
  expect(job.status).toBe("SUCCEEDED");
  const rows = await db.prisma.labelScore.findMany({ where: { unitId: unit.id } });
  const zebra = rows.find((r) => r.labelKey === "zebra stripes")!;
  expect(zebra.sources).toEqual([`annotation:${draft.id}`]);
  expect(zebra.prompt).toBe("Zebra stripes!");
  expect(zebra.notes.join(" ")).toMatch(/outside the model's vocabulary: zebra, stripes/);
  expect(zebra.notes.join(" ")).toMatch(/not a ground-truth concept/);
  // the draft never becomes the best label, even when it scores highest
  const after = (await db.prisma.unit.findUnique({ where: { id: unit.id } }))!;
  expect(after.bestScoredLabel).not.toBe("Zebra stripes!");
  // renamed: the old label's row goes, the new one is scored
  await db.prisma.annotation.update({ where: { id: draft.id }, data: { label: "red", status: "PROPOSED" } });
  await executeJob(
    db.prisma,
    (await createScoreLabelsJob(db.prisma, { modelId: setup.model.id, unitIds: [unit.id] })).id,
  );
  const again = await db.prisma.labelScore.findMany({ where: { unitId: unit.id } });
  expect(again.some((r) => r.labelKey === "zebra stripes")).toBe(false);
  const red = again.find((r) => r.labelKey === "red")!;
  expect(red.sources).toContain(`annotation:${draft.id}`);
  expect(red.prompt).toBe("a red shape");
});

it("refuses unknown units and bad parameters with typed errors", async () => {
  await expect(createScoreLabelsJob(db.prisma, { modelId: setup.model.id, unitIds: ["nope"] })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
  });
  await expect(createScoreLabelsJob(db.prisma, { modelId: setup.model.id, scoreSize: 3 })).rejects.toThrow(/scoreSize/);
  await expect(createScoreLabelsJob(db.prisma, { modelId: "no-such-model" })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
});

it("the localization read-out (ln_final + proj of the final residual) reproduces the pooled embedding", async () => {
  const runner = await openModelRunner(db.prisma, setup.model);
  try {
    for (const tower of ["VISION", "TEXT"] as const) {
      const s = (await loadScoringSet(db.prisma, runner, setup.dataset.id, tower, 48, 8, 8))!;
      expect(s.positionEmbeds).not.toBeNull();
      for (let i = 0; i < s.rows.length; i++) {
        const pooled = tower === "VISION" ? 0 : s.valid[i] - 1; // CLS / <eos>
        let dot = 0;
        for (let d = 0; d < s.dim; d++)
          dot += s.positionEmbeds![(i * s.positions + pooled) * s.dim + d] * s.embeds[i * s.dim + d];
        expect(dot).toBeCloseTo(1, 4);
      }
    }
  } finally {
    await runner.close();
  }
});

it("scoring requests that arrive together share one queued job", async () => {
  const unit = (await db.prisma.unit.findFirst({ where: { modelId: setup.model.id, kind: "NEURON" } }))!;
  const ask = () => createScoreLabelsJob(db.prisma, { modelId: setup.model.id, unitIds: [unit.id], scoreSize: 17 });
  const jobs = await Promise.all([ask(), ask(), ask(), ask()]);
  expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
  const queued = await db.prisma.job.findMany({ where: { kind: "SCORE_LABELS", status: "QUEUED" } });
  expect(queued.filter((j) => (j.params as { scoreSize?: number }).scoreSize === 17).map((j) => j.id)).toEqual([
    jobs[0].id,
  ]);
  await db.prisma.job.delete({ where: { id: jobs[0].id } });
});

it("the rescoring scheduler debounces a burst of edits into one job per model", async () => {
  const enqueued: string[] = [];
  const scheduler = new LabelRescoreScheduler(
    db.prisma,
    async (id) => {
      enqueued.push(id);
    },
    { delayMs: 100 },
  );
  const units = await db.prisma.unit.findMany({
    where: { modelId: setup.model.id, kind: "NEURON" },
    take: 2,
    orderBy: { index: "asc" },
  });
  const spin = (ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until;);
  };
  for (let i = 0; i < 5; i++) {
    scheduler.touch(units[0].id);
    spin(3); // the two units' quiet times end a few ms apart: their timers fire in different event-loop turns
    scheduler.touch(units[1].id);
  }
  expect(enqueued).toEqual([]);
  expect(scheduler.pending).toBe(2);
  await new Promise((r) => setTimeout(r, 400));
  expect(enqueued).toHaveLength(1);
  const job = (await db.prisma.job.findUnique({ where: { id: enqueued[0] } }))!;
  expect(job.kind).toBe("SCORE_LABELS");
  expect(new Set((job.params as { unitIds: string[] }).unitIds)).toEqual(new Set(units.map((u) => u.id)));
  // a unit whose job is still queued is not queued twice
  scheduler.touch(units[0].id);
  await new Promise((r) => setTimeout(r, 400));
  expect(enqueued).toHaveLength(1);
  scheduler.close();
});
