// A model's SAEs over GraphQL tell whether they are built: unitCount, buildStatus (NOT_BUILT → BUILDING →
// BUILT), builtAt, and the build job to follow (signed-in callers only). startAtlasBuild accepts a build of
// one dictionary with no hooks, and the datasets a build can use are listed. The model page's own documents
// (apps/web atlas-queries / build-queries) run against the schema within the default query limits.
import { executeJob, ingestShapesDataset } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { print, type DocumentNode } from "graphql";
import { MODEL_ATLAS_QUERY } from "../../web/src/features/atlas/atlas-queries";
import {
  JOB_PROGRESS_SUBSCRIPTION,
  SAE_BUILD_JOBS_QUERY,
  START_SAE_BUILD_MUTATION,
} from "../../web/src/features/atlas/build-queries";
import {
  MODEL_LABEL_SCORING_QUERY,
  SCORE_MODEL_LABELS_MUTATION,
} from "../../web/src/features/atlas/label-scoring-queries";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, collect, gql, wsClient } from "./client";

jest.setTimeout(300_000);

let db: TestDatabase;
let api: ApiServer;
let modelId: string;
let datasetId: string;
const tokens: Record<string, string> = {};
const SAE = "vision.blocks.1.hook_resid_post.relu";

const q = (query: string, variables?: Record<string, unknown>, token?: string) => gql(api.url, query, variables, token);
const SAES = `query($id: ID!) { model(id: $id) { dictionaries { name architecture dSae unitCount buildStatus builtAt hookPoint { name } } } }`;
const SAES_WITH_JOB = `query($id: ID!) { model(id: $id) { dictionaries { name buildStatus latestBuildJob { id status error } } } }`;
const START = `mutation($i: StartAtlasBuildInput!) { startAtlasBuild(input: $i) { id status params } }`;

async function saeRow(name: string, token?: string, query = SAES) {
  const r = await q(query, { id: modelId }, token);
  expect(r.errors).toBeUndefined();
  return (r.data.model.dictionaries as { name: string }[]).find((d) => d.name === name) as any;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // no in-process runner: the test runs the queued job itself, so the QUEUED state is observable
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
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
  modelId = (await registerModelFromManifest(db.prisma, builtinModelDir())).model.id;
  datasetId = (await ingestShapesDataset(db.prisma, { name: "sae-tiny", seed: 3, images: 24, texts: 0 })).id;
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

test("a registered SAE without units is NOT_BUILT; the datasets for a build are listed", async () => {
  const row = await saeRow(SAE);
  expect(row).toEqual({
    name: SAE,
    architecture: "RELU",
    dSae: 256,
    unitCount: 0,
    buildStatus: "NOT_BUILT",
    builtAt: null,
    hookPoint: { name: "vision.blocks.1.hook_resid_post" },
  });
  const datasets = await q(`{ datasets { id name modality size } }`);
  expect(datasets.data.datasets).toEqual([{ id: datasetId, name: "sae-tiny", modality: "IMAGE", size: 24 }]);
  // the build job is for signed-in callers, like job(id)
  expect(codeOf(await q(SAES_WITH_JOB, { id: modelId }))).toBe("UNAUTHENTICATED");
  expect((await saeRow(SAE, tokens.alice, SAES_WITH_JOB)).latestBuildJob).toBeNull();
});

test("startAtlasBuild with no hooks and one dictionary: BUILDING while queued, BUILT with its units after the run", async () => {
  const input = {
    modelId,
    datasetId,
    hooks: [],
    dictionaries: [SAE],
    k: 3,
    batchSize: 8,
    probeSize: 16,
    causalUnits: 0,
    maxUnits: 12,
  };
  expect(codeOf(await q(START, { i: input }, tokens.alice))).toBe("FORBIDDEN");
  const started = await q(START, { i: input }, tokens.admin);
  expect(started.errors).toBeUndefined();
  const job = started.data.startAtlasBuild;
  expect(job).toMatchObject({ status: "QUEUED", params: { hooks: [], dictionaries: [SAE] } });

  expect(await saeRow(SAE)).toMatchObject({ unitCount: 0, buildStatus: "BUILDING", builtAt: null });
  expect(await saeRow(SAE, tokens.alice, SAES_WITH_JOB)).toEqual({
    name: SAE,
    buildStatus: "BUILDING",
    latestBuildJob: { id: job.id, status: "QUEUED", error: null },
  });
  // other SAEs of the model are untouched
  expect(await saeRow("vision.blocks.0.hook_resid_post.relu")).toMatchObject({
    buildStatus: "NOT_BUILT",
    unitCount: 0,
  });

  const done = await executeJob(db.prisma, job.id);
  expect(done.error).toBeNull();
  expect(done.status).toBe("SUCCEEDED");
  const built = await saeRow(SAE);
  expect(built).toMatchObject({ unitCount: 12, buildStatus: "BUILT" });
  expect(new Date(built.builtAt).getTime()).toBe(done.finishedAt!.getTime());
  expect(await saeRow(SAE, tokens.alice, SAES_WITH_JOB)).toMatchObject({
    latestBuildJob: { id: job.id, status: "SUCCEEDED" },
  });
  // its units are browsable through the units query filtered to the dictionary
  const dictId = (await db.prisma.dictionary.findFirstOrThrow({ where: { name: SAE } })).id;
  const units = await q(
    `query($f: UnitFilter) { units(filter: $f, first: 5) { totalCount edges { node { kind dictionaryId } } } }`,
    { f: { modelId, dictionaryId: dictId } },
  );
  expect(units.data.units.totalCount).toBe(12);
  expect(
    units.data.units.edges.every((e: any) => e.node.kind === "SAE_FEATURE" && e.node.dictionaryId === dictId),
  ).toBe(true);
});

test("a failed build leaves the SAE NOT_BUILT with the job's error to show", async () => {
  const other = "vision.blocks.0.hook_resid_post.relu";
  const job = (
    await q(START, { i: { modelId, datasetId, hooks: [], dictionaries: [other], maxUnits: 4 } }, tokens.admin)
  ).data.startAtlasBuild;
  await db.prisma.job.update({
    where: { id: job.id },
    data: { status: "FAILED", error: "BAD_USER_INPUT: broken weights", finishedAt: new Date() },
  });
  expect(await saeRow(other)).toMatchObject({ buildStatus: "NOT_BUILT", unitCount: 0, builtAt: null });
  expect((await saeRow(other, tokens.admin, SAES_WITH_JOB)).latestBuildJob).toEqual({
    id: job.id,
    status: "FAILED",
    error: "BAD_USER_INPUT: broken weights",
  });
});

test("the model page's documents run as the page sends them, within the query limits", async () => {
  const run = (doc: DocumentNode, variables: Record<string, unknown>, token?: string) =>
    q(print(doc), variables, token);
  const atlas = await run(MODEL_ATLAS_QUERY, { id: "clip-shapes" });
  expect(atlas.errors).toBeUndefined();
  expect(atlas.data.model.dictionaries).toHaveLength(6);
  expect(atlas.data.model.dictionaries.find((d: any) => d.name === SAE)).toMatchObject({
    unitCount: 12,
    buildStatus: "BUILT",
    architecture: "RELU",
  });
  // the SAE build above queued the label scoring of its features (no runner here: it stays QUEUED)
  const scoring = await run(MODEL_LABEL_SCORING_QUERY, { id: modelId }, tokens.alice);
  expect(scoring.errors).toBeUndefined();
  const queued = await db.prisma.job.findFirstOrThrow({ where: { kind: "SCORE_LABELS", status: "QUEUED" } });
  expect(scoring.data.model.latestLabelScoringJob).toMatchObject({ id: queued.id, status: "QUEUED", progress: 0 });
  expect(codeOf(await run(MODEL_LABEL_SCORING_QUERY, { id: modelId }))).toBe("UNAUTHENTICATED");
  expect(codeOf(await run(SCORE_MODEL_LABELS_MUTATION, { input: { modelId } }, tokens.alice))).toBe("FORBIDDEN");
  const rescore = await run(SCORE_MODEL_LABELS_MUTATION, { input: { modelId } }, tokens.admin);
  expect(rescore.errors).toBeUndefined();
  expect(rescore.data.scoreLabels).toMatchObject({ status: "QUEUED" });
  // the oldest of the queued ones is the one followed
  expect(
    (await run(MODEL_LABEL_SCORING_QUERY, { id: modelId }, tokens.alice)).data.model.latestLabelScoringJob.id,
  ).toBe(queued.id);
  await db.prisma.job.updateMany({ where: { kind: "SCORE_LABELS" }, data: { status: "CANCELLED" } });
  const jobs = await run(SAE_BUILD_JOBS_QUERY, { id: modelId }, tokens.admin);
  expect(jobs.errors).toBeUndefined();
  expect(jobs.data.datasets.map((d: any) => d.name)).toEqual(["sae-tiny"]);
  const bad = await run(
    START_SAE_BUILD_MUTATION,
    { input: { modelId, datasetId, hooks: [], dictionaries: ["no-such-sae"] } },
    tokens.admin,
  );
  expect(codeOf(bad)).toBe("BAD_USER_INPUT");
  expect(bad.errors![0].message).toMatch(/unknown dictionary "no-such-sae"/);
  const started = await run(
    START_SAE_BUILD_MUTATION,
    { input: { modelId, datasetId, hooks: [], dictionaries: ["text.blocks.1.hook_resid_post.relu"] } },
    tokens.admin,
  );
  expect(started.errors).toBeUndefined();
  const client = wsClient(api.wsUrl, tokens.admin);
  try {
    const first = (await collect(client, print(JOB_PROGRESS_SUBSCRIPTION), {
      jobId: started.data.startAtlasBuild.id,
    }).next(10_000)) as any;
    expect(first.errors).toBeUndefined();
    expect(first.data.jobProgress).toMatchObject({
      jobId: started.data.startAtlasBuild.id,
      status: "QUEUED",
      phase: "queued",
    });
  } finally {
    await client.dispose();
  }
});
