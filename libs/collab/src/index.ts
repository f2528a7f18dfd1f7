// Public API of @mmatlas/collab for the API server: the Hocuspocus server factory (auth, persistence,
// projection) and the saved-message format. The per-unit Yjs document shape is "@mmatlas/collab/doc".
export { createCollabServer, type CollabServer, type CollabServerOptions } from "./server/create-collab-server";
export { type CollabContext } from "./server/authenticate";
export { type CollabLimits } from "./server/collab-limits";
export { parseSavedMessage } from "./server/saved-message";
