// Annotation export → import into an empty database (same atlas, no users or annotations) reproduces the
// data exactly (export again is byte-identical, unit label state too); re-import is idempotent; missing
// units are refused before anything is written; CSV quoting; Neuronpedia-like atlas export.
import { type PrismaClient } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { registerUser, setUserRole, type Actor } from "@mmatlas/auth";
import { addComment, castVote, createAnnotation, updateAnnotation } from "@mmatlas/labeling";
import { exportAnnotations, exportAtlas, importAnnotations, parseAnnotationJsonl } from "../src";
import { IMPORTED_PASSWORD_HASH } from "../src/import-annotations";
import { seedTinyAtlas } from "./seed";

jest.setTimeout(120_000);

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const d of dbs) await d.close();
});
const fresh = async () => {
  const d = await createTestDatabase();
  dbs.push(d);
  return d;
};

const collect = async (gen: AsyncGenerator<string>) => {
  let s = "";
  for await (const line of gen) s += line;
  return s;
};
const actor = (u: { id: string; email: string; displayName: string; role: string }): Actor => ({
  userId: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role as Actor["role"],
  via: "session",
});

async function annotate(prisma: PrismaClient, unitIds: string[]) {
  const admin = await registerUser(prisma, {
    email: "admin@example.org",
    password: "correct horse battery",
    displayName: "Admin",
  });
  const aliceU = await registerUser(prisma, {
    email: "alice@example.org",
    password: "correct horse battery",
    displayName: "Alice",
  });
  const bobU = await registerUser(prisma, {
    email: "bob@example.org",
    password: "correct horse battery",
    displayName: "Bob",
  });
  const adminA = actor({ ...admin, role: "ADMIN" } as never);
  await setUserRole(prisma, adminA, bobU.id, "REVIEWER");
  const alice = actor({ ...aliceU, role: "ANNOTATOR" } as never);
  const bob = actor({ ...bobU, role: "REVIEWER" } as never);
  const a1 = await createAnnotation(prisma, alice, {
    unitId: unitIds[0],
    label: `red, "crimson" <b>things</b>'); DROP TABLE "Unit";--`,
    description: "=HYPERLINK(1)",
    tags: ["color", "red"],
    confidence: 0.8,
    status: "PROPOSED",
  });
  const accepted = await updateAnnotation(prisma, bob, { id: a1.id, version: a1.version, status: "ACCEPTED" });
  await castVote(prisma, bob, accepted.id, 1);
  await addComment(prisma, alice, { unitId: unitIds[0], annotationId: accepted.id, body: "see the top images" });
  await createAnnotation(prisma, alice, { unitId: unitIds[1], label: "my draft idea" });
  await createAnnotation(prisma, bob, { unitId: unitIds[2], label: "blue\nsquares", status: "PROPOSED" });
}

const labelStates = (prisma: PrismaClient) =>
  prisma.unit.findMany({ orderBy: { slug: "asc" }, select: { slug: true, labelState: true, currentLabel: true } });

it("export → import into an empty database → export is identical, and re-import changes nothing", async () => {
  const a = await fresh();
  const atlasA = await seedTinyAtlas(a.prisma);
  await annotate(
    a.prisma,
    atlasA.units.map((u) => u.id),
  );
  const exported = await collect(exportAnnotations(a.prisma, { format: "jsonl", includeDrafts: true }));
  const records = parseAnnotationJsonl(exported);
  expect(records).toHaveLength(3);
  for (const modelId of ["tiny", atlasA.model.id]) {
    // a model filter by name or id
    expect(
      await collect(exportAnnotations(a.prisma, { format: "jsonl", includeDrafts: true, filter: { modelId } })),
    ).toBe(exported);
  }
  expect(records.find((r) => r.status === "ACCEPTED")!.revisions.length).toBeGreaterThan(0);
  expect(records.find((r) => r.status === "ACCEPTED")!.votes).toEqual([
    expect.objectContaining({ user: "bob@example.org", value: 1 }),
  ]);

  const b = await fresh();
  await seedTinyAtlas(b.prisma);
  expect(await b.prisma.user.count()).toBe(0);
  const result = await importAnnotations(b.prisma, records);
  expect(result).toEqual({ annotations: 3, usersCreated: 2, units: 3 });
  expect(await collect(exportAnnotations(b.prisma, { format: "jsonl", includeDrafts: true }))).toBe(exported);
  expect(await labelStates(b.prisma)).toEqual(await labelStates(a.prisma));
  expect((await b.prisma.user.findUniqueOrThrow({ where: { email: "bob@example.org" } })).passwordHash).toBe(
    IMPORTED_PASSWORD_HASH,
  );

  await importAnnotations(b.prisma, parseAnnotationJsonl(exported));
  expect(await collect(exportAnnotations(b.prisma, { format: "jsonl", includeDrafts: true }))).toBe(exported);
  expect(await b.prisma.annotation.count()).toBe(3);
  expect(await b.prisma.comment.count()).toBe(1);

  // without includeDrafts the draft stays private
  const publicOnly = parseAnnotationJsonl(await collect(exportAnnotations(a.prisma, { format: "jsonl" })));
  expect(publicOnly.map((r) => r.label)).not.toContain("my draft idea");
  expect(publicOnly).toHaveLength(2);
});

it("refuses a file whose units are not in the database, writing nothing; reports malformed lines", async () => {
  const a = await fresh();
  const atlasA = await seedTinyAtlas(a.prisma);
  await annotate(
    a.prisma,
    atlasA.units.map((u) => u.id),
  );
  const exported = await collect(exportAnnotations(a.prisma, { format: "jsonl", includeDrafts: true }));
  const empty = await fresh();
  await expect(importAnnotations(empty.prisma, parseAnnotationJsonl(exported))).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    message: expect.stringMatching(/not in this database/),
  });
  expect(await empty.prisma.user.count()).toBe(0);
  expect(() => parseAnnotationJsonl(`${exported}{"id": 1`)).toThrow(/line 4: not valid JSON/);
  expect(() =>
    parseAnnotationJsonl(
      `{"id":"x","unit":"u","label":"l","author":{"email":"e"},"status":"NOPE","createdAt":"2020-01-01","updatedAt":"2020-01-01"}`,
    ),
  ).toThrow(/unknown status/);
});

it("CSV export quotes commas, quotes and newlines and defuses spreadsheet formulas", async () => {
  const a = await fresh();
  const atlasA = await seedTinyAtlas(a.prisma);
  await annotate(
    a.prisma,
    atlasA.units.map((u) => u.id),
  );
  const csv = await collect(exportAnnotations(a.prisma, { format: "csv" }));
  const [header, ...rest] = csv.split("\n");
  expect(header).toBe(
    "id,unit,model,hook,unitKind,unitIndex,authorEmail,authorName,label,description,tags,confidence,status,version,voteScore,createdAt,updatedAt",
  );
  expect(csv).toContain(`"red, ""crimson"" <b>things</b>'); DROP TABLE ""Unit"";--"`);
  expect(csv).toContain(`,'=HYPERLINK(1),`);
  expect(rest.filter(Boolean)).toHaveLength(2); // the two non-draft annotations (labels are single-line after normalization)
});

it("exports the atlas as Neuronpedia-like JSONL with explanations and activations; the model by name or id", async () => {
  const a = await fresh();
  const atlasA = await seedTinyAtlas(a.prisma);
  await annotate(
    a.prisma,
    atlasA.units.map((u) => u.id),
  );
  const lines = (await collect(exportAtlas(a.prisma, { model: "tiny" })))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => l.index)).toEqual([0, 1, 2]);
  expect(lines[0]).toMatchObject({
    modelId: "tiny",
    layer: "vision.blocks.0.mlp.hook_post",
    source: "neurons",
    kind: "NEURON",
    maxActivation: 1,
  });
  expect(lines[0].explanations[0]).toMatchObject({ method: "human", author: "Alice", status: "ACCEPTED", score: 1 });
  expect(lines[0].explanations[1]).toEqual({
    description: "red",
    method: "clip-dissect",
    author: null,
    status: null,
    score: 0.9,
  });
  expect(lines[1].explanations.map((e: { method: string }) => e.method)).toEqual(["clip-dissect"]); // the draft is not exported
  expect(lines[0].activations.map((x: { text: string; maxValue: number }) => [x.text, x.maxValue])).toEqual([
    ["a red circle", 2],
    ["a blue square", 1],
  ]);
  const byId = (await collect(exportAtlas(a.prisma, { model: atlasA.model.id })))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(byId).toEqual(lines); // the model by name or id
  await expect(collect(exportAtlas(a.prisma, { model: "other" }))).rejects.toMatchObject({
    code: "NOT_FOUND",
    message: 'Model "other" not found',
  });
});
