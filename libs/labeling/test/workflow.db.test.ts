// The annotation workflow against a real database: optimistic versions, transitions and revisions, the
// unit's label state, draft privacy, vote toggling with voteScore, and comment threading rules.
import { authenticateSession, login, registerUser, setUserRole, type Actor } from "@mmatlas/auth";
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { addComment, castVote, createAnnotation, getAnnotation, updateAnnotation } from "../src";

jest.setTimeout(120_000);

let db: TestDatabase;
let admin: Actor, alice: Actor, bob: Actor, reviewer: Actor;
let unitId: string;
let otherUnitId: string;

async function actor(email: string): Promise<Actor> {
  await registerUser(db.prisma, { email, password: "long-enough-pw" });
  return authenticateSession(db.prisma, (await login(db.prisma, { email, password: "long-enough-pw" })).secret);
}

beforeEach(async () => {
  db = await createTestDatabase();
  admin = await actor("admin@example.org");
  alice = await actor("alice@example.org");
  bob = await actor("bob@example.org");
  reviewer = await actor("rev@example.org");
  await setUserRole(db.prisma, admin, reviewer.userId, "REVIEWER");
  reviewer = { ...reviewer, role: "REVIEWER" };
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: {
      modelId: model.id,
      name: "vision.blocks.0.hook_resid_post",
      tower: "VISION",
      layer: 0,
      kind: "RESID",
      width: 8,
      tensor: "t",
    },
  });
  const mk = (index: number) =>
    db.prisma.unit.create({
      data: { slug: `m/h/${index}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index },
    });
  unitId = (await mk(0)).id;
  otherUnitId = (await mk(1)).id;
});
afterEach(async () => {
  await db?.close();
});

const unitState = () =>
  db.prisma.unit.findUniqueOrThrow({ where: { id: unitId }, select: { labelState: true, currentLabel: true } });

it("accepts through review, writing revisions and keeping the unit's label in sync", async () => {
  const a = await createAnnotation(db.prisma, alice, {
    unitId,
    label: " red  circle ",
    tags: ["color", "color", "shape"],
  });
  expect(a).toMatchObject({ label: "red circle", tags: ["color", "shape"], status: "DRAFT", version: 1 });
  expect(await unitState()).toEqual({ labelState: "UNLABELED", currentLabel: null });

  const proposed = await updateAnnotation(db.prisma, alice, { id: a.id, version: 1, status: "PROPOSED" });
  expect(await unitState()).toEqual({ labelState: "LABELED", currentLabel: "red circle" });
  await expect(updateAnnotation(db.prisma, alice, { id: a.id, version: 2, status: "ACCEPTED" })).rejects.toMatchObject({
    code: "FORBIDDEN",
  });

  const accepted = await updateAnnotation(db.prisma, reviewer, {
    id: a.id,
    version: proposed.version,
    status: "ACCEPTED",
  });
  expect(accepted).toMatchObject({ status: "ACCEPTED", version: 3 });
  // the author edits an accepted label: it goes back to review, and the change is recorded
  const edited = await updateAnnotation(db.prisma, alice, { id: a.id, version: 3, label: "red disc" });
  expect(edited).toMatchObject({ status: "PROPOSED", version: 4, label: "red disc" });
  const revisions = await db.prisma.annotationRevision.findMany({
    where: { annotationId: a.id },
    orderBy: { version: "asc" },
  });
  expect(revisions.map((r) => [r.version, r.status, r.label, r.editorId])).toEqual([
    [3, "ACCEPTED", "red circle", reviewer.userId],
    [4, "PROPOSED", "red disc", alice.userId],
  ]);
  expect(await unitState()).toEqual({ labelState: "LABELED", currentLabel: "red disc" });
});

it("refuses stale versions with CONFLICT and changes nothing", async () => {
  const a = await createAnnotation(db.prisma, alice, { unitId, label: "x", status: "PROPOSED" });
  await updateAnnotation(db.prisma, alice, { id: a.id, version: 1, label: "y" });
  await expect(updateAnnotation(db.prisma, alice, { id: a.id, version: 1, label: "z" })).rejects.toMatchObject({
    code: "CONFLICT",
    details: { currentVersion: 2 },
  });
  expect(await db.prisma.annotation.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
    label: "y",
    version: 2,
  });
  // an update that changes nothing keeps the version
  expect((await updateAnnotation(db.prisma, alice, { id: a.id, version: 2, label: "y" })).version).toBe(2);
});

it("marks a unit DISPUTED when live annotations disagree, and resolves when one is rejected", async () => {
  const a = await createAnnotation(db.prisma, alice, { unitId, label: "red", status: "PROPOSED" });
  const b = await createAnnotation(db.prisma, bob, { unitId, label: "blue", status: "PROPOSED" });
  expect((await unitState()).labelState).toBe("DISPUTED");
  await updateAnnotation(db.prisma, reviewer, { id: b.id, version: b.version, status: "REJECTED" });
  expect(await unitState()).toEqual({ labelState: "LABELED", currentLabel: "red" });
  await updateAnnotation(db.prisma, alice, { id: a.id, version: a.version, status: "DRAFT" });
  expect(await unitState()).toEqual({ labelState: "UNLABELED", currentLabel: null });
});

it("keeps drafts private and lets only the author or a reviewer edit", async () => {
  const draft = await createAnnotation(db.prisma, alice, { unitId, label: "secret" });
  await expect(getAnnotation(db.prisma, bob, draft.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(updateAnnotation(db.prisma, bob, { id: draft.id, version: 1, label: "mine" })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  const p = await createAnnotation(db.prisma, alice, { unitId, label: "public", status: "PROPOSED" });
  await expect(updateAnnotation(db.prisma, bob, { id: p.id, version: 1, label: "hijack" })).rejects.toMatchObject({
    code: "FORBIDDEN",
  });
  await expect(updateAnnotation(db.prisma, reviewer, { id: p.id, version: 1, status: "DRAFT" })).rejects.toMatchObject({
    code: "FORBIDDEN",
  });
  expect(
    await updateAnnotation(db.prisma, reviewer, { id: p.id, version: 1, label: "public (fixed typo)" }),
  ).toMatchObject({ version: 2, status: "PROPOSED" });
  await expect(createAnnotation(db.prisma, alice, { unitId, label: "x", status: "ACCEPTED" })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
  });
  await expect(createAnnotation(db.prisma, null, { unitId, label: "x" })).rejects.toMatchObject({
    code: "UNAUTHENTICATED",
  });
});

it("toggles votes and keeps voteScore equal to their sum", async () => {
  const a = await createAnnotation(db.prisma, alice, { unitId, label: "red", status: "PROPOSED" });
  expect(await castVote(db.prisma, bob, a.id, 1)).toMatchObject({ myVote: 1, annotation: { voteScore: 1 } });
  expect(await castVote(db.prisma, reviewer, a.id, -1)).toMatchObject({ myVote: -1, annotation: { voteScore: 0 } });
  expect(await castVote(db.prisma, bob, a.id, -1)).toMatchObject({ myVote: -1, annotation: { voteScore: -2 } });
  expect(await castVote(db.prisma, bob, a.id, -1)).toMatchObject({ myVote: 0, annotation: { voteScore: -1 } });
  expect(await db.prisma.vote.count({ where: { annotationId: a.id } })).toBe(1);
  await expect(castVote(db.prisma, alice, a.id, 1)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  await expect(castVote(db.prisma, bob, a.id, 0)).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "value" },
  });
});

it("threads comments within one unit", async () => {
  const a = await createAnnotation(db.prisma, alice, { unitId, label: "red", status: "PROPOSED" });
  const root = await addComment(db.prisma, bob, { unitId, body: "why red?", annotationId: a.id });
  const reply = await addComment(db.prisma, alice, { unitId, body: "see the top examples", parentId: root.id });
  expect(reply).toMatchObject({ parentId: root.id, annotationId: a.id, authorId: alice.userId });
  await expect(addComment(db.prisma, bob, { unitId: otherUnitId, body: "x", parentId: root.id })).rejects.toMatchObject(
    { code: "BAD_USER_INPUT", details: { field: "parentId" } },
  );
  await expect(
    addComment(db.prisma, bob, { unitId: otherUnitId, body: "x", annotationId: a.id }),
  ).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { field: "annotationId" } });
  await expect(addComment(db.prisma, bob, { unitId, body: "  " })).rejects.toMatchObject({
    code: "BAD_USER_INPUT",
    details: { field: "body" },
  });
  await expect(addComment(db.prisma, bob, { unitId: "nope", body: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
});

it("serializes concurrent edits of one annotation: exactly one wins", async () => {
  const a = await createAnnotation(db.prisma, alice, { unitId, label: "v1", status: "PROPOSED" });
  const results = await Promise.allSettled(
    ["left", "right", "up"].map((label) => updateAnnotation(db.prisma, alice, { id: a.id, version: 1, label })),
  );
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
    "CONFLICT",
    "CONFLICT",
  ]);
  expect((await db.prisma.annotation.findUniqueOrThrow({ where: { id: a.id } })).version).toBe(2);
});
