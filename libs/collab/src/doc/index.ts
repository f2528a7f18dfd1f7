// Browser-safe part of @mmatlas/collab (yjs only): the unit document's shape, text diffs, presence.
export { applyTextDiff, transformIndex, type TextSplice, type TextDeltaOp } from "./text-diff";
export {
  COLLAB_STATUSES,
  annotationFields,
  readSnapshot,
  writeSnapshot,
  setTags,
  addTag,
  removeTag,
  type CollabStatus,
  type AnnotationSnapshot,
  type AnnotationDocFields,
} from "./annotation-doc";
export {
  colorForUser,
  initials,
  encodeSelection,
  decodeSelection,
  type PresenceUser,
  type PresenceCursor,
  type PresenceState,
} from "./presence";
export { selectionSegments, type SelectionMark, type TextSegment } from "./selection-segments";
export { FIELD_MAX, safePresenceColor } from "./limits";
