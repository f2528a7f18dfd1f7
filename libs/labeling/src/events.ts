// Live annotation events: what changed on a unit, and the topic they are published on.
export type AnnotationChangeKind = "CREATED" | "UPDATED" | "VOTED" | "COMMENTED";

export interface AnnotationChangedEvent {
  unitId: string;
  annotationId: string | null;
  commentId?: string | null;
  kind: AnnotationChangeKind;
  /** who made the change */
  actorId: string;
  /** DRAFT changes are only delivered to their author */
  isDraft: boolean;
  at: string;
}

export const annotationChangedTopic = (unitId: string) => `annotationChanged:${unitId}`;

/** The one way to build an event: from the unit, the kind, the actor and the annotation/comment it concerns. */
export function annotationChangedEvent(input: {
  unitId: string;
  kind: AnnotationChangeKind;
  actorId: string;
  annotation?: { id: string; status: string } | null;
  comment?: { id: string; annotationId: string | null } | null;
  at?: Date;
}): AnnotationChangedEvent {
  const { annotation, comment } = input;
  return {
    unitId: input.unitId,
    kind: input.kind,
    annotationId: annotation?.id ?? comment?.annotationId ?? null,
    commentId: comment?.id ?? null,
    actorId: input.actorId,
    isDraft: annotation?.status === "DRAFT",
    at: (input.at ?? new Date()).toISOString(),
  };
}
