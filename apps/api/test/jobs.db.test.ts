// Atlas build jobs over the API: startAtlasBuild needs job.manage (ADMIN), typed errors for bad input (a pass
// over the memory budget included), the in-process runner builds the job while jobProgress streams its state
// until SUCCEEDED, job/jobs read it back (with the SCORE_LABELS job the succeeded build queued), and cancelJob
// stops a build (the subscription ends with CANCELLED).
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { ingestShapesDataset } from "@mmatlas/builder";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, collect, gql, wsClient } from "./client";

jest.setTimeout(300_000);

let db: TestDatabase;
let api: ApiServer;
const tokens: Record<string, string> = {};
let input: Record<string, unknown>;

const q = (query: string, variables?: Record<string, unknown>, token?: string) => gql(api.url, query, variables, token);
const START = `mutation($i: StartAtlasBuildInput!) { startAtlasBuild(input: $i) { id status kind progress params } }`;
const PROGRESS = `subscription($id: ID!) { jobProgress(jobId: $id) { jobId status phase progress examplesDone examplesTotal examplesPerSecond etaSeconds message } }`;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({ port: 0, prisma: db.prisma, log: () => {} });
  for (const name of ["admin", "alice"]) {
    // the first user registered is the admin
    await q(`mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    tokens[name] = (
      await q(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: `${name}@example.org`, password: "correct horse battery" },
      })
    ).data.login.token;
  }
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const dataset = await ingestShapesDataset(db.prisma, { name: "api-tiny", seed: 5, images: 32, texts: 0 });
  input = {
    modelId: model.id,
    datasetId: dataset.id,
    hooks: ["vision.blocks.1.mlp.hook_post", "vision.blocks.0.attn.hook_pattern"],
    dictionaries: [],
    k: 3,
    batchSize: 8,
    probeSize: 32,
    causalUnits: 1,
    maxUnits: 32,
  };
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

async function untilTerminal(sub: ReturnType<typeof collect>) {
  const events: any[] = [];
  for (;;) {
    const e = (await sub.next(120_000)) as any;
    expect(e.errors).toBeUndefined();
    events.push(e.data.jobProgress);
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(e.data.jobProgress.status)) return events;
  }
}

test("only admins start builds; bad input is a typed error", async () => {
  expect(codeOf(await q(START, { i: input }))).toBe("UNAUTHENTICATED");
  expect(codeOf(await q(START, { i: input }, tokens.alice))).toBe("FORBIDDEN");
  const bad = await q(START, { i: { ...input, hooks: ["vision.blocks.7.mlp.hook_post"] } }, tokens.admin);
  expect(codeOf(bad)).toBe("BAD_USER_INPUT");
  expect(bad.errors![0].message).toMatch(/unknown hook "vision\.blocks\.7\.mlp\.hook_post"/);
  expect(codeOf(await q(START, { i: { ...input, datasetId: "missing" } }, tokens.admin))).toBe("NOT_FOUND");
  expect(codeOf(await q(START, { i: { ...input, k: 0 } }, tokens.admin))).toBe("BAD_USER_INPUT");
  expect(codeOf(await q(START, { i: { ...input, scoreLabels: "no" } }, tokens.admin))).toBe("BAD_USER_INPUT");
  // a pass that needs more memory than this machine lends a build (here 1 MB): refused before it is queued
  const saved = process.env.BUILD_MEMORY_LIMIT_MB;
  process.env.BUILD_MEMORY_LIMIT_MB = "1";
  try {
    const big = await q(START, { i: { ...input, maxUnits: null } }, tokens.admin);
    expect(codeOf(big)).toBe("BAD_USER_INPUT");
    expect(big.errors![0].message).toMatch(
      /this build needs more memory than it may use: accumulators .* \(budget 0\.00 GB\)/,
    );
  } finally {
    if (saved === undefined) delete process.env.BUILD_MEMORY_LIMIT_MB;
    else process.env.BUILD_MEMORY_LIMIT_MB = saved;
  }
  expect(await db.prisma.job.count()).toBe(0);
});

test("startAtlasBuild runs in the API process while jobProgress streams it to the end", async () => {
  const started = await q(START, { i: input }, tokens.admin);
  expect(started.errors).toBeUndefined();
  const job = started.data.startAtlasBuild;
  expect(job).toMatchObject({ kind: "ATLAS_BUILD", params: { k: 3 } });
  const client = wsClient(api.wsUrl, tokens.alice);
  try {
    const events = await untilTerminal(collect(client, PROGRESS, { id: job.id }));
    const last = events.at(-1);
    expect(last).toMatchObject({
      jobId: job.id,
      status: "SUCCEEDED",
      phase: "done",
      progress: 1,
      examplesDone: 32,
      examplesTotal: 32,
    });
    const fractions = events.map((e) => e.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(events.some((e) => e.status === "RUNNING" && e.examplesPerSecond > 0)).toBe(true);
  } finally {
    await client.dispose();
  }
  const read = await q(
    `query($id: ID!) { job(id: $id) { status progress phase examplesDone examplesPerSecond finishedAt error } }`,
    { id: job.id },
    tokens.alice,
  );
  expect(read.data.job).toMatchObject({
    status: "SUCCEEDED",
    progress: 1,
    phase: "done",
    examplesDone: 32,
    error: null,
  });
  expect(read.data.job.examplesPerSecond).toBeGreaterThan(0);
  // the succeeded build queued the label scoring of its units: the newest job, followed on the model
  const scoringId = ((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).metrics as any)
    .labelScoringJobId;
  const list = await q(`{ jobs(first: 5) { id kind status } }`, undefined, tokens.alice);
  expect(list.data.jobs).toEqual([
    { id: scoringId, kind: "SCORE_LABELS", status: expect.any(String) },
    { id: job.id, kind: "ATLAS_BUILD", status: "SUCCEEDED" },
  ]);
  const onModel = await q(
    `query($id: ID!) { model(id: $id) { latestLabelScoringJob { id kind } } }`,
    { id: input.modelId },
    tokens.alice,
  );
  expect(onModel.data.model.latestLabelScoringJob).toEqual({ id: scoringId, kind: "SCORE_LABELS" });
  expect(await db.prisma.unit.count({ where: { kind: "NEURON", topActivations: { some: {} } } })).toBe(32);
  expect(await db.prisma.unit.count({ where: { kind: "ATTENTION_HEAD" } })).toBe(4);
  // the subscription of a finished job delivers its final state at once
  const late = wsClient(api.wsUrl, tokens.alice);
  try {
    expect(await untilTerminal(collect(late, PROGRESS, { id: job.id }))).toEqual([
      expect.objectContaining({ status: "SUCCEEDED", progress: 1 }),
    ]);
  } finally {
    await late.dispose();
  }
});

test("cancelJob stops a build; its subscription ends with CANCELLED", async () => {
  const job = (await q(START, { i: input }, tokens.admin)).data.startAtlasBuild;
  const client = wsClient(api.wsUrl, tokens.admin);
  try {
    const sub = collect(client, PROGRESS, { id: job.id });
    expect(codeOf(await q(`mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id: job.id }, tokens.alice))).toBe(
      "FORBIDDEN",
    );
    const cancelled = await q(`mutation($id: ID!) { cancelJob(id: $id) { id status } }`, { id: job.id }, tokens.admin);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelJob.status).toBe("CANCELLED");
    const events = await untilTerminal(sub);
    expect(events.at(-1).status).toBe("CANCELLED");
  } finally {
    await client.dispose();
  }
  // the runner is free again: the job row stays CANCELLED and nothing else is running
  await new Promise((r) => setTimeout(r, 500));
  expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("CANCELLED");
  expect(codeOf(await q(`query($id: ID!) { job(id: $id) { id } }`, { id: "missing" }, tokens.admin))).toBe("NOT_FOUND");
});
