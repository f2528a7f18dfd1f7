// Public API of @mmatlas/labeling: the collaborative annotation workflow (create/update with optimistic
// versions and status transitions, votes, comments), unit label state, per-request loaders, live events.
export { type UnitLabelState } from "./label-state";
export { LABEL_MAX, DESCRIPTION_MAX } from "./validation";
export { syncUnitLabelState } from "./unit-label-sync";
export {
  createAnnotation,
  updateAnnotation,
  getAnnotation,
  type CreateAnnotationInput,
  type UpdateAnnotationInput,
} from "./annotations";
export { castVote, type VoteResult } from "./votes";
export { addComment, type AddCommentInput } from "./comments";
export { createLabelingLoaders, type LabelingLoaders } from "./loaders";
export {
  annotationChangedEvent,
  annotationChangedTopic,
  type AnnotationChangedEvent,
  type AnnotationChangeKind,
} from "./events";
export {
  saveCollaborativeAnnotation,
  storableContent,
  warmUpCollaborativeSave,
  type CollaborativeContent,
  type SaveCollaborativeInput,
  type SaveCollaborativeResult,
} from "./collaborative";
export { listAnnotations, countAnnotations, annotationWhere, type AnnotationFilter } from "./annotation-query";
export { nextUnitToLabel, type QueueItem, type QueueScope, type QueueOrder } from "./queue";
export { scoreOfLabel, bestLabelOf, type BestLabel } from "./label-scores";
export { type TrustedLabel, type LabelCandidate, type TrustSource } from "./trusted-label";
export { trustedLabelOfUnit } from "./unit-trust";
export {
  unitLabelAgreement,
  scopeLabelAgreement,
  type UnitLabelAgreement,
  type ScopeAgreement,
  type AgreementScope,
} from "./agreement";
