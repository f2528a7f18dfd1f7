// Public API of @mmatlas/query-guard: GraphQL query hardening independent of the server: depth/cost/page-size
// analysis, introspection switch, trusted-document allow-lists, and their environment settings.
export { analyzeOperation, selectOperation, DEFAULT_LIST_SIZE, DEFAULT_CONNECTION_SIZE, type OperationAnalysis } from "./analyze";
export { checkOperation } from "./guard";
export { queryLimitsFromEnv, DEFAULT_QUERY_LIMITS, type QueryLimits } from "./limits";
export { trustedDocumentsFrom, loadTrustedDocuments, documentHash, type TrustedDocuments } from "./trusted-documents";
