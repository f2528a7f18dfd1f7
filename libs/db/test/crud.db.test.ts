// CRUD across the main models, including Float[], Json, Bytes, String[] and enum[] columns, unique
// constraints (one vote per user per annotation), threaded comments and cascading deletes.
import { Prisma } from "../src";
import { createTestDatabase, type TestDatabase } from "../src/testing";

jest.setTimeout(120_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function seedUnit(suffix: string) {
  const p = db.prisma;
  const model = await p.model.create({
    data: {
      name: `clip-shapes-${suffix}`,
      displayName: "CLIP-shapes",
      modality: "IMAGE_TEXT",
      architecture: "clip-vit",
      onnxFiles: { image: "image.onnx", text: "text.onnx" },
      config: { embedDim: 64, logitScale: 30 },
      directory: "assets/clip-shapes",
    },
  });
  const hook = await p.hookPoint.create({
    data: {
      modelId: model.id,
      name: "vision.blocks.1.mlp.hook_post",
      tower: "VISION",
      layer: 1,
      kind: "MLP",
      width: 256,
      tensor: "vision.blocks.1.mlp.hook_post",
    },
  });
  const unit = await p.unit.create({
    data: {
      slug: `clip-shapes-${suffix}/vision.blocks.1.mlp.hook_post/neuron/7`,
      modelId: model.id,
      hookPointId: hook.id,
      kind: "NEURON",
      index: 7,
    },
  });
  return { model, hook, unit };
}

async function user(email: string, role: "VIEWER" | "ANNOTATOR" | "REVIEWER" | "ADMIN" = "ANNOTATOR") {
  return db.prisma.user.create({
    data: { email, displayName: email.split("@")[0], passwordHash: "scrypt$test", role },
  });
}

it("stores and reads back Float[], Json, Bytes, String[] and enum[] columns unchanged", async () => {
  const { model, hook, unit } = await seedUnit("types");
  const dataset = await db.prisma.dataset.create({ data: { name: "shapes-types", modality: "IMAGE", size: 1 } });
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
  const example = await db.prisma.example.create({
    data: {
      datasetId: dataset.id,
      index: 0,
      modality: "IMAGE",
      image: png,
      tags: ["color:red", "shape:circle"],
      meta: { seed: 42 },
    },
  });
  const values = [0, 0.5, -1.25, 3.75e-3, 1e10];
  await db.prisma.topActivation.create({
    data: { unitId: unit.id, exampleId: example.id, rank: 0, maxValue: 1e10, values },
  });
  const histogram = { edges: [0, 0.1, 1, 10], counts: [5, 3, 1] };
  await db.prisma.unit.update({
    where: { id: unit.id },
    data: {
      maxActivation: 1e10,
      density: 0.125,
      histogram,
      autoLabels: [{ label: "red", score: 0.9, method: "tags" }],
    },
  });
  const dict = await db.prisma.dictionary.create({
    data: {
      modelId: model.id,
      hookPointId: hook.id,
      name: "sae",
      architecture: "TOPK",
      dIn: 64,
      dSae: 256,
      weightsPath: "saes/x",
      cfg: { k: 8, nested: { a: [1, null, "s"] } },
    },
  });
  const owner = await user("types@example.org");
  const token = await db.prisma.apiToken.create({
    data: { userId: owner.id, name: "ci", prefix: "abcd1234", tokenHash: "f".repeat(64), scopes: ["READ", "ANNOTATE"] },
  });
  const doc = await db.prisma.collabDocument.create({
    data: { unitId: unit.id, state: Buffer.from([1, 2, 3, 0, 255]) },
  });

  const readExample = await db.prisma.example.findUniqueOrThrow({
    where: { id: example.id },
    include: { topActivations: true },
  });
  expect(Buffer.from(readExample.image!)).toEqual(png);
  expect(readExample.tags).toEqual(["color:red", "shape:circle"]);
  expect(readExample.meta).toEqual({ seed: 42 });
  expect(readExample.topActivations[0].values).toEqual(values);
  const readUnit = await db.prisma.unit.findUniqueOrThrow({ where: { id: unit.id } });
  expect(readUnit).toMatchObject({
    maxActivation: 1e10,
    density: 0.125,
    histogram,
    labelState: "UNLABELED",
    currentLabel: null,
  });
  expect((await db.prisma.dictionary.findUniqueOrThrow({ where: { id: dict.id } })).cfg).toEqual({
    k: 8,
    nested: { a: [1, null, "s"] },
  });
  expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).scopes).toEqual([
    "READ",
    "ANNOTATE",
  ]);
  expect(Buffer.from((await db.prisma.collabDocument.findUniqueOrThrow({ where: { id: doc.id } })).state)).toEqual(
    Buffer.from([1, 2, 3, 0, 255]),
  );
  expect(await db.prisma.apiToken.count({ where: { scopes: { has: "ANNOTATE" } } })).toBe(1);
  expect(await db.prisma.apiToken.count({ where: { scopes: { has: "ADMIN" } } })).toBe(0);
});

it("creates, updates and lists annotations with revisions, votes and threaded comments", async () => {
  const { unit } = await seedUnit("annotate");
  const [alice, bob] = [await user("alice@example.org"), await user("bob@example.org", "REVIEWER")];
  const ann = await db.prisma.annotation.create({
    data: {
      unitId: unit.id,
      authorId: alice.id,
      label: "red things",
      tags: ["color"],
      confidence: 0.7,
      status: "PROPOSED",
    },
  });
  const accepted = await db.prisma.annotation.update({
    where: { id: ann.id },
    data: { status: "ACCEPTED", version: { increment: 1 } },
  });
  expect(accepted.version).toBe(2);
  await db.prisma.annotationRevision.create({
    data: {
      annotationId: ann.id,
      version: 2,
      editorId: bob.id,
      label: accepted.label,
      description: "",
      tags: accepted.tags,
      confidence: 0.7,
      status: "ACCEPTED",
    },
  });
  await db.prisma.vote.create({ data: { annotationId: ann.id, userId: alice.id, value: 1 } });
  await db.prisma.vote.create({ data: { annotationId: ann.id, userId: bob.id, value: -1 } });
  const root = await db.prisma.comment.create({
    data: { unitId: unit.id, annotationId: ann.id, authorId: bob.id, body: "also orange?" },
  });
  await db.prisma.comment.create({
    data: { unitId: unit.id, parentId: root.id, authorId: alice.id, body: "no, checked" },
  });

  const loaded = await db.prisma.unit.findUniqueOrThrow({
    where: { id: unit.id },
    include: {
      annotations: { include: { votes: true, revisions: true } },
      comments: { where: { parentId: null }, include: { replies: true } },
    },
  });
  expect(loaded.annotations).toHaveLength(1);
  expect(loaded.annotations[0]).toMatchObject({ status: "ACCEPTED", version: 2, tags: ["color"] });
  expect(loaded.annotations[0].votes.reduce((s, v) => s + v.value, 0)).toBe(0);
  expect(loaded.annotations[0].revisions.map((r) => r.editorId)).toEqual([bob.id]);
  expect(loaded.comments).toHaveLength(1);
  expect(loaded.comments[0].replies.map((r) => r.body)).toEqual(["no, checked"]);

  const byLabel = await db.prisma.annotation.findMany({ where: { label: { contains: "RED", mode: "insensitive" } } });
  expect(byLabel.map((a) => a.id)).toEqual([ann.id]);
});

it("allows one vote per user per annotation (P2002) and upsert changes it", async () => {
  const { unit } = await seedUnit("votes");
  const voter = await user("voter@example.org");
  const ann = await db.prisma.annotation.create({ data: { unitId: unit.id, authorId: voter.id, label: "circles" } });
  await db.prisma.vote.create({ data: { annotationId: ann.id, userId: voter.id, value: 1 } });
  const dup = db.prisma.vote.create({ data: { annotationId: ann.id, userId: voter.id, value: 1 } });
  await expect(dup).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  await expect(dup).rejects.toMatchObject({ code: "P2002" });
  await db.prisma.vote.upsert({
    where: { annotationId_userId: { annotationId: ann.id, userId: voter.id } },
    create: { annotationId: ann.id, userId: voter.id, value: -1 },
    update: { value: -1 },
  });
  const votes = await db.prisma.vote.findMany({ where: { annotationId: ann.id } });
  expect(votes.map((v) => v.value)).toEqual([-1]);
});

it("rejects a duplicate email and cascades deletes from a model to its units and annotations", async () => {
  await user("dup@example.org");
  await expect(user("dup@example.org")).rejects.toMatchObject({ code: "P2002" });

  const { model, unit } = await seedUnit("cascade");
  const author = await user("cascade@example.org");
  await db.prisma.annotation.create({ data: { unitId: unit.id, authorId: author.id, label: "gone soon" } });
  await db.prisma.model.delete({ where: { id: model.id } });
  expect(await db.prisma.unit.count({ where: { id: unit.id } })).toBe(0);
  expect(await db.prisma.annotation.count({ where: { unitId: unit.id } })).toBe(0);
  expect(await db.prisma.user.count({ where: { id: author.id } })).toBe(1);
});

it("stores jobs with Json params and progress", async () => {
  const job = await db.prisma.job.create({
    data: { kind: "ATLAS_BUILD", params: { model: "clip-shapes", batch: 64 } },
  });
  expect(job).toMatchObject({ status: "QUEUED", progress: 0, error: null });
  const done = await db.prisma.job.update({
    where: { id: job.id },
    data: {
      status: "SUCCEEDED",
      progress: 1,
      checkpoint: { batch: 10 },
      metrics: { examplesPerSecond: 123.5 },
      finishedAt: new Date(),
    },
  });
  expect(done).toMatchObject({ status: "SUCCEEDED", progress: 1, checkpoint: { batch: 10 } });
  expect(await db.prisma.job.count({ where: { status: "SUCCEEDED", kind: "ATLAS_BUILD" } })).toBe(1);
});
