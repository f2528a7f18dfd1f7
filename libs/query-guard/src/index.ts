// Public API of @mmatlas/query-guard: GraphQL query hardening independent of the server: depth/cost/field-count/
// page-size analysis with per-field prices and caps, introspection switch and caps, response size cap,
// trusted-document allow-lists, and their environment settings.
export {
  analyzeOperation, selectOperation, DEFAULT_LIST_SIZE, DEFAULT_CONNECTION_SIZE, SCHEMA_INTROSPECTION_COST, TYPE_INTROSPECTION_COST,
  QUERY_COST_EXTENSION, type FieldCost, type OperationAnalysis,
} from "./analyze";
export { checkOperation } from "./guard";
export { queryLimitsFromEnv, DEFAULT_QUERY_LIMITS, type QueryLimits } from "./limits";
export { stringifyWithinLimit, withinLimit, responseTooLarge } from "./response-size";
export { trustedDocumentsFrom, loadTrustedDocuments, documentHash, type TrustedDocuments } from "./trusted-documents";
