// Public API of @mmatlas/query-guard: GraphQL query hardening independent of the server: depth/cost/field-count/
// page-size analysis with per-field prices and caps, introspection switch and caps, response size cap,
// trusted-document allow-lists, and their environment settings.
export { type FieldCost, type OperationAnalysis } from "./analyze";
export { checkOperation } from "./guard";
export { queryLimitsFromEnv, DEFAULT_QUERY_LIMITS, type QueryLimits } from "./limits";
export { stringifyWithinLimit, withinLimit } from "./response-size";
export { loadTrustedDocuments, type TrustedDocuments } from "./trusted-documents";
