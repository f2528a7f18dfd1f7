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
