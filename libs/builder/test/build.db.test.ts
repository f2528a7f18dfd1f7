// End-to-end atlas builds on a fresh database (PGlite, or PostgreSQL under TEST_DATABASE_URL): a small build
// stores every unit kind with top examples, per-position values, labels, multimodal scores, head stats and
// causal effects; rebuilding never duplicates rows; cancel stops a build and resume finishes it; bad input
// fails the job with a clear stored error and leaves the stored atlas untouched.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { isAppError } from "@mmatlas/errors";
import { cancelJob, createAtlasBuildJob, executeJob, passMemory, planAtlasBuild, type JobProgress } from "../src";
import { evaluateStoredLabels, formatLabelEvalTable } from "../src/evaluation/label-eval";
import { modelDirectory, runtimeManifest } from "@mmatlas/catalog";
import { modelGraphBytes } from "../src/plan/model-graph-bytes";
import { dumpAtlas, smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  setup = await smallSetup(db.prisma);
});
afterAll(() => db?.close());

test("a small build stores neurons, SAE features and heads with everything a unit page shows", async () => {
  const progress: JobProgress[] = [];
  const job = await createAtlasBuildJob(db.prisma, setup.params);
  const done = await executeJob(db.prisma, job.id, { onProgress: (p) => progress.push(p) });
  expect(done.error).toBeNull();
  expect(done.status).toBe("SUCCEEDED");
  expect(done.progress).toBe(1);
  // progress: monotone, pass then finalize, throughput measured
  const fractions = progress.map((p) => p.progress);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(progress.some((p) => p.phase === "pass" && p.examplesPerSecond! > 0 && p.etaSeconds !== null)).toBe(true);
  expect(progress.at(-1)).toMatchObject({ status: "SUCCEEDED", examplesDone: 72, examplesTotal: 72 });

  const units = await db.prisma.unit.findMany({
    where: { modelId: setup.model.id },
    include: { topActivations: { include: { example: true } }, hookPoint: true },
  });
  // a text row holds one value per token of its caption: its words (at most 7, the built-in seqLen 8 less <eos>) + <eos>
  const tokensOf = (text: string | null) =>
    Math.min(
      7,
      (text ?? "")
        .toLowerCase()
        .split(/[^\p{L}]+/u)
        .filter(Boolean).length,
    ) + 1;
  const positionsOf = (u: (typeof units)[number], t: (typeof units)[number]["topActivations"][number]) =>
    u.hookPoint.tower === "VISION" ? 17 : tokensOf(t.example.text);
  const byKind = (k: string) => units.filter((u) => u.kind === k);
  expect(byKind("NEURON")).toHaveLength(48); // maxUnits 24 of each hook / SAE
  expect(byKind("SAE_FEATURE")).toHaveLength(24);
  expect(byKind("ATTENTION_HEAD")).toHaveLength(4);

  for (const u of [...byKind("NEURON"), ...byKind("SAE_FEATURE")]) {
    const top = u.topActivations.filter((t) => t.band === "TOP").sort((a, b) => a.rank - b.rank);
    expect(top.length).toBe(5);
    for (let i = 0; i < top.length; i++) {
      expect(top[i].values).toHaveLength(positionsOf(u, top[i]));
      expect(Math.max(...top[i].values)).toBeCloseTo(top[i].maxValue, 5);
      if (i > 0) expect(top[i].maxValue).toBeLessThanOrEqual(top[i - 1].maxValue);
    }
    expect(u.maxActivation).toBeCloseTo(top[0].maxValue, 5);
    for (const q of u.topActivations.filter((t) => t.band === "QUANTILE")) {
      expect(q.values).toHaveLength(positionsOf(u, q));
      expect(Math.max(...q.values)).toBeCloseTo(q.maxValue, 5);
      expect(q.maxValue).toBeLessThanOrEqual(top[0].maxValue);
    }
    const labels = u.autoLabels as { label: string; score: number; method: string }[];
    expect(labels.filter((l) => l.method === "clip-dissect")).toHaveLength(5);
    expect(labels.filter((l) => l.method === "text-alignment")).toHaveLength(5);
    expect(labels.filter((l) => l.method === "concept-share")).toHaveLength(5);
    expect(labels[0].method).toBe("concept-share"); // the default auto-label
    expect(u.topAutoLabel).toBe(labels[0].label);
    const h = u.histogram as { counts: number[]; edges: number[]; total: number };
    expect(h.edges).toHaveLength(h.counts.length + 1);
    expect(u.density).toBeGreaterThanOrEqual(0);
    expect(u.density).toBeLessThanOrEqual(1);
  }
  // text units see only text positions: padding is zeroed in stored values
  const textUnit = units.find((u) => u.hookPoint.name === "text.blocks.0.mlp.hook_post")!;
  const texts = await db.prisma.example.findMany({
    where: { id: { in: textUnit.topActivations.map((t) => t.exampleId) } },
  });
  expect(texts.every((e) => e.modality === "TEXT")).toBe(true);

  // vision units have a multimodal score; text units none
  expect(byKind("SAE_FEATURE").every((u) => typeof u.multimodalScore === "number")).toBe(true);
  expect(textUnit.multimodalScore).toBeNull();

  // causal effects on one unit per image set (ablate for neurons, steer for all)
  const causal = units.filter((u) => (u.stats as { causal?: unknown }).causal);
  expect(causal.map((u) => u.hookPoint.name).sort()).toEqual([
    "vision.blocks.1.hook_resid_post",
    "vision.blocks.1.mlp.hook_post",
  ]);
  const neuronEffect = (
    causal.find((u) => u.kind === "NEURON")!.stats as {
      causal: { ablate: { entries: unknown[] }; steer: { entries: unknown[] } };
    }
  ).causal;
  expect(neuronEffect.ablate.entries).toHaveLength(11);
  expect(neuronEffect.steer.entries).toHaveLength(11);

  // heads: attention statistics and example patterns
  for (const head of byKind("ATTENTION_HEAD")) {
    const s = head.stats as {
      toCls: number;
      toSelf: number;
      entropy: number;
      examplePatterns: { pattern: number[] }[];
    };
    expect(s.toCls).toBeGreaterThanOrEqual(0);
    expect(s.toCls).toBeLessThanOrEqual(1);
    expect(s.entropy).toBeGreaterThanOrEqual(0);
    expect(s.examplePatterns[0].pattern).toHaveLength(17 * 17);
  }

  // a second build with the same parameters rewrites the same rows: no duplicates, same results
  const before = await dumpAtlas(db.prisma, setup.model.id);
  const rows = await db.prisma.topActivation.count();
  const again = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, setup.params)).id);
  expect(again.status).toBe("SUCCEEDED");
  expect(await db.prisma.topActivation.count()).toBe(rows);
  expect(await dumpAtlas(db.prisma, setup.model.id)).toEqual(before);
});

test("eval:labels report: every method per layer plus all layers, consistent counts", async () => {
  const report = await evaluateStoredLabels(db.prisma, setup.model.id);
  expect(report.units).toBe(72); // 48 neurons + 24 SAE features with examples
  const methods = [...new Set(report.rows.map((r) => r.method))].sort();
  expect(methods).toEqual(["clip-dissect", "concept-share", "network-dissection", "text-alignment"]);
  // Network Dissection labels vision units only (concept masks are per pixel)
  const dissected = report.rows.filter((r) => r.method === "network-dissection" && r.layer !== "*");
  expect(dissected.filter((r) => r.layer.startsWith("text.")).every((r) => r.labeled === 0)).toBe(true);
  expect(dissected.filter((r) => r.layer.startsWith("vision.")).some((r) => r.labeled > 0)).toBe(true);
  for (const m of methods) {
    const rows = report.rows.filter((r) => r.method === m);
    const all = rows.find((r) => r.layer === "*")!;
    const layers = rows.filter((r) => r.layer !== "*");
    expect(layers.map((r) => r.layer).sort()).toEqual([
      "text.blocks.0.mlp.hook_post (neurons)",
      "vision.blocks.1.hook_resid_post (SAE topk)",
      "vision.blocks.1.mlp.hook_post (neurons)",
    ]);
    expect(all.units).toBe(72);
    expect(all.monosemantic).toBe(layers.reduce((a, r) => a + r.monosemantic, 0));
    expect(all.correct).toBeLessThanOrEqual(all.labeled);
    if (all.labeled > 0) expect(all.precision).toBeCloseTo(all.correct / all.labeled, 10);
  }
  expect(formatLabelEvalTable(report).split("\n")[0]).toMatch(
    /method\s+layer\s+units\s+mono\s+labeled\s+correct\s+precision\s+coverage\s+recall/,
  );
});

test("cancel: an aborted build ends CANCELLED with a checkpoint, and resumes to the same atlas", async () => {
  const before = await dumpAtlas(db.prisma, setup.model.id);
  const abort = new AbortController();
  const job = await createAtlasBuildJob(db.prisma, setup.params);
  const cancelled = await executeJob(db.prisma, job.id, {
    signal: abort.signal,
    onProgress: (p) => {
      if (p.phase === "pass" && p.examplesDone >= 32) abort.abort();
    },
  });
  expect(cancelled.status).toBe("CANCELLED");
  expect(cancelled.checkpoint).not.toBeNull();
  expect(cancelled.progress).toBeLessThan(0.85);
  const resumed = await executeJob(db.prisma, job.id);
  expect(resumed.status).toBe("SUCCEEDED");
  expect(await dumpAtlas(db.prisma, setup.model.id)).toEqual(before);

  // a queued job cancelled before it starts never runs
  const queued = await createAtlasBuildJob(db.prisma, setup.params);
  expect((await cancelJob(db.prisma, queued.id)).status).toBe("CANCELLED");
});

describe("bad input fails the job with a clear error and damages nothing", () => {
  async function failsWith(params: Record<string, unknown>, message: RegExp) {
    const before = await dumpAtlas(db.prisma, setup.model.id);
    const job = await db.prisma.job.create({ data: { kind: "ATLAS_BUILD", params: params as never } });
    const done = await executeJob(db.prisma, job.id);
    expect(done.status).toBe("FAILED");
    expect(done.error).toMatch(message);
    expect(await dumpAtlas(db.prisma, setup.model.id)).toEqual(before);
  }

  test("unknown hook (refused at creation too)", async () => {
    const params = { ...setup.params, hooks: ["vision.blocks.9.mlp.hook_post"] };
    await expect(createAtlasBuildJob(db.prisma, params)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await failsWith(params, /unknown hook "vision\.blocks\.9\.mlp\.hook_post".*did you mean/);
  });

  test("SAE whose d_in does not match its hook", async () => {
    const dict = await db.prisma.dictionary.findFirstOrThrow({
      where: { modelId: setup.model.id, name: "vision.blocks.0.hook_resid_post.topk" },
    });
    await db.prisma.dictionary.update({ where: { id: dict.id }, data: { dIn: 32 } });
    try {
      await expect(
        createAtlasBuildJob(db.prisma, { ...setup.params, dictionaries: [dict.name] }),
      ).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        message: expect.stringMatching(/stored d_in 32 does not match/),
      });
      await failsWith(
        { ...setup.params, dictionaries: [dict.name] },
        /d_in 32 does not match hook vision\.blocks\.0\.hook_resid_post width 64/,
      );
    } finally {
      await db.prisma.dictionary.update({ where: { id: dict.id }, data: { dIn: 64 } });
    }
  });

  test("a pass that needs more memory than the budget: refused when queued, failed before allocating when run", async () => {
    const plan = await planAtlasBuild(db.prisma, setup.params);
    const MB = 1024 * 1024;
    // the built-in model's two graphs, each held once plus its 8 cached sessions
    const graphs = modelGraphBytes(modelDirectory(setup.model), runtimeManifest(setup.model, [], []));
    expect(graphs).toHaveLength(2);
    expect(plan.memory.modelBytes).toBe(9 * (graphs[0] + graphs[1]));
    const fixed = 2 * plan.memory.stateBytes + plan.memory.modelBytes;
    const perExample = passMemory(plan.sets, plan.params.k, 1).batchBytes;
    expect(plan.memory.totalBytes).toBe(fixed + setup.params.batchSize * perExample);
    const jobsBefore = await db.prisma.job.count();
    const saved = process.env.BUILD_MEMORY_LIMIT_MB;
    try {
      // room for 5 examples per batch: the chosen 16 is refused, naming 5; with no batch size chosen the job gets 5
      process.env.BUILD_MEMORY_LIMIT_MB = String((fixed + 5 * perExample + perExample / 2) / MB);
      const err = await createAtlasBuildJob(db.prisma, setup.params).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe("BAD_USER_INPUT");
      expect((err as Error).message).toMatch(/needs more memory than it may use.*--batch-size 5/);
      expect(await db.prisma.job.count()).toBe(jobsBefore);
      const { batchSize: _chosen, ...unchosen } = setup.params;
      const lowered = await createAtlasBuildJob(db.prisma, unchosen);
      expect((lowered.params as { batchSize: number }).batchSize).toBe(5);
      await cancelJob(db.prisma, lowered.id);
      // a job queued elsewhere (its batch of 16 stored) fails on this machine before any state is allocated
      await failsWith(setup.params, /needs more memory than it may use.*Largest accumulator states: /);
      // the states alone over the budget: no batch size helps
      process.env.BUILD_MEMORY_LIMIT_MB = String((fixed - 1) / MB);
      await expect(createAtlasBuildJob(db.prisma, unchosen)).rejects.toThrow(/fewer hooks or SAEs per build/);
    } finally {
      if (saved === undefined) delete process.env.BUILD_MEMORY_LIMIT_MB;
      else process.env.BUILD_MEMORY_LIMIT_MB = saved;
    }
  });

  test("corrupt dataset item", async () => {
    const ds = await db.prisma.dataset.create({ data: { name: "corrupt", modality: "IMAGE", size: 20 } });
    const good = await db.prisma.example.findMany({
      where: { datasetId: setup.dataset.id, modality: "IMAGE" },
      take: 20,
      orderBy: { index: "asc" },
    });
    await db.prisma.example.createMany({
      data: good.map((e, index) => ({
        datasetId: ds.id,
        index,
        modality: "IMAGE" as const,
        image: index === 13 ? new Uint8Array([137, 80, 78, 71, 1, 2, 3]) : e.image,
        tags: e.tags,
      })),
    });
    await failsWith(
      { ...setup.params, datasetId: ds.id, hooks: ["vision.blocks.1.mlp.hook_post"], dictionaries: [] },
      /example 13 .*corrupt image/,
    );
  });

  test("unknown model or dataset", async () => {
    await expect(createAtlasBuildJob(db.prisma, { ...setup.params, modelId: "nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await failsWith({ ...setup.params, datasetId: "nope" }, /NOT_FOUND: dataset "nope" not found/);
    const err = await createAtlasBuildJob(db.prisma, { ...setup.params, k: -1 }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe("BAD_USER_INPUT");
  });
});
