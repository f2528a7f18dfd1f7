// Public API of @mmatlas/collab: the per-unit Yjs document shape (also at "@mmatlas/collab/doc" for the
// browser) and, for the API server, the Hocuspocus server factory with auth, persistence and projection.
export * from "./doc";
export { createCollabServer, SERVER_ORIGIN, type CollabServer, type CollabServerOptions } from "./server/create-collab-server";
export { authenticateCollabToken, assertUnitExists, type CollabContext, type CollabAuthOptions } from "./server/authenticate";
export { loadDocumentState, storeDocumentState } from "./server/persistence";
export { projectDocument, reconcileWithAnnotation, changedOutsideDocument, snapshotFromAnnotation, PROJECTED_VERSION_KEY } from "./server/projection";
export { collabLimitsFromEnv, DEFAULT_COLLAB_LIMITS, type CollabLimits } from "./server/collab-limits";
export { enforceFieldLimits, trimInsertionsOverLimit } from "./server/field-limits";
export { createPresenceGuard, presenceUserFor, sanitizeCursor } from "./server/presence-guard";
export { checkMessageSize, createDocumentSizeGuard, messageType } from "./server/size-guard";
export { CollabRefusal, CLOSE_TOO_LARGE } from "./server/refusal";
export { savedMessage, parseSavedMessage, SAVED_MESSAGE_TYPE } from "./server/saved-message";
