// Turns every error into a client-safe GraphQL error: AppErrors keep their stable code, message and
// structured details; GraphQL/Apollo request errors keep their codes; anything else becomes a generic
// INTERNAL_SERVER_ERROR (logged here with its stack). Stack traces never reach clients.
import { unwrapResolverError } from "@apollo/server/errors";
import { isAppError } from "@mmatlas/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** Codes a GraphQLError may carry through unchanged (ours and Apollo's request-level ones). */
const PASS_THROUGH = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PAYLOAD_TOO_LARGE",
  "QUERY_TOO_COMPLEX",
  "INTROSPECTION_DISABLED",
  "DOCUMENT_NOT_TRUSTED",
]);

/** Extension keys of request-level GraphQLErrors (query guard, rate limits) that clients may see. */
const SAFE_EXTENSIONS = [
  "depth",
  "maxDepth",
  "cost",
  "maxCost",
  "fields",
  "maxFields",
  "count",
  "maxPerRequest",
  "maxPageSize",
  "field",
  "retryAfter",
  "scope",
];

/** Details keys that are safe and useful to clients. */
const SAFE_DETAILS = [
  "field",
  "what",
  "id",
  "from",
  "to",
  "currentVersion",
  "action",
  "required",
  "scopes",
  "retryAfterSeconds",
];

export type ErrorLogger = (message: string, error: unknown) => void;
export const consoleErrorLogger: ErrorLogger = (message, error) => console.error(message, error);

export const INTERNAL_MESSAGE = "internal server error";

export function createErrorFormatter(log: ErrorLogger = consoleErrorLogger) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (isAppError(original)) {
      if (original.code === "INTERNAL") {
        log(`internal error${formatted.path ? ` at ${formatted.path.join(".")}` : ""}`, original.cause ?? original);
        return { ...base, message: INTERNAL_MESSAGE, extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
      const details = Object.fromEntries(
        SAFE_DETAILS.filter((k) => original.details?.[k] !== undefined).map((k) => [k, original.details![k]]),
      );
      return { ...base, message: original.message, extensions: { code: original.code, ...details } };
    }
    const code = formatted.extensions?.code;
    const isRequestError =
      typeof code === "string" &&
      PASS_THROUGH.has(code) &&
      (!(original instanceof Error) || original instanceof GraphQLError);
    if (isRequestError) {
      const extra = Object.fromEntries(
        SAFE_EXTENSIONS.filter((k) => formatted.extensions?.[k] !== undefined).map((k) => [
          k,
          formatted.extensions![k],
        ]),
      );
      return { ...base, message: formatted.message, extensions: { code, ...extra } };
    }
    log(`unexpected error${formatted.path ? ` at ${formatted.path.join(".")}` : ""}: ${formatted.message}`, original);
    return { ...base, message: INTERNAL_MESSAGE, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}

/** Formats a GraphQLError outside Apollo (graphql-ws). */
export const formatGraphQLError = (
  format: ReturnType<typeof createErrorFormatter>,
  e: GraphQLError,
): GraphQLFormattedError => format(e.toJSON(), e);
