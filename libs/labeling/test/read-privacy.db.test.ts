// Reads that must not leak or over-match: comments on a private draft (the unit's comment list and replies by
// parentId) are hidden from everyone but the draft's author, and labelContains treats LIKE wildcards literally.
import type { Actor } from "@mmatlas/auth";
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { addComment, createAnnotation, createLabelingLoaders, listAnnotations, updateAnnotation } from "../src";

jest.setTimeout(120_000);

let db: TestDatabase;
let alice: Actor, bob: Actor;
let unitId: string;

const actorFor = async (name: string): Promise<Actor> => {
  const u = await db.prisma.user.create({
    data: { email: `${name}@example.org`, displayName: name, passwordHash: "x", role: "ANNOTATOR" },
  });
  return { userId: u.id, email: u.email, displayName: name, role: "ANNOTATOR", via: "session", sessionId: `s-${name}` };
};

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await actorFor("alice");
  bob = await actorFor("bob");
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "RESID", width: 4, tensor: "h" },
  });
  unitId = (
    await db.prisma.unit.create({
      data: { slug: "m/h/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
    })
  ).id;
});
afterAll(async () => {
  await db?.close();
});

describe("comments on a private draft", () => {
  let draftComment: string;
  let publicComment: string;
  beforeAll(async () => {
    const draft = await createAnnotation(db.prisma, alice, { unitId, label: "secret idea" });
    expect(draft.status).toBe("DRAFT");
    draftComment = (
      await addComment(db.prisma, alice, { unitId, annotationId: draft.id, body: "note to self: secret" })
    ).id;
    publicComment = (await addComment(db.prisma, bob, { unitId, body: "general remark" })).id;
  });

  it("are not in the unit's comments for anonymous callers or other users, only for the author", async () => {
    const bodies = async (viewer: Actor | null) =>
      (await createLabelingLoaders(db.prisma, viewer).commentsByUnit.load(unitId)).map((c) => c.id);
    expect(await bodies(null)).toEqual([publicComment]);
    expect(await bodies(bob)).toEqual([publicComment]);
    expect(await bodies(alice)).toEqual([draftComment, publicComment]);
  });

  it("cannot be replied to by others (NOT_FOUND, nothing written); the author can reply", async () => {
    await expect(
      addComment(db.prisma, bob, { unitId, parentId: draftComment, body: "I found your draft" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.prisma.comment.count({ where: { authorId: bob.userId, parentId: draftComment } })).toBe(0);
    const reply = await addComment(db.prisma, alice, { unitId, parentId: draftComment, body: "more" });
    expect(reply.parentId).toBe(draftComment);
    expect(await addComment(db.prisma, alice, { unitId, parentId: publicComment, body: "ok" })).toMatchObject({
      parentId: publicComment,
    });
  });
});

describe("labelContains", () => {
  beforeAll(async () => {
    for (const label of ["red circle", "blue_square", "100% green", "back\\slash"]) {
      const a = await createAnnotation(db.prisma, bob, { unitId, label });
      await updateAnnotation(db.prisma, bob, { id: a.id, version: a.version, status: "PROPOSED" });
    }
  });
  const labels = async (labelContains: string) =>
    (await listAnnotations(db.prisma, null, { filter: { labelContains }, first: 50 })).edges
      .map((e) => e.node.label)
      .sort();

  it("matches % and _ literally, not as wildcards", async () => {
    expect(await labels("%")).toEqual(["100% green"]);
    expect(await labels("_")).toEqual(["blue_square"]);
    expect(await labels("e_s")).toEqual(["blue_square"]);
    expect(await labels("r%c")).toEqual([]);
    expect(await labels("\\")).toEqual(["back\\slash"]);
    expect(await labels("CIRCLE")).toEqual(["red circle"]);
  });
});
