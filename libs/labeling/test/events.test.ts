// annotationChangedEvent: the one builder of live annotation events (GraphQL mutations and the collab server).
import { annotationChangedEvent, annotationChangedTopic } from "../src";

const at = new Date("2026-12-06T10:00:00.000Z");

test("an annotation change: its id, draft flag from its status, no comment", () => {
  expect(
    annotationChangedEvent({
      unitId: "u1",
      kind: "UPDATED",
      actorId: "a",
      annotation: { id: "n1", status: "DRAFT" },
      at,
    }),
  ).toEqual({
    unitId: "u1",
    kind: "UPDATED",
    annotationId: "n1",
    commentId: null,
    actorId: "a",
    isDraft: true,
    at: "2026-12-06T10:00:00.000Z",
  });
  expect(
    annotationChangedEvent({
      unitId: "u1",
      kind: "CREATED",
      actorId: "a",
      annotation: { id: "n1", status: "SUBMITTED" },
      at,
    }).isDraft,
  ).toBe(false);
});

test("a comment: the annotation it belongs to (or none) and its own id", () => {
  expect(
    annotationChangedEvent({
      unitId: "u2",
      kind: "COMMENTED",
      actorId: "b",
      annotation: null,
      comment: { id: "c1", annotationId: "n9" },
      at,
    }),
  ).toMatchObject({ annotationId: "n9", commentId: "c1", isDraft: false });
  expect(
    annotationChangedEvent({
      unitId: "u2",
      kind: "COMMENTED",
      actorId: "b",
      comment: { id: "c2", annotationId: null },
      at,
    }).annotationId,
  ).toBeNull();
  expect(annotationChangedTopic("u2")).toBe("annotationChanged:u2");
});
