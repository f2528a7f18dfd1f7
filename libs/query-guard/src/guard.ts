// Checks an operation against the QueryLimits and throws a GraphQLError with a stable code:
// INTROSPECTION_DISABLED; BAD_USER_INPUT (page size over the maximum); QUERY_TOO_COMPLEX (more than one
// `__schema`, too many `__type`, a capped field such as probe selected too often, too many field selections,
// too deep or too costly; extensions carry the measured and allowed values). Used by the HTTP (Apollo plugin)
// and WebSocket paths, before validation.
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { analyzeOperation, type OperationAnalysis } from "./analyze";
import type { QueryLimits } from "./limits";

/** a measured value for the error's extensions (an overflowed estimate is reported as the largest safe integer) */
const shown = (n: number) => (Number.isFinite(n) && n <= Number.MAX_SAFE_INTEGER ? n : Number.MAX_SAFE_INTEGER);

const refuse = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra, http: { status: 400 } } });

const tooComplex = (message: string, extra: Record<string, unknown>) => refuse(message, "QUERY_TOO_COMPLEX", extra);

export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): OperationAnalysis {
  const a = analyzeOperation(schema, document, operation, variables ?? {});
  if (a.introspection && !limits.introspection)
    throw refuse("introspection is disabled on this server", "INTROSPECTION_DISABLED");
  if (a.introspections.schema > 1)
    throw tooComplex(`__schema is selected ${shown(a.introspections.schema)} times; at most once per request`, {
      count: shown(a.introspections.schema),
      maxPerRequest: 1,
      field: "__schema",
    });
  if (a.introspections.type > limits.maxTypeIntrospections) {
    throw tooComplex(
      `__type is selected ${shown(a.introspections.type)} times; at most ${limits.maxTypeIntrospections} per request`,
      { count: shown(a.introspections.type), maxPerRequest: limits.maxTypeIntrospections, field: "__type" },
    );
  }
  if (a.largestPage && (a.largestPage.size > limits.maxPageSize || a.largestPage.size < 0)) {
    throw refuse(
      `page size ${a.largestPage.size} at ${a.largestPage.path} is outside 0..${limits.maxPageSize}`,
      "BAD_USER_INPUT",
      { field: "first", maxPageSize: limits.maxPageSize },
    );
  }
  for (const [field, { count, max }] of Object.entries(a.capped)) {
    if (count > max)
      throw tooComplex(`${field} runs ${shown(count)} times in this request; at most ${max}`, {
        field,
        count: shown(count),
        maxPerRequest: max,
      });
  }
  if (a.fields > limits.maxFields)
    throw tooComplex(`the query selects ${shown(a.fields)} fields (fragments expanded); at most ${limits.maxFields}`, {
      fields: shown(a.fields),
      maxFields: limits.maxFields,
    });
  if (a.depth > limits.maxDepth)
    throw tooComplex(`query depth ${a.depth} exceeds the maximum of ${limits.maxDepth}`, {
      depth: a.depth,
      maxDepth: limits.maxDepth,
    });
  if (a.cost > limits.maxCost)
    throw tooComplex(`query cost ${shown(a.cost)} exceeds the maximum of ${limits.maxCost}`, {
      cost: shown(a.cost),
      maxCost: limits.maxCost,
    });
  return a;
}
