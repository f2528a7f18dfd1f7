// Checks an operation against the QueryLimits and throws a GraphQLError with a stable code:
// QUERY_TOO_COMPLEX (depth or cost; extensions carry the measured and allowed values), BAD_USER_INPUT
// (page size over the maximum) or INTROSPECTION_DISABLED. Used by the HTTP (Apollo plugin) and WebSocket paths.
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { analyzeOperation, type OperationAnalysis } from "./analyze";
import type { QueryLimits } from "./limits";

const refuse = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra, http: { status: 400 } } });

export function checkOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined, limits: QueryLimits): OperationAnalysis {
  const a = analyzeOperation(schema, document, operation, variables ?? {});
  if (a.introspection && !limits.introspection) throw refuse("introspection is disabled on this server", "INTROSPECTION_DISABLED");
  if (a.largestPage && (a.largestPage.size > limits.maxPageSize || a.largestPage.size < 0)) {
    throw refuse(`page size ${a.largestPage.size} at ${a.largestPage.path} is outside 0..${limits.maxPageSize}`, "BAD_USER_INPUT", { field: "first", maxPageSize: limits.maxPageSize });
  }
  if (a.depth > limits.maxDepth) throw refuse(`query depth ${a.depth} exceeds the maximum of ${limits.maxDepth}`, "QUERY_TOO_COMPLEX", { depth: a.depth, maxDepth: limits.maxDepth });
  if (a.cost > limits.maxCost) throw refuse(`query cost ${a.cost} exceeds the maximum of ${limits.maxCost}`, "QUERY_TOO_COMPLEX", { cost: a.cost, maxCost: limits.maxCost });
  return a;
}
