// Public API of @mmatlas/labeling: the collaborative annotation workflow (create/update with optimistic
// versions and status transitions, votes, comments), unit label state, per-request loaders, live events.
export { ANNOTATION_STATUSES, TRANSITIONS, transitionProblem, assertTransition, type TransitionActor, type TransitionRole } from "./transitions";
export { computeLabelState, normalizeLabelForComparison, type AnnotationForState, type UnitLabelState } from "./label-state";
export { normalizeLabel, normalizeDescription, normalizeTags, normalizeConfidence, normalizeCommentBody, LABEL_MAX, DESCRIPTION_MAX, TAGS_MAX, TAG_MAX, COMMENT_MAX } from "./validation";
export { lockUnit, syncUnitLabelState } from "./unit-label-sync";
export {
  createAnnotation, updateAnnotation, getAnnotation, isVisibleTo, visibleAnnotationsWhere,
  type CreateAnnotationInput, type UpdateAnnotationInput,
} from "./annotations";
export { castVote, nextVote, type VoteResult } from "./votes";
export { addComment, type AddCommentInput } from "./comments";
export { createLabelingLoaders, annotationDisplayOrder, type LabelingLoaders } from "./loaders";
export { annotationChangedEvent, annotationChangedTopic, type AnnotationChangedEvent, type AnnotationChangeKind } from "./events";
export {
  saveCollaborativeAnnotation, collaborativeStatusProblem, storableContent, storableText,
  type CollaborativeContent, type SaveCollaborativeInput, type SaveCollaborativeResult,
} from "./collaborative";
export { listAnnotations, countAnnotations, annotationWhere, LABEL_CONTAINS_MAX, type AnnotationFilter } from "./annotation-query";
export { nextUnitToLabel, QUEUE_SKIP_MAX, type QueueItem, type QueueScope } from "./queue";
export {
  unitLabelAgreement, scopeLabelAgreement, agreementOfLabels, agreementOfScope,
  type UnitLabelAgreement, type ScopeAgreement, type AgreementScope,
} from "./agreement";
